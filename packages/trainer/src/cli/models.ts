/** `runboard-train models list | pull NAME…`: the backbone catalog and its cache. */
import { formatDuration } from "../learner/progress.ts";
import { type CatalogEntry, catalogLocation, readCatalog, requireCatalogEntry } from "../models/catalog/catalog.ts";
import { cachedSize, pullCatalogModel } from "../models/catalog/cache.ts";
import { NoNetworkError } from "../models/catalog/download.ts";
import { parseFlags, stringFlag, UsageError } from "./options.ts";

export const MODELS_USAGE = `runboard-train models list [--catalog FILE]
runboard-train models pull NAME... [--catalog FILE]
  the backbone catalog: pretrained ImageNet backbones pinned by URL, size and sha256
  list                 name, format, input size, download size, licence, and whether it is cached
  pull NAME...         download (resuming a partial one), verify and cache; offline, the cache is used
  --catalog FILE       another catalog file (default: the trainer's own; or RUNBOARD_MODEL_CATALOG)
  the cache: RUNBOARD_MODEL_CACHE (default: runboard/models under the user's cache folder);
  train with --arch catalog:NAME (or NAME) once pulled`;

const FLAGS = { catalog: { type: "string" } } as const;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function listLine(entry: CatalogEntry, cached: boolean): string {
  return [
    entry.name,
    entry.format,
    `${entry.inputSize[0]}x${entry.inputSize[1]}`,
    megabytes(entry.size),
    entry.license,
    cached ? "cached" : "-",
    entry.family,
  ].join("\t");
}

/** "pull NAME [#####.....] 6.7/13.5 MB 50% eta 00:04" */
export function pullLine(name: string, received: number, total: number, elapsedSeconds: number, width = 30, resumedAt = 0): string {
  const fraction = total > 0 ? Math.min(1, received / total) : 1;
  const filled = Math.round(fraction * width);
  // A resumed download's rate counts only the bytes of this try.
  const eta = received > resumedAt ? (elapsedSeconds / (received - resumedAt)) * (total - received) : Number.NaN;
  return `pull ${name} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(received / 1e6).toFixed(1)}/${megabytes(total)} ${Math.floor(fraction * 100)}% eta ${formatDuration(eta)}`;
}

/** A bar redrawn in place on a terminal; elsewhere a line at each 10%. */
function progressReporter(name: string, stream: NodeJS.WriteStream = process.stderr): (received: number, total: number) => void {
  const started = Date.now();
  let lastDecile = -1;
  let resumedAt: number | undefined;
  return (received, total) => {
    resumedAt ??= received;
    const decile = Math.floor((received / total) * 10);
    const line = pullLine(name, received, total, (Date.now() - started) / 1000, 30, resumedAt);
    if (stream.isTTY) stream.write(`\r${line}${received === total ? "\n" : ""}`);
    else if (decile !== lastDecile) stream.write(`${line}\n`);
    lastDecile = decile;
  };
}

export async function modelsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseFlags(rest, FLAGS);
  const location = catalogLocation();
  const catalog = readCatalog(stringFlag(values, "catalog") ?? location.catalogFile);
  if (action === "list") {
    if (positionals.length > 0) throw new UsageError(`models list takes no names, got '${positionals.join(" ")}'`);
    process.stdout.write(`# catalog ${catalog.version}, cache ${location.cacheDir}\n`);
    // Size only: listing stays fast; every use verifies the hash.
    for (const entry of catalog.entries) process.stdout.write(`${listLine(entry, cachedSize(entry, location.cacheDir) === entry.size)}\n`);
    return;
  }
  if (action !== "pull") throw new UsageError(`models: expected 'list' or 'pull NAME...', got '${action ?? ""}'`);
  if (positionals.length === 0) throw new UsageError("models pull: name at least one model (see 'runboard-train models list')");
  const entries = positionals.map((name) => {
    try {
      return requireCatalogEntry(catalog, name);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
  for (const entry of entries) {
    try {
      const file = await pullCatalogModel(entry, location.cacheDir, { onProgress: progressReporter(entry.name) });
      process.stdout.write(`${entry.name}\t${file}\n`);
    } catch (error) {
      // Offline: one line, not a stack of causes.
      if (error instanceof NoNetworkError) throw new Error(`${error.message}; '${entry.name}' is not in the cache (${location.cacheDir})`, { cause: error });
      throw error;
    }
  }
}
