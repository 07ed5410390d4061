/**
 * Train/valid splits and k-fold, stratified by class and seeded. Splits are lists of item
 * indices (ascending), so the same data set can be split many ways without copying it.
 */
import type { ImageItem } from "./dataset.ts";
import { mixSeed, Random } from "./random.ts";

export interface Split {
  train: number[];
  valid: number[];
}

export interface SplitOptions {
  /** Fraction of each class that goes to validation (fastai's valid_pct), default 0.2. */
  validPct?: number;
  seed?: number;
  /** Use the split the source gave (train/valid folders) when every item has one. Default true. */
  useSourceSplit?: boolean;
}

type Labelled = Pick<ImageItem, "label" | "split" | "fold">;

function indicesByClass(items: Labelled[]): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  items.forEach((item, index) => {
    const list = byClass.get(item.label) ?? [];
    list.push(index);
    byClass.set(item.label, list);
  });
  return new Map([...byClass.entries()].sort((a, b) => a[0] - b[0]));
}

const ascending = (a: number, b: number) => a - b;

/** Each class shuffled by its own seeded generator, so adding a class leaves the others alone. */
function shuffledClasses(items: Labelled[], seed: number): [number, number[]][] {
  return [...indicesByClass(items).entries()].map(([label, indices]) => [label, new Random(mixSeed(seed, label)).shuffle(indices)]);
}

export function splitTrainValid(items: Labelled[], options: SplitOptions = {}): Split {
  const { validPct = 0.2, seed = 42, useSourceSplit = true } = options;
  if (useSourceSplit && items.length > 0 && items.every((item) => item.split !== undefined)) {
    const train: number[] = [];
    const valid: number[] = [];
    items.forEach((item, i) => (item.split === "valid" ? valid : train).push(i));
    return { train, valid };
  }
  if (!(validPct >= 0 && validPct < 1)) throw new Error(`validPct must be in [0, 1), got ${validPct}`);
  const train: number[] = [];
  const valid: number[] = [];
  for (const [, indices] of shuffledClasses(items, seed)) {
    const validCount = Math.round(indices.length * validPct);
    valid.push(...indices.slice(0, validCount));
    train.push(...indices.slice(validCount));
  }
  return { train: train.sort(ascending), valid: valid.sort(ascending) };
}

/**
 * Stratified k-fold: every item is in the validation part of exactly one fold. Each class is
 * dealt round-robin over the folds, starting where the previous class stopped, so fold sizes
 * differ by at most one. Folds given by the source (a CSV fold column) are used as they are.
 */
export function stratifiedKFold(items: Labelled[], k = 5, seed = 42): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k must be an integer >= 2, got ${k}`);
  const foldOf = new Array<number>(items.length);
  if (items.length > 0 && items.every((item) => item.fold !== undefined)) {
    items.forEach((item, i) => {
      if ((item.fold as number) >= k) throw new Error(`item ${i} has fold ${item.fold}, but k is ${k}`);
      foldOf[i] = item.fold as number;
    });
  } else {
    let next = 0;
    for (const [, indices] of shuffledClasses(items, seed)) {
      for (const index of indices) {
        foldOf[index] = next;
        next = (next + 1) % k;
      }
    }
  }
  return Array.from({ length: k }, (_, fold) => {
    const split: Split = { train: [], valid: [] };
    foldOf.forEach((f, i) => (f === fold ? split.valid : split.train).push(i));
    return split;
  });
}

/** How many of the given items fall in each class. */
export function countPerClass(items: Labelled[], indices: number[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const index of indices) {
    const item = items[index];
    if (item) counts[item.label] = (counts[item.label] ?? 0) + 1;
  }
  return counts;
}

/** Per-class counts of both parts of a split, keyed by class name. */
export function splitCounts(items: Labelled[], classes: string[], split: Split): Record<string, { train: number; valid: number }> {
  const train = countPerClass(items, split.train, classes.length);
  const valid = countPerClass(items, split.valid, classes.length);
  return Object.fromEntries(classes.map((name, c) => [name, { train: train[c] ?? 0, valid: valid[c] ?? 0 }]));
}
