/**
 * Folder-per-class data sets: `root/<class>/...` or `root/{train,valid|val}/<class>/...`.
 * Images may sit in nested folders under a class folder; the class is the top folder.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { buildDataset, type Candidate } from "./build-dataset.ts";
import type { FileLimits, ImageDataset, SplitName } from "./dataset.ts";

async function listFiles(dir: string, relative: string): Promise<{ path: string; relativePath: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: { path: string; relativePath: string }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue; // .DS_Store, editor and VCS files
    const path = join(dir, entry.name);
    const relativePath = `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(path, relativePath)));
    else files.push({ path, relativePath });
  }
  return files;
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

async function classCandidates(root: string, prefix: string, split?: SplitName): Promise<Candidate[]> {
  const base = prefix === "" ? root : join(root, prefix);
  const candidates: Candidate[] = [];
  for (const className of await subfolders(base)) {
    const relative = prefix === "" ? className : `${prefix}/${className}`;
    for (const file of await listFiles(join(base, className), relative)) {
      candidates.push({ ...file, className, ...(split === undefined ? {} : { split }) });
    }
  }
  return candidates;
}

/** Which layout the folder uses: the train/valid folder names, or none for a flat layout. */
async function detectSplitFolders(root: string): Promise<{ valid: string } | undefined> {
  const names = await subfolders(root);
  const validNames = names.filter((n) => n === "valid" || n === "val");
  if (!names.includes("train") || validNames.length === 0) return undefined;
  if (validNames.length > 1) {
    throw new Error(`dataset folder ${root}: has both "valid" and "val" subfolders; keep one as the validation split`);
  }
  return { valid: validNames[0] as string };
}

async function assertFolder(root: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch {
    throw new Error(`dataset folder ${root}: does not exist or cannot be read`);
  }
  if (!isDirectory) throw new Error(`dataset folder ${root}: is a file, expected a folder with one subfolder per class`);
}

/**
 * Reads a folder-per-class data set. With train/ and valid/ (or val/) subfolders, items carry
 * that split; otherwise every subfolder of root is a class. Files directly in root are ignored.
 */
export async function readImageFolder(root: string, limits: Partial<FileLimits> = {}): Promise<ImageDataset> {
  await assertFolder(root);
  const splitFolders = await detectSplitFolders(root);
  const candidates = splitFolders
    ? [...(await classCandidates(root, "train", "train")), ...(await classCandidates(root, splitFolders.valid, "valid"))]
    : await classCandidates(root, "");
  if (candidates.length === 0) {
    const layout = splitFolders ? `train/<class>/ and ${splitFolders.valid}/<class>/` : "<class>/";
    throw new Error(`dataset folder ${root}: no files found; expected the layout ${layout}<image files>`);
  }
  return buildDataset(root, candidates, [], limits);
}
