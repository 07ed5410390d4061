/** Training specs and the recipes they name: one definition, one runner, used by the CLI and the worker. */
export { type AutoReport, autoCandidates, type Candidate, type CandidateReport, describe, type FeatureChoice } from "./auto.ts";
export { type ConcreteRecipe, installProbe, type RecipeSettings, type ResumeFrom, type Stage, type StageHooks } from "./recipes.ts";
export { type TrainingHooks, type TrainingOptions, trainWithSpec, type TrainingOutcome } from "./run.ts";
export {
  learningRateOf,
  parseDuration,
  PROBE_FEATURE_DESCRIPTIONS,
  PROBE_FEATURES,
  type ProbeFeatures,
  RECIPE_DESCRIPTIONS,
  RECIPE_LEARNING_RATES,
  RECIPES,
  type RecipeName,
  resolveTrainingSpec,
  SpecError,
  type SpecRule,
  TRAINING_DEFAULTS,
  TRAINING_RULES,
  type TrainingSpec,
} from "./spec.ts";
export { type TrainingInputs } from "./workbench.ts";
export { type BatchFit, fitBatchSize, formatBytes, memoryBudget, parseByteSize, trainingMemory, type TrainingMemory } from "./memory.ts";
