/**
 * The learning-rate range test (fastai's lr_find): train from startLr to endLr growing
 * exponentially over numIt batches, cycling over the training data as many epochs as that
 * takes (a small set has few batches per epoch) and never validating; record the smoothed
 * loss, stop once it exceeds 4× its minimum, then put every weight and optimizer state back as
 * it was. When a suggestion cannot be made the result says why.
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
  /** Why a requested suggestion is missing (too few points, and why the test stopped early); absent when every one was made. */
  reason?: string;
}

/** lr = start·(end/start)^pos at pos = iteration / numIt, for every layer group. */
export class LRFinder implements Callback {
  readonly name = "lrFinder";
  readonly order = 60;
  readonly lrs: number[] = [];
  readonly losses: number[] = [];
  /** Why the test ended before numIt steps: the smoothed loss diverged or became NaN. */
  stopped: "diverged" | "nan" | undefined;
  private best = Infinity;

  constructor(
    private readonly startLr: number,
    private readonly endLr: number,
    private readonly numIt: number,
    private readonly stopDiv: boolean,
  ) {}

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
    if (this.stopDiv && (state.smoothLoss > 4 * this.best || Number.isNaN(state.smoothLoss))) {
      this.stopped = Number.isNaN(state.smoothLoss) ? "nan" : "diverged";
      throw new CancelFit("loss diverged");
    }
    if (state.trainIteration >= this.numIt) throw new CancelFit("range test done");
  }

  /** Only reached when the finder is given to an ordinary fit: lrFind runs without validation. */
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
  // As many epochs as numIt steps take; the finder ends the fit at numIt (or on divergence).
  const epochs = Math.ceil(numIt / Math.max(1, learner.data.train.length));
  try {
    await runFit(learner, epochs, { learningRates: learner.learningRates(startLr), momentum: learner.baseMomentum }, [finder], { validate: false });
  } finally {
    await learner.trainer.restore(saved);
  }
  const suggestions = suggestFrom(finder.lrs, finder.losses, numIt, suggest);
  const reason = missingReason(
    finder,
    numIt,
    suggest.filter((name) => !suggestions[name]),
  );
  return { lrs: finder.lrs, losses: finder.losses, suggestions, ...(reason === undefined ? {} : { reason }) };
}

function missingReason(finder: LRFinder, numIt: number, missing: readonly SuggestionName[]): string | undefined {
  if (missing.length === 0) return undefined;
  const steps = finder.lrs.length;
  const how =
    finder.stopped === "diverged"
      ? `the loss diverged after ${steps} of ${numIt} steps (smoothed loss above 4× its minimum)`
      : finder.stopped === "nan"
        ? `the loss became NaN after ${steps} of ${numIt} steps`
        : steps < numIt
          ? `the range test stopped after ${steps} of ${numIt} steps`
          : `all ${numIt} steps ran`;
  const points = trimmed(finder.lrs, finder.losses, numIt)[0].length;
  const needs = missing.map((name) => `${name} needs ${minPoints(name)}`).join(", ");
  const kept = `${points} point${points === 1 ? "" : "s"} left once the first ${Math.floor(numIt / 10)} and the last 5 are trimmed`;
  return `${how}: ${kept}, too few to suggest (${needs})`;
}

function minPoints(name: SuggestionName): number {
  return name === "slide" ? 16 : 2;
}

/** fastai trims the first tenth and the last 5 points, and stops at the first NaN. */
function trimmed(lrs: readonly number[], losses: readonly number[], numIt: number): [number[], number[]] {
  const start = Math.floor(numIt / 10);
  let end = Math.max(start, lrs.length - 5);
  const nan = losses.slice(start, end).findIndex(Number.isNaN);
  if (nan >= 0) end = start + nan;
  return [lrs.slice(start, end), losses.slice(start, end)];
}

/** fastai's suggestions on the trimmed curve; a name with too few points for it is left out. */
export function suggestFrom(
  lrs: readonly number[],
  losses: readonly number[],
  numIt: number,
  names: readonly SuggestionName[],
): Partial<Record<SuggestionName, Suggestion>> {
  const [x, y] = trimmed(lrs, losses, numIt);
  const result: Partial<Record<SuggestionName, Suggestion>> = {};
  for (const name of names) {
    if (!Object.hasOwn(SUGGESTIONS, name)) throw new Error(`suggest: each name must be one of ${Object.keys(SUGGESTIONS).join(", ")}, got '${name}'`);
    if (x.length < minPoints(name)) continue;
    result[name] = SUGGESTIONS[name](x, y);
  }
  return result;
}
