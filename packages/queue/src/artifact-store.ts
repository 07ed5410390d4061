/**
 * Where run artifacts live: files under an artifact root (a local folder by default, a shared
 * mount when workers run on other machines). The database keeps only the path relative to the
 * root, so the API and every worker resolve it against their own mount point.
 */
import { isAbsolute, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** `.data/artifacts` at the repository root. */
export const DEFAULT_ARTIFACT_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)), ".data/artifacts");

/** The folder of one run's files, relative to the root. */
export function runArtifactDir(runId: string): string {
  return `runs/${runId}`;
}

/** An artifact's relative uri resolved under the root; refuses anything that would leave it. */
export function artifactPath(root: string, uri: string): string {
  const clean = normalize(uri);
  if (isAbsolute(clean) || clean === ".." || clean.startsWith(`..${sep}`)) throw new Error(`artifact uri must stay inside the artifact root, got '${uri}'`);
  return join(resolve(root), clean);
}
