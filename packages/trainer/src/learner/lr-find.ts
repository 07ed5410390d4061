/**
 * The learning-rate range test (fastai's lr_find): train from startLr to endLr growing
 * exponentially over numIt batches, record the smoothed loss, stop once it exceeds 4× its
 * minimum, then put every weight and optimizer state back as it was.
 */
import { CancelFit, CancelValidate, type Callback } from "./events.ts";
import type { Learner } from "./learner.ts";
import { runFit } from "./loop.ts";
import type { FitState } from "./state.ts";
import { SUGGESTIONS, type Suggestion, type SuggestionName } from "./suggestions.ts";

export interface LrFindOptions {
  startLr?: number;
  endLr?: number;
  numIt?: number;
  stopDiv?: boolean;
  suggest?: SuggestionName[];
}

export interface LrFindResult {
  /** Every step: learning rate and smoothed loss. */
  lrs: number[];
  losses: number[];
  /** fastai's suggestions on the curve without its first tenth and last 5 points. */
  suggestions: Partial<Record<SuggestionName, Suggestion>>;
}

/** lr = start·(end/start)^pos at pos = iteration / numIt, for every layer group. */
export class LRFinder implements Callback {
  readonly name = "lrFinder";
  readonly order = 60;
  readonly lrs: number[] = [];
  readonly losses: number[] = [];
  private best = Infinity;

  constructor(private readonly startLr: number, private readonly endLr: number, private readonly numIt: number, private readonly stopDiv: boolean) {}

  beforeBatch(state: FitState): void {
    if (!state.training) return;
    const lr = this.startLr * (this.endLr / this.startLr) ** (state.trainIteration / this.numIt);
    state.hyper.learningRates = state.hyper.learningRates.map(() => lr);
  }

  afterBatch(state: FitState): void {
    if (!state.training) return;
    this.lrs.push(state.hyper.learningRates.at(-1)!);
    this.losses.push(state.smoothLoss);
    if (state.smoothLoss < this.best) this.best = state.smoothLoss;
    if (this.stopDiv && (state.smoothLoss > 4 * this.best || Number.isNaN(state.smoothLoss))) throw new CancelFit("loss diverged");
    if (state.trainIteration >= this.numIt) throw new CancelFit("range test done");
  }

  beforeValidate(): void {
    throw new CancelValidate("no validation during the range test");
  }
}

export async function lrFind(learner: Learner, options: LrFindOptions = {}): Promise<LrFindResult> {
  const { startLr = 1e-7, endLr = 10, stopDiv = true, suggest = ["valley"] } = options;
  const numIt = Math.max(6, options.numIt ?? 100);
  if (!(startLr > 0 && endLr > startLr)) throw new Error(`lrFind: need 0 < startLr < endLr, got ${startLr} and ${endLr}`);
  const finder = new LRFinder(startLr, endLr, numIt, stopDiv);
  const saved = learner.trainer.state();
  const epochs = Math.floor(numIt / learner.data.train.length) + 1;
  try {
    await runFit(learner, epochs, { learningRates: learner.learningRates(startLr), momentum: learner.baseMomentum }, [finder]);
  } finally {
    await learner.trainer.restore(saved);
  }
  return { lrs: finder.lrs, losses: finder.losses, suggestions: suggestFrom(finder.lrs, finder.losses, numIt, suggest) };
}

/** fastai trims the first tenth and the last 5 points, and stops at the first NaN. */
export function suggestFrom(lrs: readonly number[], losses: readonly number[], numIt: number, names: readonly SuggestionName[]): Partial<Record<SuggestionName, Suggestion>> {
  const start = Math.floor(numIt / 10);
  let end = Math.max(start, lrs.length - 5);
  const nan = losses.slice(start, end).findIndex(Number.isNaN);
  if (nan >= 0) end = start + nan;
  const [x, y] = [lrs.slice(start, end), losses.slice(start, end)];
  const result: Partial<Record<SuggestionName, Suggestion>> = {};
  for (const name of names) {
    if (!Object.hasOwn(SUGGESTIONS, name)) throw new Error(`suggest: each name must be one of ${Object.keys(SUGGESTIONS).join(", ")}, got '${name}'`);
    if (x.length < (name === "slide" ? 16 : 2)) continue;
    result[name] = SUGGESTIONS[name](x, y);
  }
  return result;
}
