/**
 * The backbone catalog: pretrained ImageNet backbones that can be downloaded by name, each
 * pinned to one URL at a commit with the file's size and sha256 (for the ONNX Model Zoo, the
 * values of its Git LFS pointer), so nothing unverified is ever used. The catalog is a
 * versioned JSON file (catalog.json beside this module); another file with the same shape
 * can replace it (a mirror, an air-gapped copy, tests).
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface CatalogEntry {
  name: string;
  family: string;
  /** The synthetic architecture of the same shape (models/synthetic), when there is one. */
  architecture?: string;
  /** The model file's format, inside the archive when there is one. */
  format: "onnx" | "tflite";
  /** The downloaded file is this archive; the model is its one .onnx/.tflite member, or `member`. */
  archive?: "tar.gz";
  member?: string;
  url: string;
  sha256: string;
  /** Bytes of the downloaded file. */
  size: number;
  /** [height, width] */
  inputSize: [number, number];
  /**
   * input = (rgb / 255 - mean) / std. `layout`: the file's own image layout (default NCHW); an
   * NHWC file (TensorFlow exports) gets an NCHW input in front on import, so training is the same.
   */
  preprocessing: { mean: [number, number, number]; std: [number, number, number]; layout?: "NCHW" | "NHWC" };
  pretrainedOn: string;
  license: string;
  /** The page the entry was taken from. */
  source: string;
}

export interface Catalog {
  schema: 1;
  version: string;
  entries: CatalogEntry[];
}

export const DEFAULT_CATALOG_FILE = new URL("./catalog.json", import.meta.url);

/** Where the catalog and the cache are, from the environment (the only place the trainer reads it). */
export interface CatalogLocation {
  catalogFile: string | URL;
  cacheDir: string;
}

/**
 * `RUNBOARD_MODEL_CACHE`, else the user's cache folder: `$XDG_CACHE_HOME` or ~/.cache on Linux,
 * ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows; then `runboard/models`.
 * `RUNBOARD_MODEL_CATALOG` names another catalog file.
 */
export function catalogLocation(env: Record<string, string | undefined> = process.env, platform = process.platform, home = homedir()): CatalogLocation {
  const userCache =
    platform === "win32"
      ? (env.LOCALAPPDATA ?? join(home, "AppData", "Local"))
      : platform === "darwin"
        ? join(home, "Library", "Caches")
        : env.XDG_CACHE_HOME || join(home, ".cache");
  return {
    catalogFile: env.RUNBOARD_MODEL_CATALOG ? resolve(env.RUNBOARD_MODEL_CATALOG) : DEFAULT_CATALOG_FILE,
    cacheDir: env.RUNBOARD_MODEL_CACHE ? resolve(env.RUNBOARD_MODEL_CACHE) : join(userCache, "runboard", "models"),
  };
}

export function readCatalog(file: string | URL = DEFAULT_CATALOG_FILE): Catalog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`catalog ${String(file)}: ${(error as Error).message}`, { cause: error });
  }
  return validateCatalog(parsed, String(file));
}

export function validateCatalog(value: unknown, where = "catalog"): Catalog {
  const catalog = value as Partial<Catalog>;
  if (catalog?.schema !== 1 || typeof catalog.version !== "string" || !Array.isArray(catalog.entries)) {
    throw new Error(`${where}: expected { "schema": 1, "version": "…", "entries": [...] }`);
  }
  const names = new Set<string>();
  for (const entry of catalog.entries) {
    const problem = entryProblem(entry);
    if (problem) throw new Error(`${where}: entry '${(entry as { name?: string })?.name ?? "?"}': ${problem}`);
    if (names.has(entry.name)) throw new Error(`${where}: entry '${entry.name}' appears twice`);
    names.add(entry.name);
  }
  return catalog as Catalog;
}

const isTriple = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === "number" && Number.isFinite(x));

function entryProblem(entry: CatalogEntry): string | undefined {
  if (typeof entry?.name !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(entry.name)) return "name must be lowercase letters, digits, '.', '_' or '-'";
  if (entry.format !== "onnx" && entry.format !== "tflite") return "format must be onnx or tflite";
  if (entry.archive !== undefined && entry.archive !== "tar.gz") return "archive must be tar.gz when given";
  if (!/^https?:\/\//.test(entry.url ?? "")) return "url must be http(s)";
  if (!/^[0-9a-f]{64}$/.test(entry.sha256 ?? "")) return "sha256 must be 64 lowercase hex digits";
  if (!Number.isSafeInteger(entry.size) || entry.size <= 0) return "size must be a positive integer (bytes)";
  if (!Array.isArray(entry.inputSize) || entry.inputSize.length !== 2 || !entry.inputSize.every((s) => Number.isInteger(s) && s > 0))
    return "inputSize must be [height, width]";
  if (!isTriple(entry.preprocessing?.mean) || !isTriple(entry.preprocessing?.std)) return "preprocessing needs mean and std, three numbers each";
  if (entry.preprocessing.layout !== undefined && entry.preprocessing.layout !== "NCHW" && entry.preprocessing.layout !== "NHWC")
    return "preprocessing.layout must be NCHW or NHWC when given";
  if (entry.preprocessing.layout === "NHWC" && entry.format !== "onnx") return "preprocessing.layout NHWC is for onnx files (tflite is always NHWC)";
  for (const key of ["family", "pretrainedOn", "license", "source"] as const)
    if (typeof entry[key] !== "string" || entry[key] === "") return `${key} is required`;
  return undefined;
}

/** `catalog:NAME` or NAME → the entry; undefined when the catalog has no such name. */
export function findCatalogEntry(catalog: Catalog, name: string): CatalogEntry | undefined {
  const bare = name.startsWith("catalog:") ? name.slice("catalog:".length) : name;
  return catalog.entries.find((e) => e.name === bare);
}

export function requireCatalogEntry(catalog: Catalog, name: string): CatalogEntry {
  const entry = findCatalogEntry(catalog, name);
  if (!entry) throw new Error(`catalog has no model '${name}'; models: ${catalog.entries.map((e) => e.name).join(", ")}`);
  return entry;
}
