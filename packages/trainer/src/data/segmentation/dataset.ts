/** The shape of a semantic segmentation data set: image files paired with class-index masks. */
import type { SkippedFile, SplitName } from "../dataset.ts";
import type { ClassList } from "./classes.ts";

export interface SegmentationItem {
  /** Absolute path of the image file. */
  path: string;
  /** Image path relative to the data set root, "/" separators. */
  relativePath: string;
  /** Absolute path of the mask file. */
  maskPath: string;
  maskRelativePath: string;
  width: number;
  height: number;
  /** Split given by the source (train/valid folders, a CSV split column), if any. */
  split?: SplitName;
  /** Pixels of each class in the mask (index order); ignored pixels are not counted here. */
  pixelCounts: number[];
  /** Pixels with the ignore index. */
  ignoredPixels: number;
  /** sha256 of the image bytes and of the mask bytes, hex. */
  sha256: string;
  maskSha256: string;
}

export interface SegmentationDataset {
  root: string;
  classes: ClassList;
  /** Where the class list came from: a file's path relative to root, "given" or "derived". */
  classSource: string;
  items: SegmentationItem[];
  /** Images or masks left out, each with the reason (naming the other file of the pair where it matters). */
  skipped: SkippedFile[];
  /** sha256 over sorted (image path, image hash, mask hash) lines and the class names. */
  contentHash: string;
}
