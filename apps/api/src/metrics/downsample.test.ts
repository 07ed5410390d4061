import { describe, expect, it } from "vitest";
import {
  bucketPoints,
  bucketize,
  planBuckets,
  rollupCoverage,
  rollupRows,
  rollupWidth,
  sampleExtremes,
  type Extremes,
  type MetricSample,
} from "./downsample.ts";

/** A noisy series with deterministic pseudo-random values (no Math.random: reproducible). */
function series(length: number, firstStep = 0): MetricSample[] {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length }, (_, i) => ({ step: firstStep + i, value: Math.sin(i / 50) + next() }));
}

/** Downsampling through rollup rows plus raw edges, the way the database path does it. */
function viaRollups(samples: MetricSample[], from: number, to: number, maxPoints: number) {
  const plan = planBuckets(from, to, maxPoints);
  const coverage = rollupCoverage(plan);
  const parts: Extremes[] = [];
  if (plan.rollupLevel !== null) {
    for (const [bucket, row] of rollupRows(plan.rollupLevel, samples)) {
      if (bucket >= coverage.firstBucket && bucket <= coverage.lastBucket) parts.push(row);
    }
  }
  for (const [start, end] of coverage.rawRanges) {
    for (const s of samples) if (s.step >= start && s.step <= end) parts.push(sampleExtremes(s));
  }
  return { plan, buckets: bucketize(plan, parts) };
}

function viaRaw(samples: MetricSample[], from: number, to: number, maxPoints: number) {
  const plan = planBuckets(from, to, maxPoints);
  const inRange = samples.filter((s) => s.step >= from && s.step <= to);
  return bucketize(plan, inRange.map(sampleExtremes));
}

describe("planBuckets", () => {
  it("never yields more than maxPoints points", () => {
    for (const [from, to, maxPoints] of [
      [0, 999_999, 1000],
      [17, 123_456, 300],
      [5, 40, 9],
      [0, 10, 6],
    ] as const) {
      const plan = planBuckets(from, to, maxPoints);
      const buckets = Math.floor(to / plan.width) - Math.floor(from / plan.width) + 1;
      expect(buckets * 3).toBeLessThanOrEqual(maxPoints);
    }
  });

  it("uses a rollup level whose width divides the bucket width, and raw points for short spans", () => {
    const wide = planBuckets(0, 999_999, 1000);
    expect(wide.rollupLevel).not.toBeNull();
    expect(wide.width % rollupWidth(wide.rollupLevel ?? 0)).toBe(0);
    expect(planBuckets(0, 2_000, 1000).rollupLevel).toBeNull();
  });

  it("re-buckets a zoomed range with narrower buckets", () => {
    expect(planBuckets(400_000, 410_000, 1000).width).toBeLessThan(planBuckets(0, 999_999, 1000).width / 10);
  });
});

describe("downsampling through rollups", () => {
  const samples = series(50_000, 3);

  it.each([
    [3, 50_002, 1000],
    [1_234, 31_337, 500],
    [20_000, 20_900, 90],
    [7, 10, 30],
  ])("matches a raw scan over [%i, %i] at maxPoints %i", (from, to, maxPoints) => {
    const { buckets } = viaRollups(samples, from, to, maxPoints);
    expect(buckets).toEqual(viaRaw(samples, from, to, maxPoints));
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(to - from + 1);
  });

  it("keeps a single spike whatever the bucket width", () => {
    const spiky = samples.map((s) => (s.step === 31_000 ? { step: s.step, value: 100 } : s));
    const { buckets } = viaRollups(spiky, 3, 50_002, 60);
    const points = bucketPoints(buckets);
    expect(points.length).toBeLessThanOrEqual(60);
    expect(points).toContainEqual({ step: 31_000, value: 100 });
    expect(Math.max(...points.map((p) => p.value))).toBe(100);
  });

  it("reports the last point of each bucket and of the series", () => {
    const { buckets } = viaRollups(samples, 3, 50_002, 300);
    expect(buckets.at(-1)?.lastStep).toBe(50_002);
    for (const b of buckets) expect(b.lastStep).toBe(b.end);
  });
});

describe("bucketPoints", () => {
  it("drops duplicate steps and orders by step", () => {
    const bucket = { start: 0, end: 9, min: 1, minStep: 9, max: 5, maxStep: 2, last: 1, lastStep: 9, count: 10 };
    expect(bucketPoints([bucket])).toEqual([
      { step: 2, value: 5 },
      { step: 9, value: 1 },
    ]);
  });
});
