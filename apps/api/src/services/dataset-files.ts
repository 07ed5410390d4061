/**
 * Images of a dataset's folder, read by a path relative to it: a few samples per class for the
 * dataset page, single files (optionally as thumbnails) for the run and compare pages. A path
 * resolves strictly inside the folder: no "..", no absolute path, no symlink leading out, image
 * extensions only, a size cap. The folder itself must lie where an import could have put it
 * (the source roots, the team's uploads, the dataset's own converted folder), so a sourceUri
 * registered by hand opens nothing of the server or of another team.
 */
import { readFile, readdir, realpath, stat } from "node:fs/promises";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import type { DatasetRecord } from "@runboard/db";
import { parseCsv } from "@runboard/trainer/data/csv-parse";
import type { LaunchSettings } from "../server/context.ts";
import { isInside, readableByTeam } from "./source-paths.ts";

export const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
};
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
const MAX_PATH_CHARS = 1_000;
/** Directory entries looked at per class when sampling, so a huge class folder stays cheap. */
const MAX_ENTRIES_PER_CLASS = 2_000;
const MAX_CSV_BYTES = 20 * 1024 * 1024;

/** A refusal with the HTTP status it maps to and a message naming the field and the rule. */
export class DatasetFileError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** The dataset's folder (a CSV's folder for IMAGE_CSV), real path, checked against the places the dataset may read. */
export async function datasetFolder(dataset: Pick<DatasetRecord, "id" | "teamId" | "sourceUri">, launch: LaunchSettings): Promise<string> {
  let folder: string;
  try {
    const source = resolve(dataset.sourceUri);
    folder = await realpath((await stat(source)).isFile() ? dirname(source) : source);
  } catch {
    throw new DatasetFileError(404, "dataset folder: not found on the server");
  }
  // Where an import could have put it: the source roots, the team's uploads, its own converted folder.
  if ((await readableByTeam(folder, { teamId: dataset.teamId, datasetId: dataset.id }, launch)) === null) {
    throw new DatasetFileError(403, "dataset folder: lies outside the folders the server may read");
  }
  return folder;
}

/** Checks the shape of `path` before touching the disk. */
export function checkRelativePath(path: string): string {
  if (path.length === 0 || path.length > MAX_PATH_CHARS) throw new DatasetFileError(400, `path: must be 1 to ${MAX_PATH_CHARS} characters`);
  if (path.includes("\0") || path.includes("\\")) throw new DatasetFileError(400, "path: must not contain NUL or backslashes");
  if (isAbsolute(path) || /^[a-z]:/i.test(path)) throw new DatasetFileError(400, "path: must be relative to the dataset folder");
  if (path.split("/").some((part) => part === "" || part === "." || part === "..")) {
    throw new DatasetFileError(400, "path: must not contain empty, '.' or '..' segments");
  }
  const extension = extname(path).toLowerCase();
  if (IMAGE_TYPES[extension] === undefined) throw new DatasetFileError(400, `path: must name an image (${Object.keys(IMAGE_TYPES).join(", ")})`);
  return path;
}

/** The real path of an image inside the folder, with its size; symlinks may not lead out of it. */
export async function resolveDatasetImage(folder: string, path: string): Promise<{ path: string; bytes: number; contentType: string }> {
  checkRelativePath(path);
  let real: string;
  try {
    real = await realpath(join(folder, ...path.split("/")));
  } catch {
    throw new DatasetFileError(404, `path: ${path} not found in the dataset`);
  }
  if (!isInside(folder, real)) throw new DatasetFileError(403, "path: leads outside the dataset folder");
  const info = await stat(real);
  if (!info.isFile()) throw new DatasetFileError(404, `path: ${path} is not a file`);
  if (info.size > MAX_IMAGE_BYTES) throw new DatasetFileError(413, `path: the file exceeds ${MAX_IMAGE_BYTES} bytes`);
  const contentType = IMAGE_TYPES[extname(real).toLowerCase()];
  if (contentType === undefined) throw new DatasetFileError(400, "path: must lead to an image file");
  return { path: real, bytes: info.size, contentType };
}

export interface DatasetSample {
  className: string;
  path: string;
}

/** Up to `limit` images under `dir` (nested folders too, sorted, dot files skipped), as paths relative to the folder. */
async function imagesUnder(dir: string, prefix: string, limit: number, budget = { entries: MAX_ENTRIES_PER_CLASS }): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const found: string[] = [];
  for (const entry of entries) {
    if (found.length >= limit || budget.entries-- <= 0) break;
    if (entry.name.startsWith(".")) continue;
    const path = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await imagesUnder(join(dir, entry.name), path, limit - found.length, budget)));
    else if (entry.isFile() && IMAGE_TYPES[extname(entry.name).toLowerCase()] !== undefined) found.push(path);
  }
  return found;
}

/** `root/<class>/` or `root/{train,valid|val}/<class>/`: the folders a class's images sit in. */
async function classPrefixes(folder: string): Promise<string[]> {
  const names = new Set((await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name));
  const valid = names.has("valid") ? "valid" : names.has("val") ? "val" : null;
  return names.has("train") && valid !== null ? ["train/", `${valid}/`] : [""];
}

async function folderSamples(folder: string, classes: readonly string[], perClass: number): Promise<DatasetSample[]> {
  const prefixes = await classPrefixes(folder);
  const samples: DatasetSample[] = [];
  for (const className of classes) {
    let paths: string[] = [];
    for (const prefix of prefixes) {
      if (paths.length >= perClass) break;
      const relative = `${prefix}${className}`;
      paths = [...paths, ...(await imagesUnder(join(folder, ...relative.split("/")), relative, perClass - paths.length))];
    }
    samples.push(...paths.map((path) => ({ className, path })));
  }
  return samples;
}

async function csvSamples(csvPath: string, classes: readonly string[], perClass: number): Promise<DatasetSample[]> {
  if ((await stat(csvPath)).size > MAX_CSV_BYTES) return [];
  const [header, ...rows] = parseCsv(await readFile(csvPath, "utf8"));
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const pathColumn = names.indexOf("path");
  const labelColumn = names.indexOf("label");
  const wanted = new Map(classes.map((c) => [c, [] as string[]]));
  for (const row of rows) {
    const paths = wanted.get(row.fields[labelColumn]?.trim() ?? "");
    const path = row.fields[pathColumn]?.trim().replaceAll("\\", "/");
    if (paths === undefined || path === undefined || paths.length >= perClass) continue;
    try {
      paths.push(checkRelativePath(path));
    } catch {
      // rows the trainer would refuse are not shown either
    }
  }
  return [...wanted].flatMap(([className, paths]) => paths.map((path) => ({ className, path })));
}

/** Up to `perClass` image paths per class (the first 200 classes), relative to the dataset folder. */
export async function datasetSamples(dataset: DatasetRecord, launch: LaunchSettings, perClass: number): Promise<DatasetSample[]> {
  const folder = await datasetFolder(dataset, launch);
  const classes = dataset.classNames.slice(0, 200);
  const source = resolve(dataset.sourceUri);
  if ((await stat(source)).isFile()) return csvSamples(source, classes, perClass);
  return folderSamples(folder, classes, perClass);
}
