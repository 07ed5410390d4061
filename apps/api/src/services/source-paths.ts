/**
 * Server paths that importDataset/importArchitecture and registerDataset/registerArchitecture
 * may name: inside a source root (RUNBOARD_SOURCE_ROOTS, default `.data/sources`) and never
 * inside the artifact root, which holds every team's run files, uploads and converted datasets.
 * What a team's records may lead a run or the image route to read is wider by the team's own
 * files: its uploads and a dataset's own converted folder (readableByTeam). Paths are judged by
 * their real path, so neither `..` nor a symlink leads out. Every refusal reads the same, whether
 * the path is missing or forbidden, so an answer tells nothing about what exists where.
 */
import { realpath } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { badInput } from "@runboard/db";
import { zooNames } from "@runboard/trainer";
import type { LaunchSettings } from "../server/context.ts";
import { teamUploadsDir } from "../uploads/store.ts";

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

/** Whose files a record may lead to: its team's uploads and, for a dataset, its own converted folder. */
export interface PathOwner {
  teamId: string;
  datasetId?: string;
}

/**
 * The real path of `path` when a record of `owner` may read it: what readableSourcePath allows,
 * or a path inside the team's uploads or the dataset's own converted folder (`datasets/<id>`);
 * else null. Never another team's files under the artifact root.
 */
export async function readableByTeam(path: string, owner: PathOwner, roots: PathRoots): Promise<string | null> {
  const source = await readableSourcePath(path, roots);
  if (source !== null) return source;
  if (!isAbsolute(path)) return null;
  const real = await realPathOf(path);
  if (real === null) return null;
  const own = [teamUploadsDir(roots.artifactRoot, owner.teamId)];
  if (owner.datasetId !== undefined) own.push(join(roots.artifactRoot, "datasets", owner.datasetId));
  const ownRoots = await Promise.all(own.map(realPathOf));
  return ownRoots.some((root) => root !== null && isInside(root, real)) ? real : null;
}

/**
 * The file the trainer reads for an architecture source (`fileUri`, else its name): null for
 * the names it resolves without a server path (a zoo model, `synthetic-…`, `catalog:…`, a
 * pulled catalog name) and for sources it refuses anyway (neither .onnx nor .tflite).
 */
export function modelFileOf(source: string): string | null {
  if (zooNames().includes(source) || source.startsWith("synthetic-") || source.startsWith("catalog:")) return null;
  return /\.(onnx|tflite)$/i.test(source) ? source : null;
}
