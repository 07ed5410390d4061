/**
 * The settings of a launched run: what the API validates and freezes into the run's
 * hyperparameters, and what the worker trains with. The training settings are the trainer's
 * training spec (packages/trainer's recipes/spec.ts): its recipes, defaults and ranges are read
 * from there, never written here. The others are the inputs the worker gives the trainer beside
 * the spec: imageSize, metrics and augmentation (its defaults are the trainer's, fastai's
 * aug_transforms), and lrFind, lrFindSteps (run by the worker before training). The API's SDL
 * (launch.graphql) states the same defaults, and a test checks that they agree.
 */
import { type AugmentOptions, defaultAugmentOptions } from "@runboard/trainer/data";
import {
  PROBE_FEATURE_DESCRIPTIONS,
  PROBE_FEATURES,
  RECIPE_DESCRIPTIONS,
  RECIPES,
  resolveTrainingSpec,
  type SpecRule,
  TRAINING_DEFAULTS,
  TRAINING_RULES,
  type TrainingSpec,
} from "@runboard/trainer/recipes/spec";
import { z } from "zod";

export { PROBE_FEATURE_DESCRIPTIONS, PROBE_FEATURES, RECIPE_DESCRIPTIONS, RECIPES };
export type Recipe = (typeof RECIPES)[number];

const int = (min: number, max: number) =>
  z
    .number()
    .int({ message: "must be a whole number" })
    .min(min, { message: `must be ≥ ${min}` })
    .max(max, { message: `must be ≤ ${max}` });
const real = (min: number, max: number) =>
  z
    .number()
    .min(min, { message: `must be ≥ ${min}` })
    .max(max, { message: `must be ≤ ${max}` });

/** A number under the trainer's rule for `field`. */
function specNumber(field: keyof typeof TRAINING_RULES) {
  const rule: SpecRule = TRAINING_RULES[field];
  let schema = z.number({ message: "must be a number" });
  if (rule.integer) schema = schema.int({ message: "must be a whole number" });
  schema = rule.exclusiveMin ? schema.gt(rule.min, { message: `must be > ${rule.min}` }) : schema.min(rule.min, { message: `must be ≥ ${rule.min}` });
  return schema.max(rule.max, { message: `must be ≤ ${rule.max}` });
}

type Defaulted = { [K in keyof typeof TRAINING_RULES]: TrainingSpec[K] extends number ? K : never }[keyof typeof TRAINING_RULES];
type Optional = Exclude<keyof typeof TRAINING_RULES, Defaulted>;

/** A spec setting with the trainer's default. */
function specSetting(field: Defaulted) {
  return specNumber(field).default(TRAINING_DEFAULTS[field]);
}

/** A spec setting the trainer leaves unset by default: null here (the trainer's choice). */
function optionalSpecSetting(field: Optional) {
  return specNumber(field).nullable().default(null);
}

const aug = defaultAugmentOptions;

/** fastai's aug_transforms on training images (the trainer's defaults); enabled false: none (spectrograms, documents). */
export const augmentationSchema = z.object({
  enabled: z.boolean().default(true),
  flip: z.boolean().default(aug.doFlip),
  /** The 8 dihedral symmetries instead of horizontal flips only. */
  flipVertical: z.boolean().default(aug.flipVert),
  maxRotate: real(0, 180).default(aug.maxRotate),
  minZoom: real(0.1, 10).default(aug.minZoom),
  maxZoom: real(0.1, 10).default(aug.maxZoom),
  maxLighting: real(0, 1).default(aug.maxLighting),
  maxWarp: real(0, 1).default(aug.maxWarp),
  pAffine: real(0, 1).default(aug.pAffine),
  pLighting: real(0, 1).default(aug.pLighting),
});

export const METRIC_NAME = /^(accuracy|error_rate|f1_macro|per_class|top_\d+_accuracy)$/;

