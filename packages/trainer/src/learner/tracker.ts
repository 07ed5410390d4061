/**
 * Callbacks that follow a monitored value after each epoch (fastai's TrackerCallback):
 * EarlyStopping stops the fit after `patience` epochs without improvement; SaveBest writes a
 * checkpoint at every new best and loads the best one back at the end. Both sit out fits
 * without validation (lr_find's range test), as fastai's trackers do during lr_find: there is
 * nothing to monitor, and stopping would cut the range test short.
 */
import { CancelFit, type Callback } from "./events.ts";
import type { FitState } from "./state.ts";

export interface TrackerOptions {
  /** "valid_loss" (default), "train_loss", or a metric name. */
  monitor?: string;
  /** Improvement must exceed this. */
  minDelta?: number;
  /** Default: lower is better for names containing "loss" or "error", higher otherwise. */
  higherIsBetter?: boolean;
}

export function monitoredValue(state: FitState, monitor: string): number {
  if (monitor === "valid_loss") return state.validation?.loss ?? Number.NaN;
  if (monitor === "train_loss") return state.smoothLoss;
  const value = state.validation?.metrics[monitor];
  if (value === undefined) {
    throw new Error(
      `monitor must be valid_loss, train_loss or a metric (${Object.keys(state.validation?.metrics ?? {}).join(", ") || "none recorded"}), got '${monitor}'`,
    );
  }
  return value;
}

class Tracker {
  readonly monitor: string;
  best: number;
  private readonly minDelta: number;
  private readonly higher: boolean;

  constructor(options: TrackerOptions) {
    this.monitor = options.monitor ?? "valid_loss";
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.higher = options.higherIsBetter ?? !/loss|error/.test(this.monitor);
    this.best = this.higher ? -Infinity : Infinity;
  }

  reset(): void {
    this.best = this.higher ? -Infinity : Infinity;
  }

  /** True when `value` beats the best by more than minDelta (and becomes the best). */
  update(value: number): boolean {
    const better = this.higher ? value - this.minDelta > this.best : value + this.minDelta < this.best;
    if (better) this.best = value;
    return better;
  }
}

export class EarlyStopping implements Callback {
  readonly name = "earlyStopping";
  readonly order = 60;
  private readonly tracker: Tracker;
  private readonly patience: number;
  private wait = 0;
  stoppedAtEpoch: number | undefined;

  constructor(options: TrackerOptions & { patience?: number } = {}) {
    this.tracker = new Tracker(options);
    this.patience = options.patience ?? 1;
    if (!Number.isInteger(this.patience) || this.patience < 1) throw new Error(`EarlyStopping: patience must be an integer ≥ 1, got ${this.patience}`);
  }

  beforeFit(): void {
    this.tracker.reset();
    this.wait = 0;
    this.stoppedAtEpoch = undefined;
  }

  afterEpoch(state: FitState): void {
    if (!state.validates) return;
    if (this.tracker.update(monitoredValue(state, this.tracker.monitor))) {
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedAtEpoch = state.epoch;
      throw new CancelFit(`no improvement in ${this.tracker.monitor} for ${this.wait} epochs`);
    }
  }
}

export class SaveBest implements Callback {
  readonly name = "saveBest";
  readonly order = 61;
  private readonly tracker: Tracker;
  private readonly loadAtEnd: boolean;
  private saved = false;
  bestEpoch: number | undefined;

  /** path: the checkpoint file; loadAtEnd: restore the best weights after the fit (default true). */
  constructor(
    readonly path: string,
    options: TrackerOptions & { loadAtEnd?: boolean } = {},
  ) {
    this.tracker = new Tracker(options);
    this.loadAtEnd = options.loadAtEnd ?? true;
  }

  get best(): number {
    return this.tracker.best;
  }

  beforeFit(): void {
    this.tracker.reset();
    this.saved = false;
    this.bestEpoch = undefined;
  }

  afterEpoch(state: FitState): void {
    if (!state.validates || !this.tracker.update(monitoredValue(state, this.tracker.monitor))) return;
    state.learner.trainer.saveCheckpoint(this.path);
    this.saved = true;
    this.bestEpoch = state.epoch;
  }

  async afterFit(state: FitState): Promise<void> {
    if (this.loadAtEnd && this.saved) await state.learner.trainer.loadCheckpoint(this.path);
  }
}
