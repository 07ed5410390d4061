/** Training specs and the recipes they name: one definition, one runner, used by the CLI and the worker. */
export { type AutoReport, autoCandidates, type Candidate, type CandidateReport } from "./auto.ts";
export { type ConcreteRecipe, installProbe, type RecipeSettings } from "./recipes.ts";
export { trainWithSpec, type TrainingOutcome } from "./run.ts";
export {
  learningRateOf, parseDuration, RECIPE_DESCRIPTIONS, RECIPE_LEARNING_RATES, RECIPES, type RecipeName, resolveTrainingSpec, SpecError, TRAINING_DEFAULTS,
  type TrainingSpec,
} from "./spec.ts";
export { type TrainingInputs } from "./workbench.ts";
