/**
 * Downsampling that keeps extremes. A step range is split into equal-width buckets; each
 * bucket reports its min, max and last point, so spikes survive any zoom level. Buckets are
 * aligned to multiples of their width, and that width is a multiple of a rollup level's
 * width, so every pre-aggregated rollup row falls inside exactly one bucket: merging rollup
 * rows gives the same answer as scanning the raw points.
 */
import { ROLLUP_BASE, ROLLUP_LEVELS } from "@runboard/db";

export function rollupWidth(level: number): number {
  return 4 ** (level + ROLLUP_BASE);
}

/** Extremes of a set of points: a raw point, a rollup row or a whole bucket. */
export interface Extremes {
  min: number;
  minStep: number;
  max: number;
  maxStep: number;
  last: number;
  lastStep: number;
  count: number;
}

export interface Bucket extends Extremes {
  /** First and last step the bucket covers (clipped to the requested range). */
  start: number;
  end: number;
}

export interface MetricSample {
  step: number;
  value: number;
}

export interface BucketPlan {
  from: number;
  to: number;
  width: number;
  /** Rollup level whose rows build the buckets, or null when raw points are read. */
  rollupLevel: number | null;
}

/** At most three points (min, max, last) per bucket, and never more than maxPoints in all. */
export function planBuckets(from: number, to: number, maxPoints: number): BucketPlan {
  const targetBuckets = Math.max(1, Math.floor(maxPoints / 3) - 1);
  const span = to - from + 1;
  const idealWidth = Math.max(1, Math.ceil(span / targetBuckets));
  const rollupLevel = coarsestLevelWithin(idealWidth / 2);
  if (rollupLevel === null) return { from, to, width: idealWidth, rollupLevel };
  const unit = rollupWidth(rollupLevel);
  // Rounding up keeps the bucket count ≤ targetBuckets + 1 (+1 for alignment).
  return { from, to, width: Math.ceil(idealWidth / unit) * unit, rollupLevel };
}

function coarsestLevelWithin(maxWidth: number): number | null {
  let level: number | null = null;
  for (let candidate = 0; candidate < ROLLUP_LEVELS; candidate++) {
    if (rollupWidth(candidate) <= maxWidth) level = candidate;
  }
  return level;
}

/**
 * The rollup buckets lying wholly inside [from, to], and the raw step ranges at both edges
 * that partial rollup buckets would blur.
 */
export function rollupCoverage(plan: BucketPlan): {
  firstBucket: number;
  lastBucket: number;
  rawRanges: Array<[number, number]>;
} {
  if (plan.rollupLevel === null) return { firstBucket: 0, lastBucket: -1, rawRanges: [[plan.from, plan.to]] };
  const unit = rollupWidth(plan.rollupLevel);
  const firstBucket = Math.ceil(plan.from / unit);
  const lastBucket = Math.floor((plan.to + 1) / unit) - 1;
  if (firstBucket > lastBucket) return { firstBucket, lastBucket, rawRanges: [[plan.from, plan.to]] };
  const rawRanges: Array<[number, number]> = [];
  if (plan.from < firstBucket * unit) rawRanges.push([plan.from, firstBucket * unit - 1]);
  if ((lastBucket + 1) * unit <= plan.to) rawRanges.push([(lastBucket + 1) * unit, plan.to]);
  return { firstBucket, lastBucket, rawRanges };
}

export function sampleExtremes(sample: MetricSample): Extremes {
  const { step, value } = sample;
  return { min: value, minStep: step, max: value, maxStep: step, last: value, lastStep: step, count: 1 };
}

/** Merges two sets of extremes; ties keep the earlier step. */
export function mergeExtremes(a: Extremes, b: Extremes): Extremes {
  const minFromB = b.min < a.min || (b.min === a.min && b.minStep < a.minStep);
  const maxFromB = b.max > a.max || (b.max === a.max && b.maxStep < a.maxStep);
  const lastFromB = b.lastStep > a.lastStep;
  return {
    min: minFromB ? b.min : a.min,
    minStep: minFromB ? b.minStep : a.minStep,
    max: maxFromB ? b.max : a.max,
    maxStep: maxFromB ? b.maxStep : a.maxStep,
    last: lastFromB ? b.last : a.last,
    lastStep: lastFromB ? b.lastStep : a.lastStep,
    count: a.count + b.count,
  };
}

/** Groups parts (raw points or rollup rows, all inside the plan's range) into buckets. */
export function bucketize(plan: BucketPlan, parts: Iterable<Extremes>): Bucket[] {
  const byIndex = new Map<number, Extremes>();
  for (const part of parts) {
    const index = Math.floor(part.minStep / plan.width);
    const current = byIndex.get(index);
    byIndex.set(index, current === undefined ? part : mergeExtremes(current, part));
  }
  const indexes = [...byIndex.keys()].sort((a, b) => a - b);
  return indexes.map((index) => {
    const { min, minStep, max, maxStep, last, lastStep, count } = byIndex.get(index) as Extremes;
    const start = Math.max(plan.from, index * plan.width);
    const end = Math.min(plan.to, (index + 1) * plan.width - 1);
    return { min, minStep, max, maxStep, last, lastStep, count, start, end };
  });
}

/**
 * The distinct min, max and last points of each bucket, in step order. Equal steps keep the
 * first of min, max, last (a stable three-element insertion sort, without allocating).
 */
export function bucketPoints(buckets: Bucket[]): MetricSample[] {
  const points: MetricSample[] = [];
  let previous = Number.NaN;
  const push = (step: number, value: number) => {
    if (step !== previous) points.push({ step, value });
    previous = step;
  };
  for (const b of buckets) {
    let [s1, v1, s2, v2, s3, v3] = [b.minStep, b.min, b.maxStep, b.max, b.lastStep, b.last];
    if (s2 < s1) [s1, v1, s2, v2] = [s2, v2, s1, v1];
    if (s3 < s2) [s2, v2, s3, v3] = [s3, v3, s2, v2];
    if (s2 < s1) [s1, v1, s2, v2] = [s2, v2, s1, v1];
    push(s1, v1);
    push(s2, v2);
    push(s3, v3);
  }
  return points;
}

/** Groups raw points into the rollup rows of one level (what ingestion stores). */
export function rollupRows(level: number, samples: MetricSample[]): Map<number, Extremes> {
  const unit = rollupWidth(level);
  const rows = new Map<number, Extremes>();
  for (const sample of samples) {
    const bucket = Math.floor(sample.step / unit);
    const current = rows.get(bucket);
    const extremes = sampleExtremes(sample);
    rows.set(bucket, current === undefined ? extremes : mergeExtremes(current, extremes));
  }
  return rows;
}
