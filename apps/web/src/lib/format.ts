/** Display helpers shared by tables and charts. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(3);
  return value.toPrecision(4).replace(/\.?0+$/, "");
}

export function formatValue(value: unknown): string {
  if (typeof value === "number") return formatNumber(value);
  if (value === null || value === undefined) return "–";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function formatDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return "–";
  return new Date(iso).toISOString().replace("T", " ").slice(0, 19);
}
