/** fastai's training recipes as thin functions of fit plus a scheduler. */
import { type LearningRateSpec, slice } from "../optim/index.ts";
import type { Callback } from "./events.ts";
import type { Learner } from "./learner.ts";
import { runFit } from "./loop.ts";
import { type OneCycleOptions, oneCycleSchedules, ParamScheduler } from "./schedule.ts";

export interface FitOneCycleOptions extends OneCycleOptions {
  callbacks?: Callback[];
}

/** fit_one_cycle: lr from lrMax/div up to lrMax (cosine, pctStart of training) and down to lrMax/divFinal; momentum the other way. */
export async function fitOneCycle(learner: Learner, epochs: number, lrMax: LearningRateSpec = 1e-3, options: FitOneCycleOptions = {}): Promise<void> {
  const { callbacks = [], ...cycle } = options;
  const peaks = learner.learningRates(lrMax);
  const schedules = oneCycleSchedules(peaks, cycle);
  const hyper = { learningRates: schedules.learningRates.map((f) => f(0)), momentum: schedules.momentum!(0) };
  await runFit(learner, epochs, hyper, [new ParamScheduler(schedules), ...callbacks]);
}

export interface FineTuneOptions extends FitOneCycleOptions {
  baseLr?: number;
  freezeEpochs?: number;
  lrMult?: number;
}

/**
 * fine_tune, exactly fastai's: freeze; one-cycle for freezeEpochs at slice(baseLr) with
 * pct_start 0.99; halve baseLr; unfreeze; one-cycle for `epochs` at
 * slice(baseLr/lrMult, baseLr) with pct_start 0.3 and div 5.
 */
export async function fineTune(learner: Learner, epochs: number, options: FineTuneOptions = {}): Promise<void> {
  const { baseLr = 2e-3, freezeEpochs = 1, lrMult = 100, pctStart = 0.3, div = 5, ...rest } = options;
  if (!(baseLr > 0)) throw new Error(`fineTune: baseLr must be > 0, got ${baseLr}`);
  if (!Number.isInteger(freezeEpochs) || freezeEpochs < 0) throw new Error(`fineTune: freezeEpochs must be an integer ≥ 0, got ${freezeEpochs}`);
  if (!(lrMult > 0)) throw new Error(`fineTune: lrMult must be > 0, got ${lrMult}`);
  learner.freeze();
  await fitOneCycle(learner, freezeEpochs, slice(baseLr), { ...rest, pctStart: 0.99 });
  const half = baseLr / 2;
  learner.unfreeze();
  await fitOneCycle(learner, epochs, slice(half / lrMult, half), { ...rest, pctStart, div });
}
