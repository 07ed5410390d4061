/**
 * Segmentation data sets as folders: an image folder and a mask folder whose files pair by
 * name (`images/<stem>.jpg` with `labels/<stem>.png`, or `<stem><maskSuffix>.png`), either at the
 * root or under `train/` and `valid/` (or `val/`), which then give the split. CamVid's layout
 * (`train/images`, `train/labels`, `val/images`, `val/labels`) reads as it is.
 */
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { type FileLimits, imageExtensions, type SkippedFile, type SplitName } from "../dataset.ts";
import { buildSegmentationDataset, type ClassSource, type PairCandidate } from "./build.ts";
import { type ClassList, defaultIgnoreIndex, readClassList, validateClassList } from "./classes.ts";
import type { SegmentationDataset } from "./dataset.ts";

export const imageFolderNames = ["images", "imgs", "img", "image"];
export const maskFolderNames = ["labels", "masks", "annotations", "label", "mask", "gt"];
/** Class files looked for in the data set root, in this order. */
export const classFileNames = ["classes.json", "codes.txt"];

export interface SegmentationFolderOptions {
  /** Name of the image folder (default: the one of imageFolderNames present). */
  images?: string;
  /** Name of the mask folder (default: the one of maskFolderNames present). */
  masks?: string;
  /** What follows the image's stem in its mask's name, e.g. "_P" for `a.png` ↔ `a_P.png`. */
  maskSuffix?: string;
  /**
   * The classes: a list, or the path of a classes file (JSON or codes.txt). Default: classes.json
   * or codes.txt in the root, else derived from the masks ("0" … the largest value).
   */
  classes?: ClassList | string;
  /** Ignore index when the classes are derived or read from codes.txt (default 255). */
  ignoreIndex?: number;
  limits?: Partial<FileLimits>;
}

