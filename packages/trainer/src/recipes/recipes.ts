/**
 * Each recipe as one function over a workbench and a split: it builds its classifier and
 * learner, trains, and returns them. The body's features come from the workbench's cache, so
 * the probe, the frozen phases and probe_accuracy share one pass of the body per view.
 *
 * A recipe is a few stages (the probe written into the head, a frozen fit, an unfrozen fit).
 * The final run's stages are announced to `StageHooks` (progress, checkpoints), and a run
 * resumed from a checkpoint (`ResumeFrom`) skips the stages done and continues the one it
 * stopped in: at its epoch when the stage fits the whole classifier on images, from its start
 * when it fits the head on cached features.
 */
import * as ort from "onnxruntime-node";
import type { Split } from "../data/index.ts";
import { selectViews, trainHeadOnFeatures } from "../features/index.ts";
import { type Learner, type OneCycleOptions, oneCycleSchedules, ParamScheduler } from "../learner/index.ts";
import { runFit } from "../learner/loop.ts";
import type { Classifier } from "../models/head/index.ts";
import { type LearningRateSpec, slice } from "../optim/index.ts";
import type { LinearProbe, ProbeSelection } from "../probe/index.ts";
import { learningRateOf, type ProbeFeatures, type RecipeName, type TrainingSpec } from "./spec.ts";
import type { Workbench } from "./workbench.ts";

export type ConcreteRecipe = Exclude<RecipeName, "AUTO">;

export interface RecipeRun {
  recipe: ConcreteRecipe;
  learner: Learner;
  classifier: Classifier;
  /** The probe fitted on this split's training items (LINEAR_PROBE and LP_FT). */
  probe?: ProbeSelection;
}

export interface RecipeSettings {
  epochs: number;
  freezeEpochs: number;
  learningRate: number;
  views: number;
  /** The features the probe head reads (LINEAR_PROBE, LP_FT); default "LAST". */
  features?: ProbeFeatures;
  /** The probe's L2 (LINEAR_PROBE, LP_FT); undefined: chosen by cross-validation on the split's training items. */
  l2?: number;
  /** Layer groups that train once unfrozen, counted from the head (fastai's freeze_to(-n)); undefined: every group. */
  unfreezeGroups?: number;
}

/** Unfreezes the whole classifier, or its top `unfreezeGroups` layer groups (the head included). */
function unfreezeFor(learner: Learner, settings: RecipeSettings): void {
  if (settings.unfreezeGroups === undefined || settings.unfreezeGroups >= learner.groupCount) learner.unfreeze();
  else learner.freezeTo(-settings.unfreezeGroups);
}

/** One stage of a recipe's final run, as its hooks see it. */
export interface Stage {
  /** Position among the recipe's stages, from 0. */
  index: number;
  recipe: ConcreteRecipe;
  /** probe: the linear probe written into the head (no epochs); frozen: the head alone; unfrozen: every layer. */
  phase: "probe" | "frozen" | "unfrozen";
  epochs: number;
  /** Epochs of the stage already done before this run (resumed); 0 otherwise. */
  fromEpoch: number;
  /** Peak learning rate of each layer group of the run's learner ([] for the probe). */
  learningRates: number[];
  /**
   * The stage fits the head alone on cached features, through a learner of its own: its fits'
   * callbacks see that learner, not the run's, and a resume restarts the stage from its start.
   */
  onFeatures: boolean;
}

/** Called around each stage of the final run (never around AUTO's trials), with the run's learner. */
export interface StageHooks {
  beforeStage?(stage: Stage, learner: Learner): void | Promise<void>;
  /** After a stage that completed (not after an abort): the learner holds its result, a checkpoint point. */
  afterStage?(stage: Stage, learner: Learner): void | Promise<void>;
}

/** Where a run stopped: what the recipe was, and a checkpoint (Trainer.saveCheckpoint) of its learner. */
export interface ResumeFrom {
  recipe: ConcreteRecipe;
  settings: RecipeSettings;
  /** The stage to continue; stages before it are done (their result is in the checkpoint). A number past the last stage: all done. */
  stage: number;
  /** Epochs of that stage done at the checkpoint (0: the checkpoint is from the end of the stage before). */
  epochInStage: number;
  checkpointPath: string;
}

