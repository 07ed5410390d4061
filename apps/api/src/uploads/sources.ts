/**
 * What importDataset and importArchitecture read from an upload of the caller's team. Archives
 * often wrap everything in one top folder (`flowers/daisy/…`): single folders are stepped
 * into, so the data set's classes are the folders that actually differ.
 */
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { basename, join, sep } from "node:path";
import { badInput, type Database } from "@runboard/db";
import { GraphQLError } from "graphql";
import { id } from "../validation.ts";
import { teamUploadsDir } from "./store.ts";

export function uploadFolder(artifactRoot: string, teamId: string, uploadId: string): string {
  if (!id.safeParse(uploadId).success) throw badInput("input.uploadId", "must be a UUID (the uploadId POST /uploads returned)");
  const folder = join(teamUploadsDir(artifactRoot, teamId), uploadId);
  if (!existsSync(folder)) throw badInput("input.uploadId", "no upload of this id in the team");
  return folder;
}

/** The folder below single-folder wrappers; a folder that holds one file only yields that file (a CSV or series file). */
export async function datasetSource(folder: string): Promise<string> {
  const entries = (await readdir(folder, { withFileTypes: true })).filter((entry) => !entry.name.startsWith("."));
  const [only] = entries;
  if (entries.length !== 1 || only === undefined) return folder;
  return only.isDirectory() ? datasetSource(join(folder, only.name)) : join(folder, only.name);
}

/** The one .onnx or .tflite file anywhere in the upload. */
export async function modelSource(folder: string): Promise<string> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && /\.(onnx|tflite)$/i.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
  if (files.length !== 1) throw badInput("input.uploadId", `must hold exactly one .onnx or .tflite file, found ${files.length}`);
  return files[0]!;
}

/** Whether a dataset or architecture of the team reads its files from the upload's folder. */
async function uploadInUse(db: Database, teamId: string, folder: string): Promise<boolean> {
  const [row] = await db.rows<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM dataset WHERE team_id = $1 AND (source_uri = $2 OR starts_with(source_uri, $2 || '/')))
         OR EXISTS (SELECT 1 FROM architecture WHERE team_id = $1 AND (file_uri = $2 OR starts_with(file_uri, $2 || '/'))) AS used`,
    [teamId, folder],
  );
  return row?.used ?? true;
}

/** A refusal that names files of the upload names them relative to it, not where the server keeps uploads. */
function withoutServerPaths(error: unknown, folder: string): unknown {
  if (!(error instanceof GraphQLError) || typeof error.extensions.field !== "string" || typeof error.extensions.rule !== "string") return error;
  const rule = error.extensions.rule.replaceAll(`${folder}${sep}`, "").replaceAll(folder, `upload ${basename(folder)}`);
  return rule === error.extensions.rule ? error : badInput(error.extensions.field, rule);
}

/**
 * Runs an import of the upload in `folder`. When it fails, the upload is removed (it would
 * otherwise sit on disk with nothing pointing at it), unless an earlier import of the same
 * upload still reads from it.
 */
export async function importingUpload<T>(db: Database, teamId: string, folder: string, importFrom: (folder: string) => Promise<T>): Promise<T> {
  try {
    return await importFrom(folder);
  } catch (error) {
    const inUse = await uploadInUse(db, teamId, folder).catch(() => true);
    if (!inUse) await rm(folder, { recursive: true, force: true });
    throw withoutServerPaths(error, folder);
  }
}
