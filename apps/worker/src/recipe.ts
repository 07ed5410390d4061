/**
 * A recipe as stages (fastai's fine_tune is two one-cycle fits), and a stage run from any
 * epoch: the one-cycle schedules are pure functions of the position in the whole stage, so a
 * stage resumed at epoch k continues the same curves from k / epochs.
 */
import type { TrainingSettings } from "@runboard/queue";
import { type Callback, type Learner, ParamScheduler, oneCycleSchedules, type Schedules } from "@runboard/trainer/learner/index";
import { runFit } from "@runboard/trainer/learner/loop";
import { type LearningRateSpec, slice } from "@runboard/trainer/optim/index";

export interface Stage {
  phase: "frozen" | "unfrozen";
  epochs: number;
  learningRate: LearningRateSpec;
  pctStart: number;
  div: number;
  divFinal: number;
}

export function recipeStages(settings: TrainingSettings): Stage[] {
  const { epochs, learningRate: lr, pctStart, div, divFinal } = settings;
  if (settings.recipe === "FIT_ONE_CYCLE") return [{ phase: "unfrozen", epochs, learningRate: lr, pctStart, div, divFinal }];
  if (settings.recipe === "FROZEN_HEAD") return [{ phase: "frozen", epochs, learningRate: lr, pctStart, div, divFinal }];
  // fine_tune, as fastai: frozen at slice(lr) with pct_start 0.99, then lr halved, unfrozen at
  // slice(lr / 2 / lrMult, lr / 2) with div 5.
  const half = lr / 2;
  const stages: Stage[] = [];
  if (settings.freezeEpochs > 0) stages.push({ phase: "frozen", epochs: settings.freezeEpochs, learningRate: slice(lr), pctStart: 0.99, div, divFinal });
  stages.push({ phase: "unfrozen", epochs, learningRate: slice(half / settings.lrMult, half), pctStart, div: 5, divFinal });
  return stages;
}

function shifted(schedules: Schedules, fromEpoch: number, epochs: number): Schedules {
  const at = (f: (pos: number) => number) => (pos: number) => f((fromEpoch + pos * (epochs - fromEpoch)) / epochs);
  return { learningRates: schedules.learningRates.map(at), ...(schedules.momentum ? { momentum: at(schedules.momentum) } : {}) };
}

export function applyPhase(learner: Learner, stage: Stage): void {
  if (stage.phase === "frozen") learner.freeze();
  else learner.unfreeze();
}

/** The stage's peak learning rate of each layer group. */
export function stagePeaks(learner: Learner, stage: Stage): number[] {
  return learner.learningRates(stage.learningRate);
}

/** Trains epochs fromEpoch … stage.epochs − 1 of a stage (the learner's phase already applied). */
export async function runStage(learner: Learner, stage: Stage, fromEpoch: number, callbacks: Callback[]): Promise<void> {
  if (fromEpoch >= stage.epochs) return;
  const schedules = shifted(oneCycleSchedules(stagePeaks(learner, stage), { pctStart: stage.pctStart, div: stage.div, divFinal: stage.divFinal }), fromEpoch, stage.epochs);
  const hyper = { learningRates: schedules.learningRates.map((f) => f(0)), momentum: schedules.momentum?.(0) ?? learner.baseMomentum };
  await runFit(learner, stage.epochs - fromEpoch, hyper, [new ParamScheduler(schedules), ...callbacks]);
}