/** The final run's hooks and resume point (AUTO's trials have neither). */
export interface FinalRun {
  hooks?: StageHooks;
  resume?: ResumeFrom;
}

/** fastai's fine_tune: its unfrozen cycle's options (the frozen one warms up for 0.99 of it), and lr_mult. */
const FINE_TUNE_SCHEDULE = { lrMult: 100, pctStart: 0.3, div: 5 };
/** LP-FT's discriminative rates: the body at a tenth of the head's. */
const LP_FT_LR_MULT = 10;

/** The spec's one-cycle options that are set, over a recipe's own. */
function cycleOptions(spec: TrainingSpec, own: OneCycleOptions = {}): OneCycleOptions {
  const set = Object.entries({ pctStart: spec.pctStart, div: spec.div, divFinal: spec.divFinal }).filter(([, value]) => value !== undefined);
  return { ...own, ...Object.fromEntries(set) };
}

/** The spec's settings for a recipe (AUTO passes its own). */
export function settingsOf(bench: Workbench, recipe: ConcreteRecipe): RecipeSettings {
  const { spec } = bench;
  const learningRate = recipe === "LINEAR_PROBE" ? 0 : learningRateOf(spec, recipe);
  const features = recipe === "LINEAR_PROBE" || recipe === "LP_FT" ? { features: spec.features ?? "LAST" } : {};
  return { epochs: spec.epochs, freezeEpochs: spec.freezeEpochs, learningRate, views: spec.views, ...features };
}

/**
 * Runs a recipe on `split`. `trial` marks AUTO's trial fits (their epochs are not the run's);
 * `featuresFrom` names cached items whose feature rows cover the split's (AUTO's held-back
 * split takes its rows from the whole training split's).
 */
export async function runRecipe(
  bench: Workbench,
  recipe: ConcreteRecipe,
  split: Split,
  settings: RecipeSettings,
  trial = false,
  featuresFrom?: readonly number[],
  final: FinalRun = {},
): Promise<RecipeRun> {
  const context: RunContext = { bench, split, settings, trial, featuresFrom, recipe, final, stages: 0, restored: false };
  const run = await recipeRun(context);
  // Every stage done before the run stopped: the checkpoint is the result.
  if (final.resume && !context.restored) await restore(context, run.learner);
  return run;
}

function recipeRun(context: RunContext): Promise<RecipeRun> {
  switch (context.recipe) {
    case "LINEAR_PROBE":
      return linearProbe(context);
    case "LP_FT":
      return lpFt(context);
    case "FINE_TUNE":
      return fineTune(context);
    case "FIT_ONE_CYCLE":
      return fitOneCycle(context);
    case "FROZEN_HEAD":
      return frozenHead(context);
  }
}

interface RunContext {
  bench: Workbench;
  split: Split;
  settings: RecipeSettings;
  trial: boolean;
  featuresFrom: readonly number[] | undefined;
  recipe: ConcreteRecipe;
  final: FinalRun;
  /** Stages met so far. */
  stages: number;
  /** Whether the resume checkpoint has been loaded. */
  restored: boolean;
}

interface StagePlan {
  phase: Stage["phase"];
  epochs: number;
  learningRate?: LearningRateSpec;
  onFeatures: boolean;
}

/**
 * Runs one stage (`train(fromEpoch)`) of the recipe on `learner`: skipped when a resumed run is
 * past it; after loading the checkpoint when the run resumes in it (or past the stages skipped).
 */
async function stage(context: RunContext, learner: Learner, plan: StagePlan, train: (fromEpoch: number) => Promise<void>): Promise<void> {
  const index = context.stages++;
  const { resume, hooks } = context.final;
  const signal = context.bench.inputs.signal;
  if (resume && index < resume.stage) return;
  let fromEpoch = 0;
  if (resume && !context.restored) {
    await restore(context, learner);
    if (index === resume.stage && !plan.onFeatures) fromEpoch = Math.min(resume.epochInStage, plan.epochs);
  }
  const info: Stage = {
    index,
    recipe: context.recipe,
    phase: plan.phase,
    epochs: plan.epochs,
    fromEpoch,
    onFeatures: plan.onFeatures,
    learningRates: plan.learningRate === undefined ? [] : learner.learningRates(plan.learningRate),
  };
  signal?.throwIfAborted();
  await hooks?.beforeStage?.(info, learner);
  await train(fromEpoch);
  signal?.throwIfAborted();
  await hooks?.afterStage?.(info, learner);
}

