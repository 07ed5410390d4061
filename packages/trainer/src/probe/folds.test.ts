import { describe, expect, it } from "vitest";
import { Random } from "../data/random.ts";
import { foldRows, stratifiedGroupFolds } from "./folds.ts";

/** Rows of `groups` source items with 1–8 views each, labels by item, rows shuffled. */
function views(items: number, classCount: number, seed: number): { labels: Int32Array; groups: Int32Array } {
  const random = new Random(seed);
  const rows: [number, number][] = [];
  for (let item = 0; item < items; item++) {
    const label = random.int(0, classCount - 1);
    const count = random.int(1, 8);
    // Group ids need not be 0…n−1.
    for (let v = 0; v < count; v++) rows.push([label, 1000 + 7 * item]);
  }
  random.shuffle(rows);
  return { labels: Int32Array.from(rows, (r) => r[0]), groups: Int32Array.from(rows, (r) => r[1]) };
}

describe("stratifiedGroupFolds", () => {
  it("never splits a group across folds", () => {
    for (let seed = 0; seed < 20; seed++) {
      const { labels, groups } = views(60, 4, seed);
      const { folds, foldOf } = stratifiedGroupFolds(labels, groups, 5, seed);
      const foldOfGroup = new Map<number, number>();
      for (let row = 0; row < labels.length; row++) {
        const known = foldOfGroup.get(groups[row] as number);
        if (known !== undefined) expect(foldOf[row]).toBe(known);
        foldOfGroup.set(groups[row] as number, foldOf[row] as number);
        expect(foldOf[row]).toBeGreaterThanOrEqual(0);
        expect(foldOf[row]).toBeLessThan(folds);
      }
    }
  });

  it("spreads each class evenly over the folds (by rows, groups of equal size)", () => {
    // 40 images × 8 views, 4 classes of 10 images: 2 images (16 rows) of each class per fold.
    const labels = Int32Array.from({ length: 320 }, (_, i) => Math.floor(i / 8) % 4);
    const groups = Int32Array.from({ length: 320 }, (_, i) => Math.floor(i / 8));
    const { folds, foldOf } = stratifiedGroupFolds(labels, groups, 5, 1);
    expect(folds).toBe(5);
    for (let f = 0; f < 5; f++) {
      for (let c = 0; c < 4; c++) {
        const rows = labels.filter((label, row) => label === c && foldOf[row] === f).length;
        expect(rows).toBe(16);
      }
    }
  });

  it("is deterministic for a seed and changes with it", () => {
    const { labels, groups } = views(50, 3, 4);
    const a = stratifiedGroupFolds(labels, groups, 5, 7).foldOf;
    expect(stratifiedGroupFolds(labels, groups, 5, 7).foldOf).toEqual(a);
    expect(stratifiedGroupFolds(labels, groups, 5, 8).foldOf).not.toEqual(a);
  });

  it("uses fewer folds when a class has fewer groups, never fewer than 2", () => {
    const labels = Int32Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1);
    const groups = Int32Array.of(0, 1, 2, 3, 4, 5, 6, 6, 7);
    expect(stratifiedGroupFolds(labels, groups, 5, 1).folds).toBe(2);
    expect(stratifiedGroupFolds(labels, undefined, 5, 1).folds).toBe(3);
    const single = Int32Array.of(0, 0, 0, 1);
    expect(stratifiedGroupFolds(single, undefined, 5, 1).folds).toBe(2);
  });

  it("treats every row as its own group by default", () => {
    const labels = Int32Array.from({ length: 50 }, (_, i) => i % 2);
    const { foldOf } = stratifiedGroupFolds(labels, undefined, 5, 3);
    const sizes = [0, 1, 2, 3, 4].map((f) => foldRows(foldOf, f).heldOut.length);
    expect(sizes).toEqual([10, 10, 10, 10, 10]);
  });

  it("rejects a group whose rows have different labels, and too few groups", () => {
    expect(() => stratifiedGroupFolds(Int32Array.of(0, 1, 1), Int32Array.of(5, 5, 6), 5, 1)).toThrow(
      "groups: rows 0 and 1 are both in group 5 but have labels 0 and 1; the rows of a group must share a label",
    );
    expect(() => stratifiedGroupFolds(Int32Array.of(0, 0), Int32Array.of(3, 3), 5, 1)).toThrow(
      "cross-validation needs at least 2 groups (source items), got 1",
    );
    expect(() => stratifiedGroupFolds(Int32Array.of(0, 1), undefined, 1, 1)).toThrow("folds must be an integer ≥ 2, got 1");
  });
});
