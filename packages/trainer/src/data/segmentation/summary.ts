/**
 * A segmentation data set's report: per class, its pixels in each split, its share of the
 * labelled pixels and how many images contain it; the ignored pixels; skipped files; the hash.
 */
import { type Split, splitTrainValid, type SplitOptions } from "../split.ts";
import type { SkippedFile } from "../dataset.ts";
import type { SegmentationDataset } from "./dataset.ts";

/** Train/valid split of a segmentation data set: the source's split when it has one, else seeded random. */
export function splitSegmentation(dataset: SegmentationDataset, options: SplitOptions = {}): Split {
  return splitTrainValid(
    dataset.items.map((item) => ({ label: 0, ...(item.split === undefined ? {} : { split: item.split }) })),
    options,
  );
}

export interface ClassPixelStats {
  name: string;
  pixels: { train: number; valid: number };
  /** Share of the labelled (not ignored) pixels of both splits, 0-1. */
  fraction: number;
  /** Images whose mask holds at least one pixel of the class, per split. */
  images: { train: number; valid: number };
}

export interface SegmentationSummary {
  classes: ClassPixelStats[];
  ignoreIndex: number;
  ignoredPixels: { train: number; valid: number };
  train: number;
  valid: number;
  skipped: SkippedFile[];
  contentHash: string;
}

export function summarizeSegmentation(dataset: SegmentationDataset, split: Split): SegmentationSummary {
  const classCount = dataset.classes.names.length;
  const pixels = { train: new Array<number>(classCount).fill(0), valid: new Array<number>(classCount).fill(0) };
  const images = { train: new Array<number>(classCount).fill(0), valid: new Array<number>(classCount).fill(0) };
  const ignoredPixels = { train: 0, valid: 0 };
  for (const part of ["train", "valid"] as const) {
    for (const index of split[part]) {
      const item = dataset.items[index]!;
      item.pixelCounts.forEach((count, c) => {
        pixels[part][c]! += count;
        if (count > 0) images[part][c]!++;
      });
      ignoredPixels[part] += item.ignoredPixels;
    }
  }
  const labelled = pixels.train.reduce((a, b) => a + b, 0) + pixels.valid.reduce((a, b) => a + b, 0);
  return {
    classes: dataset.classes.names.map((name, c) => ({
      name,
      pixels: { train: pixels.train[c]!, valid: pixels.valid[c]! },
      fraction: labelled === 0 ? 0 : (pixels.train[c]! + pixels.valid[c]!) / labelled,
      images: { train: images.train[c]!, valid: images.valid[c]! },
    })),
    ignoreIndex: dataset.classes.ignoreIndex,
    ignoredPixels,
    train: split.train.length,
    valid: split.valid.length,
    skipped: dataset.skipped,
    contentHash: dataset.contentHash,
  };
}

/** Plain-text table for logs and the CLI. */
export function formatSegmentationSummary(summary: SegmentationSummary): string {
  const width = Math.max(5, ...summary.classes.map((c) => c.name.length), `ignored (${summary.ignoreIndex})`.length);
  const number = (value: number, size: number) => String(value).padStart(size);
  const lines = [`${"class".padEnd(width)}  ${"train px".padStart(11)}  ${"valid px".padStart(11)}  share   images (train/valid)`];
  for (const c of summary.classes) {
    const share = `${(100 * c.fraction).toFixed(2)}%`.padStart(7);
    lines.push(`${c.name.padEnd(width)}  ${number(c.pixels.train, 11)}  ${number(c.pixels.valid, 11)}  ${share}  ${c.images.train}/${c.images.valid}`);
  }
  lines.push(`${`ignored (${summary.ignoreIndex})`.padEnd(width)}  ${number(summary.ignoredPixels.train, 11)}  ${number(summary.ignoredPixels.valid, 11)}`);
  lines.push(`images: ${summary.train} train, ${summary.valid} valid`);
  lines.push(`skipped: ${summary.skipped.length}${summary.skipped.map((s) => `\n  ${s.relativePath}: ${s.reason}`).join("")}`);
  lines.push(`content sha256: ${summary.contentHash}`);
  return lines.join("\n");
}
