/**
 * ParamScheduler (fastai): before each training batch, sets every group's learning rate and
 * the momentum from pure schedules of the training position pctTrain ∈ [0, 1).
 */
import { type OneCycleConfig, oneCycleLearningRate, oneCycleMomentum, type Schedule } from "../optim/index.ts";
import type { Callback } from "./events.ts";
import type { FitState } from "./state.ts";

export interface Schedules {
  /** One schedule per layer group. */
  learningRates: Schedule[];
  momentum?: Schedule;
}

export class ParamScheduler implements Callback {
  readonly name = "paramScheduler";
  readonly order = 60;
  constructor(readonly schedules: Schedules) {}

  beforeBatch(state: FitState): void {
    if (!state.training) return;
    if (this.schedules.learningRates.length !== state.hyper.learningRates.length) {
      throw new Error(`ParamScheduler: ${this.schedules.learningRates.length} learning-rate schedules for ${state.hyper.learningRates.length} layer groups`);
    }
    state.hyper.learningRates = this.schedules.learningRates.map((f) => f(state.pctTrain));
    if (this.schedules.momentum) state.hyper.momentum = this.schedules.momentum(state.pctTrain);
  }
}

export type OneCycleOptions = Omit<OneCycleConfig, "lrMax">;

/** fastai's fit_one_cycle schedules: one learning-rate curve per group (its own lrMax), one momentum curve. */
export function oneCycleSchedules(lrMax: readonly number[], options: OneCycleOptions = {}): Schedules {
  return {
    learningRates: lrMax.map((max) => oneCycleLearningRate({ ...options, lrMax: max })),
    momentum: oneCycleMomentum({ ...options, lrMax: lrMax.at(-1)! }),
  };
}
