import { describe, expect, it } from "vitest";
import { Random } from "../data/random.ts";
import type { FeatureSet } from "./feature-set.ts";
import { stratifiedGroupFolds } from "./folds.ts";
import { probeAccuracy } from "./probe.ts";
import { DEFAULT_GRID, selectProbe } from "./select.ts";
import { blobs, gaussian, lowRank } from "./testing/data.ts";

/**
 * Groups of near-identical rows (augmented views of one image) whose labels are coin flips per
 * group: nothing generalizes from one group to another, but a weakly regularized probe can
 * memorize each group from its own rows.
 */
function memorizable(groupCount: number, views: number, dim: number, seed: number): FeatureSet {
  const random = new Random(seed);
  const count = groupCount * views;
  const features = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  const groups = new Int32Array(count);
  for (let g = 0; g < groupCount; g++) {
    const centre = Array.from({ length: dim }, () => gaussian(random));
    const label = g % 2;
    for (let v = 0; v < views; v++) {
      const row = g * views + v;
      for (let j = 0; j < dim; j++) features[row * dim + j] = (centre[j] as number) + 0.05 * gaussian(random);
      labels[row] = label;
      groups[row] = g;
    }
  }
  return { features, count, dim, labels, classCount: 2, groups };
}

/**
 * Two classes told apart by x₀ − x₁ while x₀ and x₁ share a large common noise: the centroid
 * direction that strong L2 leans toward (x₀ alone) is near chance, the unregularized one (x₀ − x₁)
 * is about 88% accurate. x₂, x₃ are noise.
 */
function correlated(count: number, seed: number): FeatureSet {
  const random = new Random(seed);
  const dim = 4;
  const features = new Float32Array(count * dim);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
  for (let i = 0; i < count; i++) {
    const shared = 3 * gaussian(random);
    const row = [shared + (labels[i] ? 0.5 : -0.5) + 0.3 * gaussian(random), shared + 0.3 * gaussian(random), gaussian(random), gaussian(random)];
    features.set(row, i * dim);
  }
  return { features, count, dim, labels, classCount: 2 };
}

