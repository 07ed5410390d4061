/**
 * Finding the raw files of a dataset and their classes: a folder per class, or one flat
 * folder whose file names start with the class and an underscore (FSDD's `7_jackson_3.wav`).
 */
import { readdir } from "node:fs/promises";
import { extname, join, relative } from "node:path";

export type LabelSource = "folders" | "filename-prefix";

export interface LabeledFile {
  path: string;
  /** Path relative to the dataset root, for reports. */
  relative: string;
  label: string;
}

export interface SourceListing {
  labels: LabelSource;
  files: LabeledFile[];
  /** Files that were not taken, with the reason. */
  skipped: { file: string; reason: string }[];
}

const visible = (name: string): boolean => !name.startsWith(".");

async function listFolders(root: string, extension: string, listing: SourceListing): Promise<void> {
  const entries = (await readdir(root, { withFileTypes: true })).filter((entry) => visible(entry.name) && entry.isDirectory());
  for (const folder of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const files = (await readdir(join(root, folder.name), { withFileTypes: true })).filter((entry) => visible(entry.name) && entry.isFile());
    for (const file of files.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(root, folder.name, file.name);
      if (extname(file.name).toLowerCase() !== extension) {
        listing.skipped.push({ file: relative(root, path), reason: `not a ${extension} file` });
      } else {
        listing.files.push({ path, relative: relative(root, path), label: folder.name });
      }
    }
  }
}

async function listPrefixed(root: string, extension: string, listing: SourceListing): Promise<void> {
  const files = (await readdir(root, { withFileTypes: true })).filter((entry) => visible(entry.name) && entry.isFile());
  for (const file of files.sort((a, b) => a.name.localeCompare(b.name))) {
    const underscore = file.name.indexOf("_");
    if (extname(file.name).toLowerCase() !== extension) {
      listing.skipped.push({ file: file.name, reason: `not a ${extension} file` });
    } else if (underscore < 1) {
      listing.skipped.push({ file: file.name, reason: 'file name has no "<class>_" prefix' });
    } else {
      listing.files.push({ path: join(root, file.name), relative: file.name, label: file.name.slice(0, underscore) });
    }
  }
}

/** Lists `extension` files (".wav", ".pdf") under `root`; "auto" picks folders when there are subfolders. */
export async function listLabeledFiles(root: string, extension: string, labels: LabelSource | "auto"): Promise<SourceListing> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    throw new Error(`dataset source ${root} is not a readable folder (${(error as Error).message})`);
  }
  const resolved: LabelSource =
    labels !== "auto" ? labels : entries.some((entry) => entry.isDirectory() && visible(entry.name)) ? "folders" : "filename-prefix";
  const listing: SourceListing = { labels: resolved, files: [], skipped: [] };
  if (resolved === "folders") await listFolders(root, extension, listing);
  else await listPrefixed(root, extension, listing);
  if (listing.files.length === 0) throw new Error(`dataset source ${root} holds no ${extension} files (labels from ${resolved})`);
  return listing;
}

/** A class or file name that is safe as one path segment. */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._ -]/g, "_").trim();
  return cleaned === "" || cleaned === "." || cleaned === ".." ? `_${cleaned}_` : cleaned;
}
