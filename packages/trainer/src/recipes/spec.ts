/**
 * The training spec: which recipe, its few settings, and every default, in one place. The CLI,
 * the worker and the API's launch validation all read it; `resolveTrainingSpec` validates what
 * comes from outside with errors that name the field and the rule.
 */

export const RECIPES = ["AUTO", "LINEAR_PROBE", "LP_FT", "FINE_TUNE", "FIT_ONE_CYCLE", "FROZEN_HEAD"] as const;
export type RecipeName = (typeof RECIPES)[number];

export const RECIPE_DESCRIPTIONS: Record<RecipeName, string> = {
  AUTO: "chooses among the linear probe and fine-tuning by validation on the training split only, within the time budget, then retrains the winner",
  LINEAR_PROBE: "logistic regression on the frozen body's pooled features, L2 chosen by cross-validation, trained to convergence",
  LP_FT: "the converged linear probe as the head, then every layer fine-tuned at a small rate (Kumar et al. 2022)",
  FINE_TUNE: "fastai's fine_tune: the head alone for freezeEpochs (on cached features), then everything at slice(lr/200, lr/2)",
  FIT_ONE_CYCLE: "fastai's fit_one_cycle with every layer training",
  FROZEN_HEAD: "fastai's fit_one_cycle of the new head only (on cached features)",
};

/** The features a probe head reads (LINEAR_PROBE, LP_FT), cheapest first. */
export const PROBE_FEATURES = ["LAST", "STAGES", "STAGES_GRID"] as const;
export type ProbeFeatures = (typeof PROBE_FEATURES)[number];

export const PROBE_FEATURE_DESCRIPTIONS: Record<ProbeFeatures, string> = {
  LAST: "the average-pooled last feature map: the standard linear probe",
  STAGES: "also the last map of each earlier stage of the body, each average-pooled (Evci et al. 2022, Head2Toe)",
  STAGES_GRID: "those maps averaged over the whole map and over a 2×2 grid (where in the image: spectrograms, series images)",
};

export interface TrainingSpec {
  recipe: RecipeName;
  /** What the probe head reads (LINEAR_PROBE, LP_FT); undefined: LAST, and AUTO chooses by cross-validation. */
  features: ProbeFeatures | undefined;
  /** Epochs after unfreezing (FINE_TUNE, LP_FT) or in total (FIT_ONE_CYCLE, FROZEN_HEAD); AUTO chooses its own. */
  epochs: number;
  /** Head-only epochs before unfreezing (FINE_TUNE). */
  freezeEpochs: number;
  /** Peak (base for FINE_TUNE) learning rate; default per recipe (RECIPE_LEARNING_RATES). */
  learningRate: number | undefined;
  batchSize: number;
  /** Cached feature views per training image: 1 is the plain centre crop, more adds augmented views. AUTO chooses its own. */
  views: number;
  seed: number;
  /** AUTO's wall-time budget for selection and the final fit, seconds. */
  budgetSeconds: number;
  /** Fraction of the data for validation when the data has no train/valid split. */
  validPct: number;
  /** Label smoothing ε (0: plain cross-entropy). */
  labelSmoothing: number;
  /** MixUp α (undefined: off). */
  mixup: number | undefined;
  /** Early stopping patience in epochs (undefined: off). */
  patience: number | undefined;
  /**
   * One-cycle schedule options; undefined: the recipe's own (fastai's, in recipes.ts). lrMult:
   * once unfrozen, the first layer group trains at the peak / lrMult (FINE_TUNE, LP_FT);
   * pctStart: warm-up fraction of the cycle (FINE_TUNE: of its unfrozen cycle); div: the cycle
   * starts at the peak / div (FINE_TUNE: its unfrozen cycle); divFinal: it ends at the peak /
   * divFinal. They apply to every fit of the recipe that runs, AUTO's trials included.
   */
  lrMult: number | undefined;
  pctStart: number | undefined;
  div: number | undefined;
  divFinal: number | undefined;
  /** Memory budget of training, bytes: the batch is lowered to the largest whose estimated peak fits (recipes/memory.ts); undefined: half of the machine's memory. */
  maxMemoryBytes: number | undefined;
}

export const TRAINING_DEFAULTS: TrainingSpec = {
  recipe: "AUTO",
  features: undefined,
  epochs: 1,
  freezeEpochs: 1,
  learningRate: undefined,
  batchSize: 64,
  views: 1,
  seed: 42,
  budgetSeconds: 300,
  validPct: 0.2,
  labelSmoothing: 0,
  mixup: undefined,
  patience: undefined,
  lrMult: undefined,
  pctStart: undefined,
  div: undefined,
  divFinal: undefined,
  maxMemoryBytes: undefined,
};

