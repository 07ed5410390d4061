/**
 * Test-time augmentation (fastai's tta): average the softmax probabilities over n passes of
 * the augmented validation set, then blend with the plain pass: aug + β·(plain − aug).
 */
import type { BatchSource } from "./data.ts";
import type { Learner } from "./learner.ts";
import { type Predictions } from "./metrics.ts";
import { softmaxRows } from "./predictions.ts";

export interface TtaOptions {
  /** Validation items with training augmentation, in order; default the data's augmentedValid. */
  augmented?: BatchSource;
  n?: number;
  beta?: number;
}

export async function tta(learner: Learner, options: TtaOptions = {}): Promise<Predictions> {
  const { n = 4, beta = 0.25 } = options;
  const augmented = options.augmented ?? learner.data.augmentedValid;
  if (!augmented) throw new Error("tta: the learner's data has no augmentedValid source; pass options.augmented");
  if (!Number.isInteger(n) || n < 1) throw new Error(`tta: n must be an integer ≥ 1, got ${n}`);
  if (!(beta >= 0 && beta <= 1)) throw new Error(`tta: beta must be in [0, 1], got ${beta}`);
  const plain = (await learner.predictions(learner.data.valid)).predictions;
  const classes = plain.classes;
  const sum = new Float32Array(plain.scores.length);
  for (let pass = 0; pass < n; pass++) {
    const { predictions } = await learner.predictions(augmented, pass);
    if (predictions.labels.join() !== plain.labels.join()) throw new Error("tta: the augmented source must yield the validation items in the same order");
    softmaxRows(predictions.scores, classes).forEach((p, i) => (sum[i]! += p / n));
  }
  const plainProbabilities = softmaxRows(plain.scores, classes);
  const scores = sum.map((aug, i) => aug + beta * (plainProbabilities[i]! - aug));
  return { scores, classes, labels: plain.labels };
}