describe("selectProbe", () => {
  it("chooses stronger regularization when dim ≫ n with noisy labels than when n ≫ dim", async () => {
    const grid = [10, 1e-1, 1e-3, 1e-5];
    // 120 rows, 400 features of a rank-5 latent, a quarter of the labels flipped.
    const wide = await selectProbe(lowRank(120, 400, 5, 0.1, 0.25, 3), { seed: 1, grid });
    // 1,000 rows, 4 features; strong L2 leans toward a near-useless direction (see `correlated`).
    const tall = await selectProbe(correlated(1000, 3), { seed: 1, grid });
    expect(wide.l2).toBeGreaterThanOrEqual(0.1);
    expect(tall.l2).toBeLessThanOrEqual(1e-3);
    const accuracy = (selection: typeof wide, l2: number) => selection.scores.find((s) => s.l2 === l2)!.accuracy;
    // Held out, interpolating the flipped labels costs accuracy; on the tall set strong L2 does.
    expect(accuracy(wide, wide.l2)).toBeGreaterThan(accuracy(wide, 1e-5) + 0.02);
    expect(accuracy(tall, tall.l2)).toBeGreaterThan(accuracy(tall, 10) + 0.2);
  });

  it("keeps each group in one fold: memorizing a group does not score on held-out groups", async () => {
    const data = memorizable(40, 6, 64, 5);
    const grouped = await selectProbe(data, { seed: 2 });
    const best = Math.max(...grouped.scores.map((s) => s.accuracy));
    // Coin-flip labels per group: held-out groups are guessed (40 groups, so ≈ 50% ± 8%).
    expect(best).toBeLessThan(0.75);
    // The same rows without groups: each view's siblings sit in training, and CV is fooled.
    const leaky = await selectProbe({ ...data, groups: undefined }, { seed: 2 });
    expect(Math.max(...leaky.scores.map((s) => s.accuracy))).toBeGreaterThan(0.95);
  });

  it("reports every grid value, the folds used, and a refit on all rows at the chosen l2", async () => {
    const data = blobs({ count: 90, dim: 5, classCount: 3, separation: 0.7, groupSize: 3, seed: 8 });
    const messages: string[] = [];
    const selection = await selectProbe(data, { grid: [1, 1e-2, 1e-4], folds: 4, seed: 3, onProgress: (m) => messages.push(m) });
    expect(selection.folds).toBe(4);
    expect(selection.scores.map((s) => s.l2)).toEqual([1, 1e-2, 1e-4]);
    for (const score of selection.scores) {
      expect(score.accuracy).toBeGreaterThan(0);
      expect(score.accuracy).toBeLessThanOrEqual(1);
      expect(score.logLoss).toBeGreaterThan(0);
      expect(score.converged).toBe(true);
    }
    const best = selection.scores.find((s) => s.l2 === selection.l2)!;
    for (const score of selection.scores) {
      expect(best.accuracy > score.accuracy || (best.accuracy === score.accuracy && best.logLoss <= score.logLoss)).toBe(true);
    }
    expect(selection.probe.l2).toBe(selection.l2);
    expect(selection.probe.converged).toBe(true);
    expect(probeAccuracy(selection.probe, data)).toBeGreaterThan(0.6);
    expect(messages.filter((m) => m.startsWith("fold "))).toHaveLength(12);
    expect(messages.at(-1)).toMatch(/^refit on all 90 rows/);
  });

  it("uses fewer folds when a class has few groups", async () => {
    const data = blobs({ count: 24, dim: 3, classCount: 2, separation: 1, groupSize: 4, seed: 2 });
    expect((await selectProbe(data, { grid: [0.1] })).folds).toBe(3);
  });

  it("copes with a class that only one group has (absent from one fold's training rows)", async () => {
    const data = blobs({ count: 60, dim: 4, classCount: 3, separation: 2, groupSize: 4, seed: 5 });
    // Groups 0, 3, 6, … have label 0, 1, 2, 0, …; relabel so that class 2 is group 2 alone.
    data.labels = Int32Array.from(data.groups!, (g) => (g === 2 ? 2 : g % 2));
    const selection = await selectProbe(data, { grid: [1, 1e-2] });
    expect(selection.folds).toBe(2);
    for (const score of selection.scores) expect(Number.isFinite(score.logLoss)).toBe(true);
    expect(selection.probe.converged).toBe(true);
  });

  it("is deterministic for a seed", async () => {
    const data = blobs({ count: 120, dim: 6, classCount: 3, separation: 0.5, labelNoise: 0.2, groupSize: 2, seed: 6 });
    const a = await selectProbe(data, { seed: 9, grid: [1, 1e-2, 1e-4] });
    const b = await selectProbe(data, { seed: 9, grid: [1, 1e-2, 1e-4] });
    expect(b.scores.map(({ seconds: _, ...s }) => s)).toEqual(a.scores.map(({ seconds: _, ...s }) => s));
    expect(b.probe.weights).toEqual(a.probe.weights);
    expect(stratifiedGroupFolds(data.labels, data.groups, 5, 9)).toEqual(stratifiedGroupFolds(data.labels, data.groups, 5, 9));
  });

  it("has a default grid of 8 values from 1e-6 to 10, one per decade", () => {
    expect(DEFAULT_GRID).toHaveLength(8);
    expect(DEFAULT_GRID[0]).toBe(1e-6);
    expect(DEFAULT_GRID.at(-1)).toBe(10);
  });

  it("checks its options", async () => {
    const data = blobs({ count: 20, dim: 3, classCount: 2, separation: 1, seed: 1 });
    await expect(selectProbe(data, { grid: [] })).rejects.toThrow("grid must be a non-empty array of l2 values");
    await expect(selectProbe(data, { grid: [1, -1] })).rejects.toThrow("grid[1] must be a finite number > 0, got -1");
    await expect(selectProbe(data, { grid: [1, 1] })).rejects.toThrow("grid lists l2 1 twice");
    await expect(selectProbe(data, { folds: 1 })).rejects.toThrow("folds must be an integer ≥ 2, got 1");
    await expect(selectProbe(data, { seed: 0.5 })).rejects.toThrow("seed must be an integer, got 0.5");
    const mixed = { ...data, groups: Int32Array.from({ length: 20 }, (_, i) => Math.floor(i / 4)) };
    mixed.labels = Int32Array.from({ length: 20 }, (_, i) => i % 2);
    await expect(selectProbe(mixed)).rejects.toThrow(/rows 0 and 1 are both in group 0 but have labels 0 and 1/);
    const controller = new AbortController();
    controller.abort();
    await expect(selectProbe(data, { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});
