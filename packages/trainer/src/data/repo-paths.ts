/**
 * Locating the shared data next to the repository. Data sets are read at run time from
 * `../shared/datasets` relative to the repository root, never from a fixed machine path.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function isWorkspaceRoot(dir: string): boolean {
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return false;
  try {
    const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { workspaces?: unknown };
    return Array.isArray(parsed.workspaces);
  } catch {
    return false;
  }
}

/** The monorepo root: the nearest folder above `from` whose package.json declares workspaces. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (isWorkspaceRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no workspace root (package.json with "workspaces") above ${from}`);
    dir = parent;
  }
}

/** `../shared/datasets` next to the repository root (it may not exist). */
export function sharedDatasetsDir(): string {
  return resolve(findRepoRoot(), "..", "shared", "datasets");
}

/** A data set folder under the shared datasets, or undefined when it is absent here. */
export function findSharedDataset(name: string): string | undefined {
  const dir = join(sharedDatasetsDir(), name);
  return existsSync(dir) ? dir : undefined;
}
