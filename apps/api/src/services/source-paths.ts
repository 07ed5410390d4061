/**
 * Server paths that importDataset/importArchitecture may read: inside a source root
 * (RUNBOARD_SOURCE_ROOTS, default `.data/sources`) and never inside the artifact root, which
 * holds every team's run files, uploads and converted datasets. Paths are judged by their real
 * path, so neither `..` nor a symlink leads out. Every refusal reads the same, whether the path
 * is missing or forbidden, so an answer tells nothing about what exists where.
 */
import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { badInput } from "@runboard/db";
import type { LaunchSettings } from "../server/context.ts";

export const SOURCE_PATH_RULE = "must name a file or folder inside the server's source folders (RUNBOARD_SOURCE_ROOTS)";

export type PathRoots = Pick<LaunchSettings, "artifactRoot" | "sourceRoots">;

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function realPathOf(path: string): Promise<string | null> {
  return realpath(resolve(path)).catch(() => null);
}

/** The real path of `path` when it lies inside a source root and outside the artifact root; else null. */
export async function readableSourcePath(path: string, roots: PathRoots): Promise<string | null> {
  if (!isAbsolute(path)) return null;
  const real = await realPathOf(path);
  if (real === null) return null;
  const artifactRoot = await realPathOf(roots.artifactRoot);
  if (artifactRoot !== null && isInside(artifactRoot, real)) return null;
  const sourceRoots = await Promise.all(roots.sourceRoots.map(realPathOf));
  return sourceRoots.some((root) => root !== null && isInside(root, real)) ? real : null;
}

/** readableSourcePath, or the one refusal for `field`. */
export async function confinedSourcePath(path: string, field: string, roots: PathRoots): Promise<string> {
  const real = await readableSourcePath(path, roots);
  if (real === null) throw badInput(field, SOURCE_PATH_RULE);
  return real;
}
