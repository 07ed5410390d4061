/**
 * Zip archives through yauzl, one entry at a time (lazyEntries). Before an entry is read:
 * its path through `entryPath`, its declared size through the budget, its compression ratio
 * (a zip bomb declares it), no encryption, and from the Unix mode bits no links or devices.
 * yauzl checks that each entry's real size matches what it declared.
 */
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import { badInput } from "@runboard/db";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { GraphQLError } from "graphql";
import { entryPath, type ExtractionBudget } from "./limits.ts";
import { makeFolder, writeEntry } from "./write-entry.ts";

const openZip = promisify<string, yauzl.Options, ZipFile>(yauzl.open);

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function checkEntry(entry: Entry, budget: ExtractionBudget): string | null {
  const shown = JSON.stringify(entry.fileName.slice(0, 200));
  const path = entryPath(entry.fileName);
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) throw badInput("body", `entry ${shown}: links, devices and pipes are not allowed`);
  if (entry.isEncrypted()) throw badInput("body", `entry ${shown}: encrypted entries are not supported`);
  if (path === null || entry.fileName.endsWith("/")) return path;
  budget.admitFile(entry.uncompressedSize);
  budget.checkRatio(entry.uncompressedSize, entry.compressedSize, `entry ${shown}`);
  return path;
}

async function extractEntry(zip: ZipFile, entry: Entry, dest: string, budget: ExtractionBudget): Promise<void> {
  const path = checkEntry(entry, budget);
  if (path === null) return;
  if (entry.fileName.endsWith("/")) return makeFolder(dest, path);
  const content = await promisify<Entry, NodeJS.ReadableStream>(zip.openReadStream.bind(zip))(entry);
  await writeEntry(dest, path, content);
}

function readError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return badInput("body", `is not a readable zip archive: ${error instanceof Error ? error.message : String(error)}`);
}

export async function extractZip(archive: string, dest: string, budget: ExtractionBudget): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(archive, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true });
  } catch (error) {
    throw readError(error);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", resolve);
      zip.on("entry", (entry: Entry) => {
        extractEntry(zip, entry, dest, budget).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } catch (error) {
    throw readError(error);
  } finally {
    zip.close();
  }
  budget.checkRatio(budget.bytes, (await stat(archive)).size, "the archive");
}