async function restore(context: RunContext, learner: Learner): Promise<void> {
  const { resume } = context.final;
  if (!resume) return;
  await learner.trainer.loadCheckpoint(resume.checkpointPath);
  context.restored = true;
}

/** fit_one_cycle from epoch `fromEpoch` on: the schedules are functions of the position in the whole cycle, so a resumed cycle continues the same curves. */
async function oneCycle(learner: Learner, epochs: number, lr: LearningRateSpec, options: OneCycleOptions, fromEpoch: number): Promise<void> {
  if (fromEpoch === 0) return learner.fitOneCycle(epochs, lr, options);
  if (fromEpoch >= epochs) return;
  const whole = oneCycleSchedules(learner.learningRates(lr), options);
  const at = (f: (pos: number) => number) => (pos: number) => f((fromEpoch + pos * (epochs - fromEpoch)) / epochs);
  const schedules = { learningRates: whole.learningRates.map(at), ...(whole.momentum ? { momentum: at(whole.momentum) } : {}) };
  const hyper = { learningRates: schedules.learningRates.map((f) => f(0)), momentum: schedules.momentum?.(0) ?? learner.baseMomentum };
  await runFit(learner, epochs - fromEpoch, hyper, [new ParamScheduler(schedules)]);
}

/** The probe, chosen by cross-validation on the split's training items, with its standardization folded into the head's BatchNorm. */
async function linearProbe(context: RunContext): Promise<RecipeRun> {
  const { bench, split, settings, trial, featuresFrom } = context;
  const features = settings.features ?? "LAST";
  const classifier = bench.classifier("probe", features);
  const { learner } = bench.learner(classifier, split, trial);
  let probe: ProbeSelection | undefined;
  await stage(context, learner, { phase: "probe", epochs: 0, onFeatures: true }, async () => {
    probe = await bench.probe(split.train, settings.views, featuresFrom, features, settings.l2);
    await installProbe(learner, classifier, probe.probe);
  });
  return { recipe: "LINEAR_PROBE", learner, classifier, ...(probe ? { probe } : {}) };
}

/** LP-FT: the converged probe as the head, then every layer at a small rate (one-cycle). */
async function lpFt(context: RunContext): Promise<RecipeRun> {
  const { settings, bench } = context;
  const probed = await linearProbe(context);
  const { learner } = probed;
  const lr = slice(settings.learningRate / (bench.spec.lrMult ?? LP_FT_LR_MULT), settings.learningRate);
  await stage(context, learner, { phase: "unfrozen", epochs: settings.epochs, learningRate: lr, onFeatures: false }, (from) => {
    unfreezeFor(learner, settings);
    return oneCycle(learner, settings.epochs, lr, cycleOptions(bench.spec), from);
  });
  return { ...probed, recipe: "LP_FT" };
}

/** fastai's fine_tune with the frozen phase on cached features. */
async function fineTune(context: RunContext): Promise<RecipeRun> {
  const { bench, split, settings, trial } = context;
  const { spec } = bench;
  const classifier = bench.classifier("fastai");
  const { learner } = bench.learner(classifier, split, trial);
  const base = settings.learningRate;
  if (settings.freezeEpochs > 0) {
    const frozenOptions = { pctStart: 0.99, ...(spec.divFinal === undefined ? {} : { divFinal: spec.divFinal }) };
    await stage(context, learner, { phase: "frozen", epochs: settings.freezeEpochs, learningRate: slice(base), onFeatures: true }, () =>
      headOnFeatures(context, learner, classifier, (head) => head.fitOneCycle(settings.freezeEpochs, slice(base), frozenOptions)),
    );
  }
  const lr = slice(base / 2 / (spec.lrMult ?? FINE_TUNE_SCHEDULE.lrMult), base / 2);
  await stage(context, learner, { phase: "unfrozen", epochs: settings.epochs, learningRate: lr, onFeatures: false }, (from) => {
    unfreezeFor(learner, settings);
    return oneCycle(learner, settings.epochs, lr, cycleOptions(spec, { pctStart: FINE_TUNE_SCHEDULE.pctStart, div: FINE_TUNE_SCHEDULE.div }), from);
  });
  return { recipe: "FINE_TUNE", learner, classifier };
}

