/**
 * The model cache: `<cache>/<name>/<sha256 prefix>/<file>` (and `unpacked/` beside an archive).
 * Keyed by hash, so a catalog update that changes a file never reuses the old bytes. Pulling
 * works offline when the file is cached; loading never downloads and re-verifies before use.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { importOnnx } from "../import/onnx-import.ts";
import { writePreprocessing } from "../import/preprocessing.ts";
import { importTfliteFile } from "../import/tflite-import.ts";
import type { Model } from "../../onnx/ir.ts";
import type { CatalogEntry } from "./catalog.ts";
import { downloadPinned, type DownloadOptions, isVerified } from "./download.ts";
import { unpackTarGz, unpackTarGzAsync } from "./tar.ts";

export function entryFolder(entry: CatalogEntry, cacheDir: string): string {
  return join(cacheDir, entry.name, entry.sha256.slice(0, 16));
}

/** The URL's file name; a bare model file gets its format's extension if the URL lacks it. */
export function downloadedFile(entry: CatalogEntry, cacheDir: string): string {
  const name = basename(new URL(entry.url).pathname) || entry.name;
  const extension = `.${entry.format}`;
  return join(entryFolder(entry, cacheDir), entry.archive || name.toLowerCase().endsWith(extension) ? name : `${name}${extension}`);
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(folder, join(d.parentPath, d.name)).split("\\").join("/"));
}

/** The model inside an unpacked archive: `member`, else its one file of the entry's format. */
function modelInArchive(entry: CatalogEntry, unpacked: string): string {
  if (entry.member) {
    const path = join(unpacked, entry.member);
    if (!existsSync(path)) throw new Error(`catalog model '${entry.name}': the archive has no member '${entry.member}'`);
    return path;
  }
  const candidates = listFiles(unpacked).filter((f) => f.toLowerCase().endsWith(`.${entry.format}`));
  if (candidates.length !== 1) {
    throw new Error(
      `catalog model '${entry.name}': the archive holds ${candidates.length} .${entry.format} files (${candidates.join(", ") || "none"}); name one as 'member'`,
    );
  }
  return join(unpacked, candidates[0]!);
}

/** Unpacks into a temporary folder renamed at the end, so `unpacked/` is there only when complete. */
function unpack(entry: CatalogEntry, archive: string): string {
  const folder = join(archive, "..", "unpacked");
  if (!existsSync(folder)) {
    const temporary = `${folder}.tmp-${process.pid}`;
    rmSync(temporary, { recursive: true, force: true });
    unpackTarGz(readFileSync(archive), temporary);
    renameSync(temporary, folder);
  }
  return modelInArchive(entry, folder);
}

/** `unpack` for a server process: the archive is read and inflated off the event loop. */
async function unpackAsync(entry: CatalogEntry, archive: string): Promise<string> {
  const folder = join(archive, "..", "unpacked");
  if (!existsSync(folder)) {
    const temporary = `${folder}.tmp-${process.pid}-${Date.now()}`;
    try {
      await unpackTarGzAsync(await readFile(archive), temporary);
      // Another pull may have finished first: its folder is as good as ours.
      if (existsSync(folder)) rmSync(temporary, { recursive: true, force: true });
      else renameSync(temporary, folder);
    } catch (error) {
      rmSync(temporary, { recursive: true, force: true });
      throw error;
    }
  }
  return modelInArchive(entry, folder);
}

/** The verified model file of a cached entry, or undefined when it is not (or no longer) in the cache. */
export function cachedModelFile(entry: CatalogEntry, cacheDir: string): string | undefined {
  const file = downloadedFile(entry, cacheDir);
  if (!isVerified(file, entry)) return undefined;
  return entry.archive ? unpack(entry, file) : file;
}

/** Downloads (or finds in the cache), verifies and unpacks an entry; returns the model file. */
export async function pullCatalogModel(entry: CatalogEntry, cacheDir: string, options: DownloadOptions = {}): Promise<string> {
  const file = downloadedFile(entry, cacheDir);
  await downloadPinned(entry, file, options);
  return entry.archive ? unpackAsync(entry, file) : file;
}

export function cachedSize(entry: CatalogEntry, cacheDir: string): number | undefined {
  const file = downloadedFile(entry, cacheDir);
  return existsSync(file) ? statSync(file).size : undefined;
}

/** A cached entry as an ONNX IR model with the catalog's preprocessing recorded in its metadata. */
export function loadCatalogModel(entry: CatalogEntry, cacheDir: string): Model {
  const file = cachedModelFile(entry, cacheDir);
  if (!file)
    throw new Error(
      `catalog model '${entry.name}' is not in the cache (${cacheDir}), or its file there no longer matches its sha256; run 'runboard-train models pull ${entry.name}'`,
    );
  return loadCatalogModelFile(entry, file);
}

/**
 * The model file that `pullCatalogModel` just returned (so already verified), loaded as
 * `loadCatalogModel` would, without hashing it a second time.
 */
export function loadCatalogModelFile(entry: CatalogEntry, file: string): Model {
  const { mean, std, layout } = entry.preprocessing;
  const model =
    entry.format === "onnx" ? importOnnx(file, { normalization: { mean, std }, layout: layout ?? "NCHW" }) : importTfliteFile(file, { name: entry.name });
  if (entry.format === "onnx") writePreprocessing(model, { input: model.graph.inputs[0]?.name ?? "input", size: entry.inputSize, mean, std });
  model.metadata["runboard.catalog_name"] = entry.name;
  return model;
}
