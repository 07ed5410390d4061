/**
 * Turns image/mask pairs (from a folder layout or a CSV) into a SegmentationDataset: each image
 * is checked as the classification reader checks it, each mask is decoded in full (size equal
 * to its image's, every value a class index or the ignore index), and per-class pixel counts are
 * kept for the summary. A bad pair is skipped with a reason naming the file; it never stops the
 * others.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import sharp from "sharp";
import { defaultFileLimits, type FileLimits, type SkippedFile, type SplitName } from "../dataset.ts";
import { checkImageFile } from "../file-check.ts";
import { type ClassList, classListOf } from "./classes.ts";
import type { SegmentationDataset, SegmentationItem } from "./dataset.ts";
import { decodeMask, invalidValues, maskHistogram } from "./mask.ts";

export interface PairCandidate {
  path: string;
  relativePath: string;
  maskPath: string;
  maskRelativePath: string;
  split?: SplitName;
}

/** Where the classes come from: a list (given or read from a file), or derived from the masks. */
export type ClassSource = { list: ClassList; source: string } | { derived: true; ignoreIndex: number };

interface CheckedPair {
  candidate: PairCandidate;
  width: number;
  height: number;
  histogram: Uint32Array;
  sha256: string;
  maskSha256: string;
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

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

async function imageSize(path: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(path).metadata();
  const oriented = meta.autoOrient;
  if (oriented?.width && oriented.height) return { width: oriented.width, height: oriented.height };
  return { width: meta.width ?? 0, height: meta.height ?? 0 };
}

async function checkPair(candidate: PairCandidate, limits: FileLimits, classes: ClassList | undefined): Promise<CheckedPair | SkippedFile> {
  const skip = (reason: string): SkippedFile => ({ relativePath: candidate.relativePath, reason });
  const image = await checkImageFile(candidate.path, limits);
  if (!image.ok) return skip(image.reason);
  let bytes: Buffer;
  try {
    const info = await stat(candidate.maskPath);
    if (info.size > limits.maxFileBytes)
      return skip(`mask ${candidate.maskRelativePath} is ${info.size} bytes, over the limit maxFileBytes=${limits.maxFileBytes}`);
    bytes = await readFile(candidate.maskPath);
  } catch (error) {
    return skip(`mask ${candidate.maskRelativePath} unreadable: ${message(error)}`);
  }
  let mask;
  try {
    mask = await decodeMask(bytes, { classes, maxPixels: limits.maxPixels });
  } catch (error) {
    return skip(`mask ${candidate.maskRelativePath}: ${message(error)}`);
  }
  const size = await imageSize(candidate.path);
  if (size.width !== mask.width || size.height !== mask.height) {
    return skip(`mask ${candidate.maskRelativePath} is ${mask.width}×${mask.height} but the image is ${size.width}×${size.height}`);
  }
  return {
    candidate,
    width: size.width,
    height: size.height,
    histogram: maskHistogram(mask),
    sha256: image.sha256,
    maskSha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/** The classes derived from the masks: "0" … the largest value seen that is not the ignore index. */
function deriveClasses(pairs: CheckedPair[], ignoreIndex: number): ClassList {
  let largest = 0;
  for (const pair of pairs) {
    for (let value = 255; value > largest; value--) {
      if (value !== ignoreIndex && pair.histogram[value]! > 0) {
        largest = value;
        break;
      }
    }
  }
  return classListOf(
    Array.from({ length: Math.max(2, largest + 1) }, (_, i) => String(i)),
    ignoreIndex,
  );
}

export function segmentationContentHash(items: SegmentationItem[], classes: ClassList): string {
  const lines = items.map((item) => `${item.relativePath}\t${item.sha256}\t${item.maskRelativePath}\t${item.maskSha256}\n`).sort();
  const hash = createHash("sha256");
  hash.update(`${JSON.stringify({ names: classes.names, ignoreIndex: classes.ignoreIndex })}\n`);
  for (const line of lines) hash.update(line);
  return hash.digest("hex");
}

export async function buildSegmentationDataset(
  root: string,
  candidates: PairCandidate[],
  preSkipped: SkippedFile[],
  classSource: ClassSource,
  limits: Partial<FileLimits> = {},
): Promise<SegmentationDataset> {
  const fullLimits = { ...defaultFileLimits, ...limits };
  const ordered = [...candidates].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  const given = "list" in classSource ? classSource.list : undefined;
  const checks = await mapLimited(ordered, Math.max(2, availableParallelism()), (c) => checkPair(c, fullLimits, given));
  const skipped = [...preSkipped];
  const pairs: CheckedPair[] = [];
  for (const check of checks) {
    if ("reason" in check) skipped.push(check);
    else pairs.push(check);
  }
  const classes = given ?? deriveClasses(pairs, (classSource as { ignoreIndex: number }).ignoreIndex);
  const items: SegmentationItem[] = [];
  for (const pair of pairs) {
    const invalid = invalidValues(pair.histogram, classes.names.length, classes.ignoreIndex);
    if (invalid.length > 0) {
      const values = invalid.map(([value, count]) => `${value} (${count} pixels)`).join(", ");
      skipped.push({
        relativePath: pair.candidate.relativePath,
        reason: `mask ${pair.candidate.maskRelativePath} has values outside the ${classes.names.length} classes (0-${classes.names.length - 1}) and the ignore index ${classes.ignoreIndex}: ${values}`,
      });
      continue;
    }
    const { candidate } = pair;
    items.push({
      path: candidate.path,
      relativePath: candidate.relativePath,
      maskPath: candidate.maskPath,
      maskRelativePath: candidate.maskRelativePath,
      width: pair.width,
      height: pair.height,
      ...(candidate.split === undefined ? {} : { split: candidate.split }),
      pixelCounts: Array.from(pair.histogram.subarray(0, classes.names.length)),
      ignoredPixels: pair.histogram[classes.ignoreIndex]!,
      sha256: pair.sha256,
      maskSha256: pair.maskSha256,
    });
  }
  skipped.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  if (items.length === 0) {
    const reasons = skipped.slice(0, 10).map((s) => `\n  ${s.relativePath}: ${s.reason}`);
    const more = skipped.length > 10 ? `\n  … and ${skipped.length - 10} more` : "";
    throw new Error(`segmentation dataset ${root}: no usable image/mask pairs; ${skipped.length} skipped:${reasons.join("")}${more}`);
  }
  const source = "list" in classSource ? classSource.source : "derived";
  return { root, classes, classSource: source, items, skipped, contentHash: segmentationContentHash(items, classes) };
}
