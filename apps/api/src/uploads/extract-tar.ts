/**
 * Tar and tar.gz archives through node-tar's parser (gzip is detected from the bytes). Entries
 * are written here, not by node-tar's unpacker, so each refusal is ours: only regular files and
 * folders, every path through `entryPath`, every size through the budget. node-tar's own
 * decompression-ratio guard covers the gzip stream as a whole.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { badInput } from "@runboard/db";
import { Parser, type ReadEntry } from "tar";
import { GraphQLError } from "graphql";
import { entryPath, type ExtractionBudget, type UploadLimits } from "./limits.ts";
import { makeFolder, writeEntry } from "./write-entry.ts";

const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);

const refusedType = (type: string): string =>
  /Link/.test(type) ? "links are not allowed" : /Device|FIFO/.test(type) ? "devices and pipes are not allowed" : `entries of type ${type} are not supported`;

/** Validates one entry and starts its write; a refused entry throws before anything is written. */
function admit(entry: ReadEntry, dest: string, budget: ExtractionBudget, signal: AbortSignal): Promise<void> | null {
  const path = entryPath(entry.path);
  if (entry.type !== "Directory" && !FILE_TYPES.has(entry.type)) {
    throw badInput("body", `entry ${JSON.stringify(entry.path.slice(0, 200))}: ${refusedType(entry.type)}`);
  }
  if (path === null) return null;
  if (entry.type === "Directory") {
    entry.resume();
    return makeFolder(dest, path);
  }
  budget.admitFile(entry.size ?? 0);
  return writeEntry(dest, path, entry, signal);
}

function parseError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return /decompression ratio/.test(message)
    ? badInput("body", `the archive unpacks to more than the allowed ratio of its compressed size (zip bomb?): ${message}`)
    : badInput("body", `is not a readable tar or tar.gz archive: ${message}`);
}

export async function extractTar(archive: string, dest: string, budget: ExtractionBudget, limits: UploadLimits): Promise<void> {
  const writes: Promise<void>[] = [];
  const stop = new AbortController();
  let refusal: unknown;
  const parser = new Parser({ strict: true, maxDecompressionRatio: limits.maxCompressionRatio });
  const refuse = (error: unknown) => {
    refusal ??= error;
    stop.abort(error);
    parser.abort(error as Error);
  };
  parser.on("entry", (entry: ReadEntry) => {
    try {
      if (refusal !== undefined) throw refusal;
      const write = admit(entry, dest, budget, stop.signal);
      if (write === null) entry.resume();
      else writes.push(write.catch(refuse));
    } catch (error) {
      entry.resume();
      refuse(error);
    }
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("error", reject);
    parser.on("end", resolve);
    createReadStream(archive).on("error", reject).pipe(parser);
  }).catch((error: unknown) => {
    refusal ??= error;
    stop.abort(error);
  });
  await Promise.all(writes);
  if (refusal !== undefined) throw parseError(refusal);
  budget.checkRatio(budget.bytes, (await stat(archive)).size, "the archive");
}
