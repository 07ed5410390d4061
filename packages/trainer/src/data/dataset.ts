/** The shape of an image classification data set, independent of where it came from. */

export type SplitName = "train" | "valid";

export interface ImageItem {
  /** Absolute path of the image file. */
  path: string;
  /** Path relative to the data set root, with "/" separators (stable across machines). */
  relativePath: string;
  /** Index into the data set's sorted class names. */
  label: number;
  /** Split given by the source (train/valid folders), if any. */
  split?: SplitName;
  /** Fold given by the source (a CSV fold column), if any. */
  fold?: number;
  /** sha256 of the file bytes, hex. */
  sha256: string;
}

export interface SkippedFile {
  relativePath: string;
  /** Why the file was left out, naming the limit or the decoder's complaint. */
  reason: string;
}

export interface ImageDataset {
  root: string;
  /** Class names, sorted; labels index into this. */
  classes: string[];
  items: ImageItem[];
  skipped: SkippedFile[];
  /** sha256 over sorted relative paths, file hashes and labels of the usable items. */
  contentHash: string;
}

/** Limits against hostile or broken files. */
export interface FileLimits {
  /** Largest accepted file, bytes. */
  maxFileBytes: number;
  /** Largest accepted width × height (passed to sharp as limitInputPixels). */
  maxPixels: number;
  /** "full" decodes every file once to catch truncated data; "header" only reads metadata. */
  verify: "full" | "header";
}

export const defaultFileLimits: FileLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  // PIL's default decompression-bomb threshold, which fastai users meet through PIL.
  maxPixels: 89_478_485,
  verify: "full",
};

export const imageExtensions: ReadonlySet<string> = new Set([".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".avif", ".heic", ".heif"]);
