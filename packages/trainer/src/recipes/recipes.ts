/**
 * Each recipe as one function over a workbench and a split: it builds its classifier and
 * learner, trains, and returns them. The body's features come from the workbench's cache, so
 * the probe, the frozen phases and probe_accuracy share one pass of the body per view.
 */
import * as ort from "onnxruntime-node";
import type { Split } from "../data/index.ts";
import { selectViews, trainHeadOnFeatures } from "../features/index.ts";
import type { Learner } from "../learner/index.ts";
import type { Classifier } from "../models/head/index.ts";
import { slice } from "../optim/index.ts";
import type { LinearProbe, ProbeSelection } from "../probe/index.ts";
import { learningRateOf, type RecipeName } from "./spec.ts";
import { averageHalf, type Workbench } from "./workbench.ts";

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
}

/** The spec's settings for a recipe (AUTO passes its own). */
export function settingsOf(bench: Workbench, recipe: ConcreteRecipe): RecipeSettings {
  const { spec } = bench;
  const learningRate = recipe === "LINEAR_PROBE" ? 0 : learningRateOf(spec, recipe);
  return { epochs: spec.epochs, freezeEpochs: spec.freezeEpochs, learningRate, views: spec.views };
}

/**
 * Runs a recipe on `split`. `trial` marks AUTO's trial fits (their epochs are not the run's);
 * `featuresFrom` names cached items whose feature rows cover the split's (AUTO's held-back
 * split takes its rows from the whole training split's).
 */
export async function runRecipe(bench: Workbench, recipe: ConcreteRecipe, split: Split, settings: RecipeSettings, trial = false, featuresFrom?: readonly number[]): Promise<RecipeRun> {
  const context: RunContext = { bench, split, settings, trial, featuresFrom };
  switch (recipe) {
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
}

/** The probe, chosen by cross-validation on the split's training items, with its standardization folded into the head's BatchNorm. */
async function linearProbe({ bench, split, settings, trial, featuresFrom }: RunContext): Promise<RecipeRun> {
  const probe = await bench.probe(split.train, settings.views, featuresFrom);
  const classifier = bench.classifier("probe");
  const { learner } = bench.learner(classifier, split, trial);
  await installProbe(learner, classifier, probe.probe);
  return { recipe: "LINEAR_PROBE", learner, classifier, probe };
}

/** LP-FT: the converged probe as the head, then every layer at a small rate (one-cycle). */
async function lpFt(context: RunContext): Promise<RecipeRun> {
  const { settings } = context;
  const probed = await linearProbe(context);
  probed.learner.unfreeze();
  await probed.learner.fitOneCycle(settings.epochs, slice(settings.learningRate / 10, settings.learningRate));
  return { ...probed, recipe: "LP_FT" };
}

/** fastai's fine_tune with the frozen phase on cached features. */
async function fineTune(context: RunContext): Promise<RecipeRun> {
  const { bench, split, settings, trial } = context;
  const classifier = bench.classifier("fastai");
  const { learner } = bench.learner(classifier, split, trial);
  const base = settings.learningRate;
  if (settings.freezeEpochs > 0) await headOnFeatures(context, learner, classifier, (head) => head.fitOneCycle(settings.freezeEpochs, slice(base), { pctStart: 0.99 }));
  learner.unfreeze();
  await learner.fitOneCycle(settings.epochs, slice(base / 2 / 100, base / 2), { pctStart: 0.3, div: 5 });
  return { recipe: "FINE_TUNE", learner, classifier };
}

async function fitOneCycle({ bench, split, settings, trial }: RunContext): Promise<RecipeRun> {
  const classifier = bench.classifier("fastai");
  const { learner } = bench.learner(classifier, split, trial);
  learner.unfreeze();
  await learner.fitOneCycle(settings.epochs, settings.learningRate);
  return { recipe: "FIT_ONE_CYCLE", learner, classifier };
}

async function frozenHead(context: RunContext): Promise<RecipeRun> {
  const { bench, split, settings, trial } = context;
  const classifier = bench.classifier("fastai");
  const { learner } = bench.learner(classifier, split, trial);
  await headOnFeatures(context, learner, classifier, (head) => head.fitOneCycle(settings.epochs, settings.learningRate));
  return { recipe: "FROZEN_HEAD", learner, classifier };
}

/** A frozen phase on cached features: K views of the training items, the plain view of the validation items. */
async function headOnFeatures({ bench, split, settings, featuresFrom }: RunContext, learner: Learner, classifier: Classifier, fit: (head: Learner) => Promise<void>): Promise<void> {
  learner.freeze();
  const train = await bench.rows(split.train, settings.views, featuresFrom);
  // The plain view of the validation items: from the covering rows when they hold them (AUTO's held-back slice).
  const covered = new Set(featuresFrom ?? []);
  const valid = featuresFrom && split.valid.every((i) => covered.has(i))
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
