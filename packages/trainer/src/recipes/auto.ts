/**
 * AUTO: picks the recipe and its few settings by validation on the training split only. A small
 * training split is cut into k stratified folds, each candidate fitted k times and scored on
 * every training item once (k-fold cross-validation); a large one is split once (stratified,
 * seeded) into a fitting part and a held-back slice. The linear probe and each fine-tuning
 * candidate are scored that way, cheapest first, while the time budget allows; the cheapest
 * within one standard error of the best wins and is retrained on the whole training split. The
 * validation split is never read here.
 */
import { splitTrainValid, stratifiedKFold, type Split } from "../data/index.ts";
import { selectViews } from "../features/index.ts";
import { argmaxRows } from "../learner/index.ts";
import { probeAccuracy } from "../probe/index.ts";
import { type ConcreteRecipe, pct, type RecipeRun, type RecipeSettings, runRecipe } from "./recipes.ts";
import { PROBE_FEATURES, type ProbeFeatures, RECIPE_LEARNING_RATES } from "./spec.ts";
import { cvAccuracy, type Workbench } from "./workbench.ts";

export interface Candidate {
  recipe: ConcreteRecipe;
  settings: RecipeSettings;
}

export interface CandidateReport extends Candidate {
  /** Accuracy on the training items scored (out-of-fold, or the held-back slice); undefined when skipped. */
  selectionAccuracy?: number;
  seconds: number;
  /** Why it did not run (the budget), when it did not. */
  skipped?: string;
}

export interface AutoReport {
  candidates: CandidateReport[];
  winner: Candidate;
  reason: string;
  /** How candidates were scored: k-fold cross-validation on the training split, or one held-back slice of it. */
  selection: SelectionMethod;
  /** Training items each candidate's score counts (every training item in k-fold). */
  scored: number;
  /** Training items each fit of a candidate learns from. */
  fitting: number;
  budgetSeconds: number;
  /** Which features the probe and LP-FT candidates read, and why. */
  probeFeatures: FeatureChoice;
}

/** Layer groups the "top only" candidates train: the head and the body's last group (freeze_to(-2)). */
export const TOP_GROUPS = 2;

/** Views of the probe candidate with augmentation: the centre crop and three augmented views per image. */
export const AUGMENTED_VIEWS = 4;

/**
 * The candidates, cheapest first: the probe (plain, then on augmented views), then LP-FT and
 * fastai's fine_tune at a few lengths. The probe and LP-FT read `features` (chosen first, by
 * cross-validation: chooseProbeFeatures).
 */
