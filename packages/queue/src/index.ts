export { enqueueTrainJob, type Executor, installQueue, parseTrainJob, quietLogger, TRAIN_TASK, type TrainJob } from "./jobs.ts";
export {
  augmentationSchema,
  augmentOf,
  METRIC_NAME,
  PROBE_FEATURE_DESCRIPTIONS,
  PROBE_FEATURES,
  RECIPE_DESCRIPTIONS,
  RECIPES,
  type Recipe,
  resolveTrainingSettings,
  type TrainingSettings,
  type TrainingSettingsInput,
  trainingSettingsSchema,
  trainingSpecOf,
} from "./training-settings.ts";
export { artifactPath, DEFAULT_ARTIFACT_ROOT, runArtifactDir } from "./artifact-store.ts";
