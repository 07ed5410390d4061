/**
 * AUTO: picks the recipe and its few settings by validation on the training split only. The
 * training items are split once more (stratified, seeded) into a fitting part and a held-back
 * slice; the linear probe and each fine-tuning candidate are fitted on the first and scored on
 * the slice, cheapest first, while the time budget allows; the best score wins (ties go to the
 * cheaper candidate) and is retrained on the whole training split. The validation split is
 * never read here.
 */
import { splitTrainValid, type Split } from "../data/index.ts";
import { selectViews } from "../features/index.ts";
import { argmaxRows } from "../learner/index.ts";
import { probeAccuracy } from "../probe/index.ts";
import { type ConcreteRecipe, pct, type RecipeRun, type RecipeSettings, runRecipe } from "./recipes.ts";
import { RECIPE_LEARNING_RATES } from "./spec.ts";
import { averageHalf, type Workbench } from "./workbench.ts";

export interface Candidate {
  recipe: ConcreteRecipe;
  settings: RecipeSettings;
}

export interface CandidateReport extends Candidate {
  /** Accuracy on the held-back slice of the training split; undefined when skipped. */
  heldBackAccuracy?: number;
  seconds: number;
  /** Why it did not run (the budget), when it did not. */
  skipped?: string;
}

export interface AutoReport {
  candidates: CandidateReport[];
  winner: Candidate;
  reason: string;
  heldBack: number;
  fitting: number;
  budgetSeconds: number;
}

/** Layer groups the "top only" candidates train: the head and the body's last group (freeze_to(-2)). */
export const TOP_GROUPS = 2;

/** Views of the probe candidate with augmentation: the centre crop and three augmented views per image. */
export const AUGMENTED_VIEWS = 4;

/** The candidates, cheapest first: the probe (plain, then on augmented views), then LP-FT and fastai's fine_tune at a few lengths. */
export function autoCandidates(views: number, augmented: boolean): Candidate[] {
  const lpft = (epochs: number, unfreezeGroups?: number): Candidate => ({
    recipe: "LP_FT", settings: { epochs, freezeEpochs: 0, learningRate: RECIPE_LEARNING_RATES.LP_FT, views, ...(unfreezeGroups ? { unfreezeGroups } : {}) },
  });
  const probe = (k: number): Candidate => ({ recipe: "LINEAR_PROBE", settings: { epochs: 0, freezeEpochs: 0, learningRate: 0, views: k } });
  return [
    probe(views),
    ...(augmented && views < AUGMENTED_VIEWS ? [probe(AUGMENTED_VIEWS)] : []),
    lpft(2),
    { recipe: "FINE_TUNE", settings: { epochs: 2, freezeEpochs: 1, learningRate: RECIPE_LEARNING_RATES.FINE_TUNE, views } },
    lpft(5),
    // Longer fits of the top of the body only (its backward pass runs at low resolution): affordable on small sets.
    lpft(10, TOP_GROUPS),
    { recipe: "FINE_TUNE", settings: { epochs: 12, freezeEpochs: 3, learningRate: RECIPE_LEARNING_RATES.FINE_TUNE, views, unfreezeGroups: TOP_GROUPS } },
  ];
}

/** Held back from the training split for AUTO's choice: a fifth, stratified, at least one item. */
export function heldBackSplit(bench: Workbench, train: readonly number[]): Split {
  const items = train.map((index) => bench.inputs.dataset.items[index]!);
  const inner = splitTrainValid(items, { validPct: 0.2, seed: bench.spec.seed, useSourceSplit: false });
  return { train: inner.train.map((i) => train[i]!), valid: inner.valid.map((i) => train[i]!) };
}

