/**
 * Recorder (fastai): per training step the learning rates, momentum, loss and smoothed loss;
 * per epoch the training loss, validation loss, metrics and time. Reset at each fit.
 */
import type { Callback } from "./events.ts";
import type { FitState } from "./state.ts";

export interface StepRecord {
  /** Learning rate of each layer group. */
  learningRates: number[];
  momentum: number;
  loss: number;
  smoothLoss: number;
}

export interface EpochRecord {
  epoch: number;
  /** Smoothed training loss at the end of the epoch (what fastai prints as train_loss). */
  trainLoss: number;
  validLoss: number;
  metrics: Record<string, number>;
  seconds: number;
}

export class Recorder implements Callback {
  readonly name = "recorder";
  readonly order = 50;
  steps: StepRecord[] = [];
  epochs: EpochRecord[] = [];

  beforeFit(): void {
    this.steps = [];
    this.epochs = [];
  }

  afterBatch(state: FitState): void {
    if (!state.training) return;
    this.steps.push({ learningRates: [...state.hyper.learningRates], momentum: state.hyper.momentum, loss: state.loss, smoothLoss: state.smoothLoss });
  }

  afterEpoch(state: FitState): void {
    this.epochs.push({
      epoch: state.epoch,
      trainLoss: state.smoothLoss,
      validLoss: state.validation?.loss ?? Number.NaN,
      metrics: { ...(state.validation?.metrics ?? {}) },
      seconds: (Date.now() - state.epochStart) / 1000,
    });
  }

  /** The last group's learning rate per step (what fastai plots). */
  get lrs(): number[] {
    return this.steps.map((s) => s.learningRates.at(-1)!);
  }

  get losses(): number[] {
    return this.steps.map((s) => s.smoothLoss);
  }
}
