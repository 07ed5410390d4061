/**
 * Turns candidate files (from a folder layout or a CSV) into an ImageDataset: checks each
 * file, keeps the usable ones, reports the rest, sorts class names and hashes the content.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { defaultFileLimits, type FileLimits, type ImageDataset, type ImageItem, type SkippedFile, type SplitName } from "./dataset.ts";
import { checkImageFile, type FileCheck } from "./file-check.ts";

export interface Candidate {
  path: string;
  relativePath: string;
  className: string;
  split?: SplitName;
  fold?: number;
}

async function mapLimited<T, R>(values: T[], concurrency: number, task: (value: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(values.length);
  let next = 0;
  const run = async () => {
    while (next < values.length) {
      const index = next++;
      results[index] = await task(values[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, values.length) }, run));
  return results;
}

/** sha256 over "relativePath \t fileSha256 \t className" lines, sorted by path. */
export function contentHash(items: ImageItem[], classes: string[]): string {
  const lines = items.map((item) => `${item.relativePath}\t${item.sha256}\t${classes[item.label]}\n`).sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line);
  return hash.digest("hex");
}

export async function buildDataset(root: string, candidates: Candidate[], preSkipped: SkippedFile[], limits: Partial<FileLimits> = {}): Promise<ImageDataset> {
  const fullLimits = { ...defaultFileLimits, ...limits };
  const ordered = [...candidates].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  const checks: FileCheck[] = await mapLimited(ordered, Math.max(2, availableParallelism()), (c) => checkImageFile(c.path, fullLimits));
  const skipped = [...preSkipped];
  const usable: { candidate: Candidate; sha256: string }[] = [];
  ordered.forEach((candidate, i) => {
    const check = checks[i] as FileCheck;
    if (check.ok) usable.push({ candidate, sha256: check.sha256 });
    else skipped.push({ relativePath: candidate.relativePath, reason: check.reason });
  });
  const classes = [...new Set(usable.map((u) => u.candidate.className))].sort();
  const labelOf = new Map(classes.map((name, i) => [name, i]));
  const items: ImageItem[] = usable.map(({ candidate, sha256 }) => ({
    path: candidate.path,
    relativePath: candidate.relativePath,
    label: labelOf.get(candidate.className) as number,
    sha256,
    ...(candidate.split === undefined ? {} : { split: candidate.split }),
    ...(candidate.fold === undefined ? {} : { fold: candidate.fold }),
  }));
  skipped.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
  if (classes.length < 2) {
    const found = `found ${classes.length} (${classes.join(", ") || "none"})`;
    throw new Error(`dataset ${root}: needs at least 2 classes with usable images, ${found}${skipped.length > 0 ? `; ${skippedList(skipped, 10)}` : ""}`);
  }
  return { root, classes, items, skipped, contentHash: contentHash(items, classes) };
}

/** "N file(s) skipped:" and one line per file (the first `limit`, then how many more). */
function skippedList(skipped: SkippedFile[], limit = Infinity): string {
  const lines = skipped.slice(0, limit).map((s) => `  ${s.relativePath}: ${s.reason}`);
  if (skipped.length > limit) lines.push(`  … and ${skipped.length - limit} more`);
  return `${skipped.length} file(s) skipped:\n${lines.join("\n")}`;
}

/** One line per skipped file, for logs and the CLI. */
export function describeSkipped(dataset: ImageDataset): string {
  return dataset.skipped.length === 0 ? "no files skipped" : skippedList(dataset.skipped);
}
