/**
 * The settings of a launched run: what the API validates and freezes into the run's
 * hyperparameters, and what the worker trains with. One schema, so both read the same
 * defaults and ranges; the API's SDL (launch.graphql) states the same defaults, and a test
 * checks that they agree.
 */
import { z } from "zod";

export const RECIPES = ["FINE_TUNE", "FIT_ONE_CYCLE", "FROZEN_HEAD"] as const;
export type Recipe = (typeof RECIPES)[number];

const int = (min: number, max: number) =>
  z.number().int({ message: "must be a whole number" }).min(min, { message: `must be ≥ ${min}` }).max(max, { message: `must be ≤ ${max}` });
const real = (min: number, max: number) =>
  z.number().refine(Number.isFinite, { message: "must be a finite number" }).pipe(
    z.number().min(min, { message: `must be ≥ ${min}` }).max(max, { message: `must be ≤ ${max}` }),
  );
const positive = (max: number) => real(0, max).refine((v) => v > 0, { message: "must be > 0" });

export const augmentationSchema = z.object({
  enabled: z.boolean().default(true),
  flip: z.boolean().default(true),
  flipVertical: z.boolean().default(false),
  maxRotate: real(0, 180).default(10),
  minZoom: real(0.1, 10).default(1),
  maxZoom: real(0.1, 10).default(1.1),
  maxLighting: real(0, 1).default(0.2),
  maxWarp: real(0, 1).default(0.2),
  pAffine: real(0, 1).default(0.75),
  pLighting: real(0, 1).default(0.75),
});

export const METRIC_NAME = /^(accuracy|error_rate|f1_macro|per_class|top_\d+_accuracy)$/;

export const trainingSettingsSchema = z.object({
  recipe: z.enum(RECIPES, { message: `must be one of ${RECIPES.join(", ")}` }).default("FINE_TUNE"),
  /** fine_tune: epochs after unfreezing; the other recipes: epochs in total. */
  epochs: int(1, 10_000).default(1),
  /** fine_tune only: epochs with the backbone frozen first. */
  freezeEpochs: int(0, 10_000).default(1),
  learningRate: positive(10).default(0.002),
  /** fine_tune: the backbone's first group trains at learningRate / lrMult (discriminative rates). */
  lrMult: real(1, 1e6).default(100),
  pctStart: real(0.01, 0.99).default(0.3),
  div: real(1, 1e6).default(25),
  divFinal: real(1, 1e9).default(1e5),
  weightDecay: real(0, 10).default(0.01),
  batchSize: int(1, 4096).default(64),
  /** Square side in pixels; null: the backbone's own input size. */
  imageSize: int(8, 4096).nullable().default(null),
  validPct: real(0.01, 0.9).default(0.2),
  seed: int(0, 2 ** 31 - 1).default(42),
  metrics: z
    .array(z.string().regex(METRIC_NAME, { message: "must be accuracy, error_rate, f1_macro, per_class or top_<k>_accuracy" }))
    .min(1, { message: "must name at least one metric" })
    .max(20, { message: "must name at most 20 metrics" })
    .default(["accuracy"]),
  labelSmoothing: real(0, 0.5).default(0),
  /** MixUp's Beta(α, α); null: no mixup. */
  mixup: positive(10).nullable().default(null),
  /** Off by default, like the Learner: see its trainBatchNorm option for the measurements. */
  trainBatchNorm: z.boolean().default(false),
  earlyStoppingPatience: int(1, 1000).nullable().default(null),
  /** Run lr_find before training and store its curve (weights are restored afterwards). */
  lrFind: z.boolean().default(true),
  lrFindSteps: int(5, 1000).default(100),
  augmentation: augmentationSchema.default(augmentationSchema.parse({})),
});

export type TrainingSettings = z.output<typeof trainingSettingsSchema>;
export type TrainingSettingsInput = z.input<typeof trainingSettingsSchema>;

/** Settings with every default filled in; throws zod's error on a bad value. */
export function resolveTrainingSettings(input: unknown): TrainingSettings {
  return trainingSettingsSchema.parse(input ?? {});
}
