/** The typed state one fit shares with its callbacks. */
import type { Learner } from "./learner.ts";

export interface Hyperparameters {
  /** One learning rate per layer group, for the next step. */
  learningRates: number[];
  /** SGD momentum / Adam β₁ for the next step. */
  momentum: number;
}

export interface ValidationResult {
  loss: number;
  metrics: Record<string, number>;
}

export interface FitState {
  readonly learner: Learner;
  readonly epochs: number;
  epoch: number;
  /** True in the training phase, false in validation. */
  training: boolean;
  /** Batches per training epoch. */
  readonly trainBatches: number;
  /** Whether each epoch ends with a validation phase (false in lr_find's range test). */
  readonly validates: boolean;
  /** Index of the batch within the current phase. */
  iteration: number;
  /** Training batches done in this fit. */
  trainIteration: number;
  /** Fraction of this fit's training batches done, in [0, 1). */
  pctTrain: number;
  /** What the next step uses; schedulers set it in beforeBatch. */
  hyper: Hyperparameters;
  /** Size of the current batch. */
  batchSize: number;
  /** Loss of the last batch (train or validation). */
  loss: number;
  /** fastai's smoothed training loss (exponential moving average, β 0.98, debiased). */
  smoothLoss: number;
  /** Mean training loss of the current epoch so far. */
  trainLoss: number;
  /** Set after each validation phase. */
  validation?: ValidationResult;
  /** Wall-clock start of the current epoch (ms). */
  epochStart: number;
}

/** fastai's AvgSmoothLoss: val ← β·val + (1 − β)·loss, reported as val / (1 − βⁿ). */
export class SmoothLoss {
  private value = 0;
  private count = 0;
  constructor(private readonly beta = 0.98) {}

  add(loss: number): number {
    this.count++;
    this.value = this.beta * this.value + (1 - this.beta) * loss;
    return this.current;
  }

  get current(): number {
    return this.count === 0 ? Number.NaN : this.value / (1 - this.beta ** this.count);
  }
}