async function listFiles(dir: string, relative: string): Promise<{ path: string; relativePath: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: { path: string; relativePath: string }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
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

function pickFolder(names: string[], given: string | undefined, known: string[], what: string, where: string): string | undefined {
  if (given !== undefined) return names.includes(given) ? given : undefined;
  const present = known.filter((name) => names.includes(name));
  if (present.length > 1) throw new Error(`${where}: has several ${what} folders (${present.join(", ")}); name the one to use`);
  return present[0];
}

interface PairFolders {
  prefix: string;
  images: string;
  masks: string;
  split?: SplitName;
}

async function pairFolders(base: string, prefix: string, options: SegmentationFolderOptions, split?: SplitName): Promise<PairFolders | undefined> {
  const names = await subfolders(base);
  const where = `dataset folder ${base}`;
  const images = pickFolder(names, options.images, imageFolderNames, "image", where);
  const masks = pickFolder(names, options.masks, maskFolderNames, "mask", where);
  if (images === undefined || masks === undefined) return undefined;
  return { prefix, images, masks, ...(split === undefined ? {} : { split }) };
}

async function detectLayout(root: string, options: SegmentationFolderOptions): Promise<PairFolders[]> {
  const flat = await pairFolders(root, "", options);
  if (flat) return [flat];
  const names = await subfolders(root);
  const validNames = names.filter((n) => n === "valid" || n === "val");
  if (validNames.length > 1) throw new Error(`dataset folder ${root}: has both "valid" and "val" subfolders; keep one as the validation split`);
  if (names.includes("train") && validNames.length === 1) {
    const train = await pairFolders(join(root, "train"), "train", options, "train");
    const valid = await pairFolders(join(root, validNames[0]!), validNames[0]!, options, "valid");
    if (train && valid) return [train, valid];
  }
  const imageNames = options.images ?? imageFolderNames.join("|");
  const maskNames = options.masks ?? maskFolderNames.join("|");
  throw new Error(
    `dataset folder ${root}: expected an image folder (${imageNames}) and a mask folder (${maskNames}), at the root or under train/ and valid/ (or val/)`,
  );
}

const stemOf = (relativeInside: string) => relativeInside.slice(0, relativeInside.length - extname(relativeInside).length);

async function pairCandidates(root: string, folders: PairFolders, maskSuffix: string, skipped: SkippedFile[]): Promise<PairCandidate[]> {
  const join2 = (...parts: string[]) => parts.filter((p) => p !== "").join("/");
  const imageDir = join(root, folders.prefix, folders.images);
  const maskDir = join(root, folders.prefix, folders.masks);
  const isImage = (file: { relativePath: string }) => {
    const extension = extname(file.relativePath).toLowerCase();
    if (imageExtensions.has(extension)) return true;
    skipped.push({ relativePath: file.relativePath, reason: `not an image file (extension "${extension}" is not one of ${[...imageExtensions].join(", ")})` });
    return false;
  };
  const images = (await listFiles(imageDir, join2(folders.prefix, folders.images))).filter(isImage);
  const masks = (await listFiles(maskDir, join2(folders.prefix, folders.masks))).filter(isImage);
  // A mask is found by its path inside the mask folder without extension: "<dir>/<stem><suffix>".
  const masksByStem = new Map<string, { path: string; relativePath: string }[]>();
  const maskPrefix = `${join2(folders.prefix, folders.masks)}/`;
  for (const mask of masks) {
    const key = stemOf(mask.relativePath.slice(maskPrefix.length));
    masksByStem.set(key, [...(masksByStem.get(key) ?? []), mask]);
  }
  const imagePrefix = `${join2(folders.prefix, folders.images)}/`;
  const used = new Set<string>();
  const candidates: PairCandidate[] = [];
  for (const image of images) {
    const key = `${stemOf(image.relativePath.slice(imagePrefix.length))}${maskSuffix}`;
    const found = masksByStem.get(key) ?? [];
    if (found.length === 0) {
      skipped.push({ relativePath: image.relativePath, reason: `no mask ${maskPrefix}${key}.png (or another extension) for this image` });
      continue;
    }
    if (found.length > 1) {
      skipped.push({ relativePath: image.relativePath, reason: `several masks match this image: ${found.map((m) => m.relativePath).join(", ")}` });
      for (const mask of found) used.add(mask.relativePath);
      continue;
    }
    const mask = found[0]!;
    used.add(mask.relativePath);
    candidates.push({
      path: image.path,
      relativePath: image.relativePath,
      maskPath: mask.path,
      maskRelativePath: mask.relativePath,
      ...(folders.split === undefined ? {} : { split: folders.split }),
    });
  }
  for (const mask of masks) {
    if (!used.has(mask.relativePath)) skipped.push({ relativePath: mask.relativePath, reason: `no image in ${imagePrefix} for this mask` });
  }
  return candidates;
}

async function resolveClasses(root: string, options: SegmentationFolderOptions): Promise<ClassSource> {
  const { classes } = options;
  if (typeof classes === "object") return { list: validateClassList(classes), source: "given" };
  if (typeof classes === "string") return { list: await readWithIgnore(classes, options.ignoreIndex), source: classes };
  for (const name of classFileNames) {
    const path = join(root, name);
    if (existsSync(path)) return { list: await readWithIgnore(path, options.ignoreIndex), source: name };
  }
  return { derived: true, ignoreIndex: options.ignoreIndex ?? defaultIgnoreIndex };
}

/** A classes file; for codes.txt (which has no ignore index) the option's ignore index applies. */
async function readWithIgnore(path: string, ignoreIndex: number | undefined): Promise<ClassList> {
  const list = await readClassList(path);
  if (ignoreIndex === undefined || !path.toLowerCase().endsWith(".txt")) return list;
  return validateClassList({ ...list, ignoreIndex }, path);
}

/** Reads an image folder + mask folder data set (see the module comment for the layouts). */
export async function readSegmentationFolder(root: string, options: SegmentationFolderOptions = {}): Promise<SegmentationDataset> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch {
    throw new Error(`dataset folder ${root}: does not exist or cannot be read`);
  }
  if (!isDirectory) throw new Error(`dataset folder ${root}: is a file, expected a folder with an image folder and a mask folder`);
  const layout = await detectLayout(root, options);
  const classSource = await resolveClasses(root, options);
  const skipped: SkippedFile[] = [];
  const candidates: PairCandidate[] = [];
  for (const folders of layout) candidates.push(...(await pairCandidates(root, folders, options.maskSuffix ?? "", skipped)));
  return buildSegmentationDataset(root, candidates, skipped, classSource, options.limits);
}
