/**
 * Callbacks that connect a fit to the outside: a metric hook (what the platform worker uses
 * to persist progress) and cancellation through an AbortSignal, honoured within one batch.
 */
import { CancelFit, type Callback } from "./events.ts";
import type { FitState } from "./state.ts";

export type MetricEvent =
  | { kind: "step"; step: number; epoch: number; loss: number; smoothLoss: number; learningRates: number[]; momentum: number }
  | { kind: "epoch"; epoch: number; trainLoss: number; validLoss: number; metrics: Record<string, number>; seconds: number };

export interface MetricHookOptions {
  onMetrics: (event: MetricEvent) => void | Promise<void>;
  /** Report every n-th training step (default 1); epochs are always reported. */
  everySteps?: number;
}

export class MetricHook implements Callback {
  readonly name = "metricHook";
  readonly order = 80;
  private readonly every: number;

  constructor(private readonly options: MetricHookOptions) {
    this.every = options.everySteps ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new Error(`MetricHook: everySteps must be an integer ≥ 1, got ${this.every}`);
  }

  async afterBatch(state: FitState): Promise<void> {
    if (!state.training || state.trainIteration % this.every !== 0) return;
    const { learningRates, momentum } = state.hyper;
    await this.options.onMetrics({
      kind: "step",
      step: state.trainIteration,
      epoch: state.epoch,
      loss: state.loss,
      smoothLoss: state.smoothLoss,
      learningRates: [...learningRates],
      momentum,
    });
  }

  async afterEpoch(state: FitState): Promise<void> {
    await this.options.onMetrics({
      kind: "epoch",
      epoch: state.epoch,
      trainLoss: state.smoothLoss,
      validLoss: state.validation?.loss ?? Number.NaN,
      metrics: { ...(state.validation?.metrics ?? {}) },
      seconds: (Date.now() - state.epochStart) / 1000,
    });
  }
}

/** Raises CancelFit before the first batch that starts after the signal aborts (the batch in flight completes). */
export class AbortCallback implements Callback {
  readonly name = "abort";
  readonly order = -100;
  constructor(private readonly signal: AbortSignal) {}

  beforeBatch(): void {
    if (this.signal.aborted) throw new CancelFit(`fit aborted: ${String(this.signal.reason ?? "signal")}`);
  }
}