export function autoCandidates(views: number, augmented: boolean, features: ProbeFeatures = "LAST"): Candidate[] {
  const lpft = (epochs: number, unfreezeGroups?: number): Candidate => ({
    recipe: "LP_FT",
    settings: { epochs, freezeEpochs: 0, learningRate: RECIPE_LEARNING_RATES.LP_FT, views, features, ...(unfreezeGroups ? { unfreezeGroups } : {}) },
  });
  const probe = (k: number): Candidate => ({ recipe: "LINEAR_PROBE", settings: { epochs: 0, freezeEpochs: 0, learningRate: 0, views: k, features } });
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

/** Training splits up to this many items are scored by k-fold cross-validation; larger ones by one held-back slice. */
export const KFOLD_MAX_ITEMS = 1000;

/** Folds of AUTO's cross-validation on small training splits. */
export const SELECTION_FOLDS = 5;

export type SelectionMethod = "k-fold" | "held-back";

/** Held back from the training split for AUTO's choice: a fifth, stratified, at least one item. */
export function heldBackSplit(items: readonly { label: number }[], train: readonly number[], seed: number): Split {
  const labels = train.map((index) => ({ label: items[index]!.label }));
  const inner = splitTrainValid(labels, { validPct: 0.2, seed, useSourceSplit: false });
  return { train: inner.train.map((i) => train[i]!), valid: inner.valid.map((i) => train[i]!) };
}

/**
 * The fits that score a candidate: k stratified folds of a small training split (every item
 * scored once, by a fit that did not see it), or one held-back fifth of a large one. The data
 * set's own folds and splits are ignored: these are folds of the training split alone.
 */
export function selectionFolds(items: readonly { label: number }[], train: readonly number[], seed: number): { method: SelectionMethod; folds: Split[] } {
  if (train.length > KFOLD_MAX_ITEMS) return { method: "held-back", folds: [heldBackSplit(items, train, seed)] };
  const labels = train.map((index) => ({ label: items[index]!.label }));
  const folds = stratifiedKFold(labels, SELECTION_FOLDS, seed)
    .filter((fold) => fold.valid.length > 0 && fold.train.length > 0)
    .map((fold) => ({ train: fold.train.map((i) => train[i]!), valid: fold.valid.map((i) => train[i]!) }));
  if (folds.length === 0) throw new Error(`AUTO chooses by cross-validation on the training split, which needs at least 2 images; it has ${train.length}`);
  return { method: "k-fold", folds };
}

function selectionName(method: SelectionMethod, folds: number): string {
  return method === "k-fold" ? `${folds}-fold cross-validation` : "the held-back slice";
}

export async function autoSelect(bench: Workbench, split: Split): Promise<{ winner: Candidate; report: AutoReport }> {
  const started = Date.now();
  const budget = bench.spec.budgetSeconds;
  const { method, folds } = selectionFolds(bench.inputs.dataset.items, split.train, bench.spec.seed);
  const scored = folds.reduce((sum, fold) => sum + fold.valid.length, 0);
  const fitting = folds[0]!.train.length;
  const views = bench.spec.views;
  bench.log(
    method === "k-fold"
      ? `AUTO: choosing on the training split only: ${folds.length}-fold cross-validation on its ${split.train.length} images (each fit on about ${fitting}); budget ${budget} s`
      : `AUTO: choosing on the training split only: fit on ${fitting} images, score on ${scored} held back; budget ${budget} s`,
  );
  // One pass of the body over every training image; the probe's rows for any subset come from it.
  const featureStart = Date.now();
  await bench.features(split.train, views);
  const forwardPerImage = (Date.now() - featureStart) / 1000 / (split.train.length * views);
  const given = bench.spec.features;
  // The features are chosen by the probe's own cross-validation: over the whole (small) training split, or the fitting part.
  const featureFitting = method === "k-fold" ? split.train : folds[0]!.train;
  const probeFeatures =
    given !== undefined
      ? { chosen: given, tried: [], reason: `${given} features, as the spec says` }
      : await chooseProbeFeatures(bench, featureFitting, views, split.train, budget - (Date.now() - started) / 1000, forwardPerImage);
  const reports: CandidateReport[] = [];
  // A training step per image ≈ this many forward passes of the feature pass, until measured: the
  // trainer's bench puts a whole-body MobileNetV2 step at about 11 inference passes per image on
  // CPU; training the top groups only costs less.
  const stepCost = { all: 11, top: 4 };
  const kind = (c: Candidate) => (c.settings.unfreezeGroups === undefined ? "all" : "top");
  const candidates = autoCandidates(views, bench.pipeline.augment !== undefined, probeFeatures.chosen);
  const first = candidates[0]!;
  const trained = folds.reduce((sum, fold) => sum + fold.train.length, 0);
  for (const candidate of candidates) {
    const elapsed = (Date.now() - started) / 1000;
    // The trial extracts the probe's views for the whole training split, so its final fit costs nothing more.
    const estimate =
      candidate.recipe === "LINEAR_PROBE"
        ? costEstimate(candidate, split.train.length, scored, forwardPerImage, 0, views)
        : costEstimate(candidate, trained, scored, forwardPerImage, stepCost[kind(candidate)], views);
    const final =
      candidate.recipe === "LINEAR_PROBE"
        ? 0
        : costEstimate(candidate, split.train.length, split.valid.length, forwardPerImage, stepCost[kind(candidate)], views);
    if (candidate !== first && elapsed + estimate + final > budget) {
      reports.push({
        ...candidate,
        seconds: 0,
        skipped: `about ${Math.round(estimate)} s to try and ${Math.round(final)} s to retrain would pass the ${budget} s budget (${Math.round(elapsed)} s spent)`,
      });
      bench.log(`AUTO: skip ${describe(candidate)}: ${reports.at(-1)!.skipped}`);
      continue;
    }
    const trialStart = Date.now();
    let correct = 0;
    for (const fold of folds) correct += await heldBackCorrect(bench, candidate, split, fold);
    const accuracy = correct / scored;
    const seconds = (Date.now() - trialStart) / 1000;
    if (candidate.recipe !== "LINEAR_PROBE") {
      const trainedImages = candidate.settings.epochs * trained;
      const measured = (seconds / forwardPerImage - candidate.settings.epochs * scored) / Math.max(1, trainedImages);
      if (Number.isFinite(measured) && measured > 0) stepCost[kind(candidate)] = measured;
    }
    reports.push({ ...candidate, selectionAccuracy: accuracy, seconds });
    bench.log(
      `AUTO: ${describe(candidate)}: ${method === "k-fold" ? `${folds.length}-fold` : "held-back"} accuracy ${pct(accuracy)} (${seconds.toFixed(1)} s)`,
    );
  }
  const { chosen: best, reason } = oneStandardError(
    reports.filter((r) => r.selectionAccuracy !== undefined),
    scored,
    selectionName(method, folds.length),
  );
  bench.log(`AUTO: chose ${describe(best)}: ${reason}`);
  const l2 = await finalProbeL2(bench, best, folds[0]!, split, budget - (Date.now() - started) / 1000);
  const winner = { recipe: best.recipe, settings: { ...best.settings, ...(l2 === undefined ? {} : { l2 }) } };
  return {
    winner,
    report: { candidates: reports, winner, reason, selection: method, scored, fitting, budgetSeconds: budget, probeFeatures },
  };
}

/**
 * The final probe searches its L2 again by cross-validation on the whole training split, unless
 * that would pass the budget (wide rows on thousands of images take minutes): then it keeps the
 * L2 chosen on the fitting part.
 */
async function finalProbeL2(bench: Workbench, best: Candidate, inner: Split, split: Split, secondsLeft: number): Promise<number | undefined> {
  if (best.recipe !== "LINEAR_PROBE" && best.recipe !== "LP_FT") return undefined;
  const selection = await bench.probe(inner.train, best.settings.views, split.train, best.settings.features);
  // The search grows a little faster than the rows.
  const estimate = 1.5 * selection.seconds * (split.train.length / inner.train.length);
  if (estimate <= secondsLeft) return undefined;
  bench.log(
    `AUTO: the final probe keeps L2 ${selection.l2.toExponential(1)} chosen on the fitting part: searching again would take about ${Math.round(estimate)} s, ${Math.round(secondsLeft)} s are left`,
  );
  return selection.l2;
}

export interface FeatureChoice {
  chosen: ProbeFeatures;
  /** Each kind of features tried, with the probe's cross-validation accuracy on the fitting part. */
  tried: { features: ProbeFeatures; cvAccuracy: number; width: number; seconds: number }[];
  reason: string;
}

/**
 * Which features the probe head reads, chosen like the probe's L2: by its cross-validation
 * accuracy on the fitting part of the training split, cheapest first, a costlier kind only when
 * it is more than one standard error better. A kind is not tried when the one before it scored
 * below its own predecessor, or when its pass over the training images would not fit in what is
 * left of the budget.
 */
export async function chooseProbeFeatures(
  bench: Workbench,
  fitting: readonly number[],
  views: number,
  from: readonly number[],
  secondsLeft: number,
  forwardPerImage: number,
): Promise<FeatureChoice> {
  const tried: FeatureChoice["tried"] = [];
  const started = Date.now();
  for (const features of PROBE_FEATURES) {
    const spent = (Date.now() - started) / 1000;
    const width = bench.classifier("probe", features).pooledSize;
    // Another pass of the body over the training images (about twice the plain one: the early
    // maps are pooled too), and the probe's cross-validation, which grows with the rows' width:
    // once on the fitting part, once more on the whole training split (5/4 of the rows) if it wins.
    const first = tried[0];
    const last = tried.at(-1);
    // Richer kinds go on only while each scores at least as well as the one before (on photos
    // the early maps rarely help, and the widest rows cost the most).
    if (last !== undefined && tried.length >= 2 && last.cvAccuracy < tried.at(-2)!.cvAccuracy) {
      bench.log(`AUTO: probe features ${features} not tried: ${last.features} scored below ${tried.at(-2)!.features}`);
      continue;
    }
    const estimate = first === undefined ? 0 : 2 * from.length * views * forwardPerImage + 2.25 * first.seconds * (width / first.width);
    if (first !== undefined && spent + estimate > secondsLeft) {
      bench.log(
        `AUTO: probe features ${features} not tried: about ${Math.round(estimate)} s (a pass over ${from.length} images and a probe ${width} wide) would pass the budget`,
      );
      continue;
    }
    const trialStart = Date.now();
    const selection = await bench.probe(fitting, views, from, features);
    tried.push({ features, cvAccuracy: cvAccuracy(selection), width: selection.probe.dim, seconds: (Date.now() - trialStart) / 1000 });
  }
  const best = tried.reduce((a, b) => (b.cvAccuracy > a.cvAccuracy ? b : a));
  const p = best.cvAccuracy;
  const standardError = Math.sqrt(Math.max(p * (1 - p), 1 / fitting.length) / fitting.length);
  const chosen = tried.find((t) => t.cvAccuracy >= p - standardError)!;
  const reason =
    chosen === best
      ? `${chosen.features} features: best cross-validation accuracy, ${pct(p)}`
      : `${chosen.features} features: ${pct(chosen.cvAccuracy)}, within one standard error (${pct(standardError)}) of ${best.features} (${pct(p)}), and narrower`;
  bench.log(`AUTO: probe reads ${reason}`);
  return { chosen: chosen.features, tried, reason };
}

/**
 * The one-standard-error rule (Hastie, Tibshirani & Friedman, The Elements of Statistical
 * Learning, 7.10): the cheapest candidate (they come cheapest first) whose held-back accuracy is
 * within one standard error, √(p(1−p)/n), of the best, n the training items scored. On a small
 * training split a more costly recipe must win by more than the noise of the score.
 */
export function oneStandardError(ran: readonly CandidateReport[], scored: number, on = "the held-back slice"): { chosen: CandidateReport; reason: string } {
  const best = ran.reduce((a, b) => (b.selectionAccuracy! > a.selectionAccuracy! ? b : a));
  const p = best.selectionAccuracy!;
  const standardError = Math.sqrt(Math.max(p * (1 - p), 1 / scored) / scored);
  const chosen = ran.find((r) => r.selectionAccuracy! >= p - standardError)!;
  const cheaper = ran.slice(0, ran.indexOf(chosen));
  const reason =
    chosen !== best
      ? `${describe(chosen)} scored ${pct(chosen.selectionAccuracy)} in ${on}, within one standard error (${pct(standardError)}) of the best (${describe(best)}, ${pct(p)}), and costs less`
      : cheaper.length === 0
        ? `${describe(chosen)} scored best in ${on}, ${pct(p)}, and costs least`
        : `${describe(chosen)} scored best in ${on}, ${pct(p)}, more than one standard error (${pct(standardError)}) above the cheaper candidates`;
  return { chosen, reason };
}

function costEstimate(
  candidate: Candidate,
  trainCount: number,
  validCount: number,
  forwardPerImage: number,
  stepCostFactor: number,
  baseViews: number,
): number {
  // A probe on more views than the base ones costs the body's passes over the views not cached yet.
  if (candidate.recipe === "LINEAR_PROBE") return Math.max(0, candidate.settings.views - baseViews) * trainCount * forwardPerImage;
  const { epochs, freezeEpochs } = candidate.settings;
  return (epochs * (trainCount * stepCostFactor + validCount) + freezeEpochs * validCount) * forwardPerImage;
}

/** How many of `inner.valid` the candidate fitted on `inner.train` gets right. */
async function heldBackCorrect(bench: Workbench, candidate: Candidate, split: Split, inner: Split): Promise<number> {
  if (candidate.recipe === "LINEAR_PROBE") {
    const { views, features } = candidate.settings;
    const probe = await bench.probe(inner.train, views, split.train, features);
    const heldBack = selectViews(await bench.probeRows(inner.valid, views, split.train, features), [0]);
    return Math.round(probeAccuracy(probe.probe, heldBack) * inner.valid.length);
  }
  let run: RecipeRun | undefined;
  try {
    run = await runRecipe(bench, candidate.recipe, inner, candidate.settings, true, split.train);
    const { predictions } = await run.learner.predictions();
    const predicted = argmaxRows(predictions.scores, predictions.classes);
    return predicted.reduce((sum, p, i) => sum + (p === predictions.labels[i] ? 1 : 0), 0);
  } finally {
    await bench.release();
  }
}

export function describe(candidate: Candidate): string {
  const { recipe, settings } = candidate;
  const features = settings.features === undefined || settings.features === "LAST" ? "" : `, ${settings.features} features`;
  if (recipe === "LINEAR_PROBE") return `LINEAR_PROBE (views ${settings.views}${features})`;
  const top = settings.unfreezeGroups === undefined ? "" : `, top ${settings.unfreezeGroups} groups`;
  if (recipe === "FINE_TUNE") return `FINE_TUNE (${settings.freezeEpochs} frozen + ${settings.epochs} epochs, lr ${settings.learningRate}${top})`;
  return `${recipe} (${settings.epochs} epochs, lr ${settings.learningRate}${top}${features})`;
}
