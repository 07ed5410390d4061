/**
 * The trainer's public entry for the platform (API and worker): backbones by zoo name or file,
 * the classifier export the CLI writes, the lr_find plot, and the training spec with the one
 * function that runs it. The other public entries (package.json exports) are the modules
 * themselves: recipes, data, learner, models, convert, export, interpret, onnx, runtime, optim.
 */
export { type Backbone, DEFAULT_ARCH, loadBackbone, zooNames } from "./cli/arch.ts";
export { type ClassifierExport, exportClassifier } from "./cli/export-model.ts";
export { writePlotPng } from "./cli/plot.ts";
export {
  type AutoReport,
  type CandidateReport,
  type ConcreteRecipe,
  RECIPE_DESCRIPTIONS,
  RECIPES,
  type RecipeName,
  type RecipeSettings,
  resolveTrainingSpec,
  type ResumeFrom,
  type Stage,
  type StageHooks,
  TRAINING_DEFAULTS,
  type TrainingHooks,
  type TrainingInputs,
  type TrainingOptions,
  type TrainingOutcome,
  type TrainingSpec,
  trainWithSpec,
} from "./recipes/index.ts";
