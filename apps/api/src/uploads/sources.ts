/**
 * What importDataset and importArchitecture read from an upload of the caller's team. Archives
 * often wrap everything in one top folder (`flowers/daisy/…`): single folders are stepped
 * into, so the data set's classes are the folders that actually differ.
 */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { badInput } from "../errors.ts";
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