async function fitOneCycle(context: RunContext): Promise<RecipeRun> {
  const { bench, split, settings, trial } = context;
  const classifier = bench.classifier("fastai");
  const { learner } = bench.learner(classifier, split, trial);
  await stage(context, learner, { phase: "unfrozen", epochs: settings.epochs, learningRate: settings.learningRate, onFeatures: false }, (from) => {
    learner.unfreeze();
    return oneCycle(learner, settings.epochs, settings.learningRate, cycleOptions(bench.spec), from);
  });
  return { recipe: "FIT_ONE_CYCLE", learner, classifier };
}

async function frozenHead(context: RunContext): Promise<RecipeRun> {
  const { bench, split, settings, trial } = context;
  const classifier = bench.classifier("fastai");
  const { learner } = bench.learner(classifier, split, trial);
  await stage(context, learner, { phase: "frozen", epochs: settings.epochs, learningRate: settings.learningRate, onFeatures: true }, () =>
    headOnFeatures(context, learner, classifier, (head) => head.fitOneCycle(settings.epochs, settings.learningRate, cycleOptions(bench.spec))),
  );
  return { recipe: "FROZEN_HEAD", learner, classifier };
}

/** A frozen phase on cached features: K views of the training items, the plain view of the validation items. */
async function headOnFeatures(
  { bench, split, settings, featuresFrom }: RunContext,
  learner: Learner,
  classifier: Classifier,
  fit: (head: Learner) => Promise<void>,
): Promise<void> {
  learner.freeze();
  const train = await bench.rows(split.train, settings.views, featuresFrom);
  // The plain view of the validation items: from the covering rows when they hold them (AUTO's held-back slice).
  const covered = new Set(featuresFrom ?? []);
  const valid =
    featuresFrom && split.valid.every((i) => covered.has(i))
      ? selectViews(await bench.rows(split.valid, settings.views, featuresFrom), [0])
      : await bench.features(split.valid, 1);
  await trainHeadOnFeatures({ learner, classifier, train, valid, batchSize: bench.spec.batchSize, seed: bench.spec.seed, fit });
}

/**
 * Writes a probe into the probe head: BatchNorm as the probe's standardization
 * ((x − mean) / std, with ONNX's ε absorbed into the scale), the Linear as its weights and bias.
 */
export async function installProbe(learner: Learner, classifier: Classifier, probe: LinearProbe): Promise<void> {
  const prefix = classifier.layerGroups.at(-1)!.prefixes[0]!;
  const epsilon = 1e-5;
  const variance = probe.std.map((s) => Math.max(s * s - epsilon, 0));
  const scale = variance.map((v, i) => Math.sqrt(v + epsilon) / probe.std[i]!);
  const tensor = (data: Float32Array, dims: number[]) => new ort.Tensor("float32", data, dims);
  const state = learner.trainer.state();
  const set = (name: string, value: ort.Tensor) => {
    const current = state.values.get(`${prefix}0/${name}`);
    if (!current || current.dims.join() !== value.dims.join()) throw new Error(`installProbe: the head has no '${prefix}0/${name}' of shape [${value.dims}]`);
    state.values.set(`${prefix}0/${name}`, value);
  };
  set("bn/running_mean", tensor(Float32Array.from(probe.mean), [probe.dim]));
  set("bn/running_var", tensor(Float32Array.from(variance), [probe.dim]));
  set("bn/scale", tensor(Float32Array.from(scale), [probe.dim]));
  set("bn/bias", tensor(new Float32Array(probe.dim), [probe.dim]));
  set("linear/weight", tensor(Float32Array.from(probe.weights), [probe.classCount, probe.dim]));
  set("linear/bias", tensor(Float32Array.from(probe.bias), [probe.classCount]));
  await learner.trainer.restore(state);
}

export function pct(value: number | undefined): string {
  return value === undefined ? "–" : `${(100 * value).toFixed(2)}%`;
}