export async function autoSelect(bench: Workbench, split: Split): Promise<{ winner: Candidate; report: AutoReport }> {
  const started = Date.now();
  const budget = bench.spec.budgetSeconds;
  const inner = heldBackSplit(bench, split.train);
  const views = bench.spec.views;
  bench.log(`AUTO: choosing on the training split only: fit on ${inner.train.length} images, score on ${inner.valid.length} held back; budget ${budget} s`);
  // One pass of the body over every training image; the probe's rows for any subset come from it.
  const featureStart = Date.now();
  await bench.features(split.train, views);
  const forwardPerImage = (Date.now() - featureStart) / 1000 / (split.train.length * views);
  const reports: CandidateReport[] = [];
  // A training step per image ≈ this many forward passes, until measured (training the top groups only costs less).
  const stepCost = { all: 4, top: 2 };
  const kind = (c: Candidate) => (c.settings.unfreezeGroups === undefined ? "all" : "top");
  const candidates = autoCandidates(views, bench.pipeline.augment !== undefined);
  const first = candidates[0]!;
  for (const candidate of candidates) {
    const elapsed = (Date.now() - started) / 1000;
    // The trial extracts the probe's views for the whole training split, so its final fit costs nothing more.
    const estimate = costEstimate(candidate, candidate.recipe === "LINEAR_PROBE" ? split.train.length : inner.train.length, inner.valid.length, forwardPerImage, stepCost[kind(candidate)], views);
    const final = candidate.recipe === "LINEAR_PROBE" ? 0 : costEstimate(candidate, split.train.length, split.valid.length, forwardPerImage, stepCost[kind(candidate)], views);
    if (candidate !== first && elapsed + estimate + final > budget) {
      reports.push({ ...candidate, seconds: 0, skipped: `about ${Math.round(estimate)} s to try and ${Math.round(final)} s to retrain would pass the ${budget} s budget (${Math.round(elapsed)} s spent)` });
      bench.log(`AUTO: skip ${describe(candidate)}: ${reports.at(-1)!.skipped}`);
      continue;
    }
    const trialStart = Date.now();
    const accuracy = await heldBackScore(bench, candidate, split, inner);
    const seconds = (Date.now() - trialStart) / 1000;
    if (candidate.recipe !== "LINEAR_PROBE") {
      const trainedImages = candidate.settings.epochs * inner.train.length;
      const measured = (seconds / forwardPerImage - candidate.settings.epochs * inner.valid.length) / Math.max(1, trainedImages);
      if (Number.isFinite(measured) && measured > 0) stepCost[kind(candidate)] = measured;
    }
    reports.push({ ...candidate, heldBackAccuracy: accuracy, seconds });
    bench.log(`AUTO: ${describe(candidate)}: held-back accuracy ${pct(accuracy)} (${seconds.toFixed(1)} s)`);
  }
  const { chosen: best, reason } = oneStandardError(reports.filter((r) => r.heldBackAccuracy !== undefined), inner.valid.length);
  bench.log(`AUTO: chose ${describe(best)}: ${reason}`);
  const winner = { recipe: best.recipe, settings: best.settings };
  return { winner, report: { candidates: reports, winner, reason, heldBack: inner.valid.length, fitting: inner.train.length, budgetSeconds: budget } };
}

/**
 * The one-standard-error rule (Hastie, Tibshirani & Friedman, The Elements of Statistical
 * Learning, 7.10): the cheapest candidate (they come cheapest first) whose held-back accuracy is
 * within one standard error, √(p(1−p)/n), of the best. On a small held-back slice a more costly
 * recipe must win by more than the noise of that slice.
 */
export function oneStandardError(ran: readonly CandidateReport[], heldBack: number): { chosen: CandidateReport; reason: string } {
  const best = ran.reduce((a, b) => (b.heldBackAccuracy! > a.heldBackAccuracy! ? b : a));
  const p = best.heldBackAccuracy!;
  const standardError = Math.sqrt(Math.max(p * (1 - p), 1 / heldBack) / heldBack);
  const chosen = ran.find((r) => r.heldBackAccuracy! >= p - standardError)!;
  const cheaper = ran.slice(0, ran.indexOf(chosen));
  const reason = chosen !== best
    ? `${describe(chosen)} scored ${pct(chosen.heldBackAccuracy)} on the held-back slice, within one standard error (${pct(standardError)}) of the best (${describe(best)}, ${pct(p)}), and costs less`
    : cheaper.length === 0
      ? `${describe(chosen)} scored best on the held-back slice, ${pct(p)}, and costs least`
      : `${describe(chosen)} scored best on the held-back slice, ${pct(p)}, more than one standard error (${pct(standardError)}) above the cheaper candidates`;
  return { chosen, reason };
}

function costEstimate(candidate: Candidate, trainCount: number, validCount: number, forwardPerImage: number, stepCostFactor: number, baseViews: number): number {
  // A probe on more views than the base ones costs the body's passes over the views not cached yet.
  if (candidate.recipe === "LINEAR_PROBE") return Math.max(0, candidate.settings.views - baseViews) * trainCount * forwardPerImage;
  const { epochs, freezeEpochs } = candidate.settings;
  return (epochs * (trainCount * stepCostFactor + validCount) + freezeEpochs * validCount) * forwardPerImage;
}

async function heldBackScore(bench: Workbench, candidate: Candidate, split: Split, inner: Split): Promise<number> {
  if (candidate.recipe === "LINEAR_PROBE") {
    const probe = await bench.probe(inner.train, candidate.settings.views, split.train);
    const heldBack = averageHalf(selectViews(await bench.rows(inner.valid, candidate.settings.views, split.train), [0]));
    return probeAccuracy(probe.probe, heldBack);
  }
  let run: RecipeRun | undefined;
  try {
    run = await runRecipe(bench, candidate.recipe, inner, candidate.settings, true, split.train);
    const { predictions } = await run.learner.predictions();
    const predicted = argmaxRows(predictions.scores, predictions.classes);
    return predicted.reduce((sum, p, i) => sum + (p === predictions.labels[i] ? 1 : 0), 0) / predicted.length;
  } finally {
    await bench.release();
  }
}

export function describe(candidate: Candidate): string {
  const { recipe, settings } = candidate;
  if (recipe === "LINEAR_PROBE") return `LINEAR_PROBE (views ${settings.views})`;
  const top = settings.unfreezeGroups === undefined ? "" : `, top ${settings.unfreezeGroups} groups`;
  if (recipe === "FINE_TUNE") return `FINE_TUNE (${settings.freezeEpochs} frozen + ${settings.epochs} epochs, lr ${settings.learningRate}${top})`;
  return `${recipe} (${settings.epochs} epochs, lr ${settings.learningRate}${top})`;
}
