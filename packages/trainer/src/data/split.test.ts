import { describe, expect, it } from "vitest";
import { countPerClass, splitCounts, splitTrainValid, stratifiedKFold } from "./split.ts";

/** Classes of very different sizes, interleaved, so stratification is visible. */
const labels = [...Array(50).fill(0), ...Array(30).fill(1), ...Array(7).fill(2)].map((label, i) => ({ label, i }));
const items = labels.sort((a, b) => ((a.i * 37) % 87) - ((b.i * 37) % 87)).map(({ label }) => ({ label }));

describe("splitTrainValid", () => {
  it("keeps each class's share in validation (stratified), seeded", () => {
    const split = splitTrainValid(items, { validPct: 0.2, seed: 1 });
    expect(countPerClass(items, split.valid, 3)).toEqual([10, 6, 1]);
    expect(countPerClass(items, split.train, 3)).toEqual([40, 24, 6]);
    expect(new Set([...split.train, ...split.valid]).size).toBe(items.length);
    expect(splitTrainValid(items, { validPct: 0.2, seed: 1 })).toEqual(split);
    expect(splitTrainValid(items, { validPct: 0.2, seed: 2 }).valid).not.toEqual(split.valid);
  });

  it("defaults to 20% and uses the source split when every item has one", () => {
    expect(splitTrainValid(items).valid).toHaveLength(17);
    const given = [
      { label: 0, split: "train" as const },
      { label: 1, split: "valid" as const },
      { label: 0, split: "valid" as const },
    ];
    expect(splitTrainValid(given)).toEqual({ train: [0], valid: [1, 2] });
    expect(splitTrainValid(given, { useSourceSplit: false, validPct: 0.5 }).valid).toHaveLength(2);
    expect(() => splitTrainValid(items, { validPct: 1 })).toThrow(/validPct must be in \[0, 1\)/);
  });

  it("reports per-class counts by name", () => {
    const counts = splitCounts(items, ["a", "b", "c"], splitTrainValid(items, { seed: 3 }));
    expect(counts).toEqual({ a: { train: 40, valid: 10 }, b: { train: 24, valid: 6 }, c: { train: 6, valid: 1 } });
  });
});

describe("stratifiedKFold", () => {
  it("puts every item in exactly one validation fold, balanced per class", () => {
    const folds = stratifiedKFold(items, 5, 9);
    const seen = new Array<number>(items.length).fill(0);
    for (const fold of folds) {
      for (const i of fold.valid) seen[i] = (seen[i] ?? 0) + 1;
      expect(fold.train.length + fold.valid.length).toBe(items.length);
      expect(fold.train.filter((i) => fold.valid.includes(i))).toEqual([]);
      const perClass = countPerClass(items, fold.valid, 3);
      expect(perClass[0]).toBe(10);
      expect(perClass[1]).toBe(6);
      expect(perClass[2]).toBeGreaterThanOrEqual(1);
      expect(perClass[2]).toBeLessThanOrEqual(2);
    }
    expect(seen.every((n) => n === 1)).toBe(true);
    const sizes = folds.map((f) => f.valid.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(stratifiedKFold(items, 5, 9)).toEqual(folds);
    expect(stratifiedKFold(items, 5, 10)).not.toEqual(folds);
  });

  it("uses folds given by the source and validates k", () => {
    const given = [
      { label: 0, fold: 1 },
      { label: 1, fold: 0 },
      { label: 0, fold: 0 },
    ];
    expect(stratifiedKFold(given, 2)).toEqual([
      { train: [0], valid: [1, 2] },
      { train: [1, 2], valid: [0] },
    ]);
    expect(() => stratifiedKFold(given, 1)).toThrow(/k must be an integer >= 2/);
    expect(() => stratifiedKFold([{ label: 0, fold: 3 }], 2)).toThrow(/fold 3, but k is 2/);
  });
});
