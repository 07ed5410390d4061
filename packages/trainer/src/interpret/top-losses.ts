/** The items the model got most wrong (or, with largest false, most right): fastai's top_losses. */
import type { ResolvedPredictions } from "./predictions.ts";

export interface TopLoss {
  /** Position of the item in the predictions. */
  index: number;
  path?: string;
  predicted: string;
  actual: string;
  loss: number;
  /** Probability of the predicted class. */
  probability: number;
  /** Probability given to the true class. */
  actualProbability: number;
}

export interface TopLossOptions {
  /** How many items; default all. */
  count?: number;
  /** Largest losses first (default), or smallest. */
  largest?: boolean;
}

export function topLosses(predictions: ResolvedPredictions, options: TopLossOptions = {}): TopLoss[] {
  const count = options.count ?? predictions.count;
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  const sign = options.largest === false ? 1 : -1;
  const order = Array.from({ length: predictions.count }, (_, i) => i).sort((a, b) => sign * (predictions.losses[a]! - predictions.losses[b]!) || a - b);
  const k = predictions.classes.length;
  return order.slice(0, count).map((index) => {
    const predicted = predictions.predicted[index]!;
    const actual = predictions.targets[index]!;
    const path = predictions.paths?.[index];
    return {
      index,
      ...(path === undefined ? {} : { path }),
      predicted: predictions.classes[predicted]!,
      actual: predictions.classes[actual]!,
      loss: predictions.losses[index]!,
      probability: predictions.probabilities[index * k + predicted]!,
      actualProbability: predictions.probabilities[index * k + actual]!,
    };
  });
}