/** Each recipe's default learning rate (fastai's for its recipes; a small rate after a probe for LP_FT). */
export const RECIPE_LEARNING_RATES: Record<Exclude<RecipeName, "AUTO" | "LINEAR_PROBE">, number> = {
  FINE_TUNE: 2e-3,
  FIT_ONE_CYCLE: 1e-3,
  FROZEN_HEAD: 1e-3,
  LP_FT: 1e-4,
};

export class SpecError extends Error {
  constructor(
    readonly field: keyof TrainingSpec | string,
    message: string,
  ) {
    super(`${field} ${message}`);
    this.name = "SpecError";
  }
}

export type SpecRule = { integer?: boolean; min: number; max: number; exclusiveMin?: boolean };

/** The range of every numeric setting (the platform's launch schema reads them from here too). */
export const TRAINING_RULES = {
  epochs: { integer: true, min: 1, max: 10_000 },
  freezeEpochs: { integer: true, min: 0, max: 10_000 },
  learningRate: { min: 0, max: 100, exclusiveMin: true },
  batchSize: { integer: true, min: 1, max: 4096 },
  views: { integer: true, min: 1, max: 64 },
  seed: { integer: true, min: 0, max: 2 ** 31 - 1 },
  budgetSeconds: { min: 1, max: 7 * 24 * 3600 },
  validPct: { min: 0, max: 0.9, exclusiveMin: true },
  labelSmoothing: { min: 0, max: 0.5 },
  mixup: { min: 0, max: 10, exclusiveMin: true },
  patience: { integer: true, min: 1, max: 10_000 },
  lrMult: { min: 1, max: 1e6 },
  pctStart: { min: 0.01, max: 0.99 },
  div: { min: 1, max: 1e6 },
  divFinal: { min: 1, max: 1e9 },
  maxMemoryBytes: { integer: true, min: 2 ** 20, max: 2 ** 50 },
} as const satisfies Partial<Record<keyof TrainingSpec, SpecRule>>;

function checkNumber(field: string, value: unknown, rule: SpecRule): number {
  const kind = rule.integer ? "an integer" : "a number";
  const lower = rule.exclusiveMin ? `> ${rule.min}` : `≥ ${rule.min}`;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.exclusiveMin ? value > rule.min : value >= rule.min) &&
    value <= rule.max;
  if (!ok) throw new SpecError(field, `must be ${kind} ${lower} and ≤ ${rule.max}, got ${JSON.stringify(value)}`);
  return value as number;
}

/** Defaults filled in and every field checked; unknown fields are refused (a typo must not be ignored). */
export function resolveTrainingSpec(input: Partial<Record<keyof TrainingSpec, unknown>> = {}): TrainingSpec {
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(TRAINING_DEFAULTS, key)) throw new SpecError(key, `is not a training setting; known: ${Object.keys(TRAINING_DEFAULTS).join(", ")}`);
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
  const spec = { ...TRAINING_DEFAULTS, ...defined } as Record<string, unknown>;
  if (!RECIPES.includes(spec.recipe as RecipeName)) throw new SpecError("recipe", `must be one of ${RECIPES.join(", ")}, got ${JSON.stringify(spec.recipe)}`);
  if (spec.features !== undefined && !PROBE_FEATURES.includes(spec.features as ProbeFeatures))
    throw new SpecError("features", `must be one of ${PROBE_FEATURES.join(", ")}, got ${JSON.stringify(spec.features)}`);
  for (const [field, rule] of Object.entries(TRAINING_RULES) as [string, SpecRule][]) {
    if (spec[field] === undefined) continue;
    spec[field] = checkNumber(field, spec[field], rule);
  }
  return spec as unknown as TrainingSpec;
}

/** The learning rate a recipe runs at: the spec's, or the recipe's default. */
export function learningRateOf(spec: TrainingSpec, recipe: keyof typeof RECIPE_LEARNING_RATES): number {
  return spec.learningRate ?? RECIPE_LEARNING_RATES[recipe];
}

/** "90s", "5m", "1.5h" or a number of seconds. */
export function parseDuration(text: string, field = "budget"): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(text);
  if (!match) throw new SpecError(field, `must be a duration such as 90s, 5m or 1.5h, got '${text}'`);
  const seconds = Number(match[1]) * ({ s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"] ?? 1);
  if (!(seconds >= 1)) throw new SpecError(field, `must be at least 1 second, got '${text}'`);
  return seconds;
}
