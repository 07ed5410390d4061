/** A same-site path to go back to after a form post, or the fallback: never an open redirect. */
export function safePath(value: unknown, fallback: string): string {
  const path = typeof value === "string" ? value : "";
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : fallback;
}
