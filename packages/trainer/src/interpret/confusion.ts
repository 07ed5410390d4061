/** Confusion matrix, most confused pairs and per-class precision / recall (fastai's ClassificationInterpretation). */
import type { ResolvedPredictions } from "./predictions.ts";

export interface ConfusionMatrix {
  classes: readonly string[];
  /** counts[actual][predicted]. */
  counts: number[][];
  /** Each row divided by its total (the recall of each predicted column); rows with no items stay 0. */
  normalized: number[][];
}

export interface ConfusedPair {
  actual: string;
  predicted: string;
  count: number;
}

export interface ClassMetrics {
  name: string;
  /** TP / (TP + FP); 0 when the class is never predicted. */
  precision: number;
  /** TP / (TP + FN); 0 when the class has no items. */
  recall: number;
  f1: number;
  /** Items whose true class this is. */
  support: number;
}

export function confusionMatrix(predictions: ResolvedPredictions): ConfusionMatrix {
  const k = predictions.classes.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let n = 0; n < predictions.count; n++) counts[predictions.targets[n]!]![predictions.predicted[n]!]!++;
  const normalized = counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (total === 0 ? 0 : c / total));
  });
  return { classes: predictions.classes, counts, normalized };
}

/** Off-diagonal cells with at least `minCount` items, most frequent first (ties in class order). */
export function mostConfused(matrix: ConfusionMatrix, minCount = 1): ConfusedPair[] {
  if (!Number.isInteger(minCount) || minCount < 1) throw new Error(`minCount must be an integer ≥ 1, got ${minCount}`);
  const pairs: ConfusedPair[] = [];
  matrix.counts.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (actual !== predicted && count >= minCount) pairs.push({ actual: matrix.classes[actual]!, predicted: matrix.classes[predicted]!, count });
    }),
  );
  // Array.prototype.sort is stable, so equal counts keep row-major class order.
  return pairs.sort((a, b) => b.count - a.count);
}

export function classMetrics(matrix: ConfusionMatrix): ClassMetrics[] {
  return matrix.classes.map((name, c) => {
    const truePositives = matrix.counts[c]![c]!;
    const support = matrix.counts[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = matrix.counts.reduce((sum, row) => sum + row[c]!, 0);
    const precision = predictedAs === 0 ? 0 : truePositives / predictedAs;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { name, precision, recall, f1, support };
  });
}

/** Fraction of items on the diagonal. */
export function accuracyOf(matrix: ConfusionMatrix): number {
  const total = matrix.counts.flat().reduce((a, b) => a + b, 0);
  const correct = matrix.counts.reduce((sum, row, c) => sum + row[c]!, 0);
  return total === 0 ? 0 : correct / total;
}