export const trainingSettingsSchema = z.object({
  // The trainer's training spec.
  recipe: z.enum(RECIPES, { message: `must be one of ${RECIPES.join(", ")}` }).default(TRAINING_DEFAULTS.recipe),
  /** AUTO's wall-time budget for choosing and training, seconds. */
  budgetSeconds: specSetting("budgetSeconds"),
  /** FINE_TUNE, LP_FT: epochs after unfreezing; FIT_ONE_CYCLE, FROZEN_HEAD: epochs in total; AUTO chooses its own. */
  epochs: specSetting("epochs"),
  /** FINE_TUNE only: head-only epochs first. */
  freezeEpochs: specSetting("freezeEpochs"),
  /** null: the recipe's own (RECIPE_LEARNING_RATES). */
  learningRate: optionalSpecSetting("learningRate"),
  /** Cached feature views per training image for the probe and the frozen phases. */
  views: specSetting("views"),
  /** What the probe head reads (LINEAR_PROBE, LP_FT); null: LAST, and AUTO chooses by cross-validation. */
  features: z
    .enum(PROBE_FEATURES, { message: `must be one of ${PROBE_FEATURES.join(", ")}` })
    .nullable()
    .default(null),
  lrMult: optionalSpecSetting("lrMult"),
  pctStart: optionalSpecSetting("pctStart"),
  div: optionalSpecSetting("div"),
  divFinal: optionalSpecSetting("divFinal"),
  batchSize: specSetting("batchSize"),
  validPct: specSetting("validPct"),
  seed: specSetting("seed"),
  labelSmoothing: specSetting("labelSmoothing"),
  /** MixUp's Beta(α, α); null: no mixup. */
  mixup: optionalSpecSetting("mixup"),
  /** The spec's patience: stop a fit after this many epochs without a better valid_loss; null: never. */
  earlyStoppingPatience: optionalSpecSetting("patience"),
  // The trainer's other inputs, and lr_find.
  /** Square side in pixels; null: the backbone's own input size. */
  imageSize: int(8, 4096).nullable().default(null),
  metrics: z
    .array(z.string().regex(METRIC_NAME, { message: "must be accuracy, error_rate, f1_macro, per_class or top_<k>_accuracy" }))
    .min(1, { message: "must name at least one metric" })
    .max(20, { message: "must name at most 20 metrics" })
    .default(["accuracy"]),
  /** lr_find before training, its curve stored (FINE_TUNE, FIT_ONE_CYCLE and FROZEN_HEAD only: the recipes that train at a rate you choose). */
  lrFind: z.boolean().default(true),
  lrFindSteps: int(5, 1000).default(100),
  augmentation: augmentationSchema.default(augmentationSchema.parse({})),
});

export type TrainingSettings = z.output<typeof trainingSettingsSchema>;
export type TrainingSettingsInput = z.input<typeof trainingSettingsSchema>;

/** Settings with every default filled in; throws zod's error on a bad value. Keys it does not know (settings of older runs) are dropped. */
export function resolveTrainingSettings(input: unknown): TrainingSettings {
  return trainingSettingsSchema.parse(input ?? {});
}

/** The trainer's augmentation input (TrainingInputs.augment) of a run's settings. */
export function augmentOf(settings: TrainingSettings): Partial<AugmentOptions> | false {
  const { enabled, flip, flipVertical, ...rest } = settings.augmentation;
  return enabled ? { ...rest, doFlip: flip, flipVert: flipVertical } : false;
}

/** The trainer's spec of a run's settings. */
export function trainingSpecOf(settings: TrainingSettings): TrainingSpec {
  const {
    recipe,
    budgetSeconds,
    epochs,
    freezeEpochs,
    learningRate,
    views,
    features,
    lrMult,
    pctStart,
    div,
    divFinal,
    batchSize,
    validPct,
    seed,
    labelSmoothing,
    mixup,
  } = settings;
  return resolveTrainingSpec({
    recipe,
    budgetSeconds,
    epochs,
    freezeEpochs,
    learningRate,
    views,
    features,
    lrMult,
    pctStart,
    div,
    divFinal,
    batchSize,
    validPct,
    seed,
    labelSmoothing,
    mixup,
    patience: settings.earlyStoppingPatience,
  });
}
