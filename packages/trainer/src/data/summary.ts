/** A data set's report: per-class counts in each split, skipped files and the content hash. */
import type { ImageDataset, SkippedFile } from "./dataset.ts";
import { type Split, splitCounts } from "./split.ts";

export interface DatasetSummary {
  classes: string[];
  counts: Record<string, { train: number; valid: number }>;
  train: number;
  valid: number;
  skipped: SkippedFile[];
  contentHash: string;
}

export function summarizeDataset(dataset: ImageDataset, split: Split): DatasetSummary {
  return {
    classes: dataset.classes,
    counts: splitCounts(dataset.items, dataset.classes, split),
    train: split.train.length,
    valid: split.valid.length,
    skipped: dataset.skipped,
    contentHash: dataset.contentHash,
  };
}

/** Plain-text table for logs and the CLI. */
export function formatDatasetSummary(summary: DatasetSummary): string {
  const width = Math.max(5, ...summary.classes.map((name) => name.length));
  const lines = [`${"class".padEnd(width)}  train  valid`];
  for (const name of summary.classes) {
    const count = summary.counts[name] ?? { train: 0, valid: 0 };
    lines.push(`${name.padEnd(width)}  ${String(count.train).padStart(5)}  ${String(count.valid).padStart(5)}`);
  }
  lines.push(`${"total".padEnd(width)}  ${String(summary.train).padStart(5)}  ${String(summary.valid).padStart(5)}`);
  lines.push(`skipped: ${summary.skipped.length}${summary.skipped.map((s) => `\n  ${s.relativePath}: ${s.reason}`).join("")}`);
  lines.push(`content sha256: ${summary.contentHash}`);
  return lines.join("\n");
}
