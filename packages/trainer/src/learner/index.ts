/** Learner: fit loop with callbacks, fastai's recipes (fit_one_cycle, fine_tune, lr_find), metrics, TTA. */
export { type BatchSource, ArrayBatchSource, type LearnerBatch, type LearnerData, learnerData, type LearnerDataOptions } from "./data.ts";
/** Earlier name of learnerData, kept for callers that import it from here. */
export { learnerData as imageDataLoaders } from "./data.ts";
export { type Callback, CancelBatch, CancelEpoch, CancelFit, CancelTrain, CancelValidate, type EventName, type Phase } from "./events.ts";
export { AbortCallback, type MetricEvent, MetricHook, type MetricHookOptions } from "./hooks.ts";
export { FASTAI_ADAM, type FitOptions, labelSmoothingCrossEntropy, Learner, type LearnerOptions } from "./learner.ts";
export { LRFinder, lrFind, type LrFindOptions, type LrFindResult, suggestFrom } from "./lr-find.ts";
export * from "./metrics.ts";
export { MixUp } from "./mixup.ts";
export { softmaxRows } from "./predictions.ts";
export { formatDuration, ProgressCallback, progressLine } from "./progress.ts";
export { type EpochRecord, Recorder, type StepRecord } from "./recorder.ts";
export { fineTune, type FineTuneOptions, fitOneCycle, type FitOneCycleOptions } from "./recipes.ts";
export { type OneCycleOptions, oneCycleSchedules, ParamScheduler, type Schedules } from "./schedule.ts";
export type { FitState, Hyperparameters, ValidationResult } from "./state.ts";
export { gradient, minimum, slide, steep, type Suggestion, type SuggestionName, SUGGESTIONS, valley } from "./suggestions.ts";
export { EarlyStopping, SaveBest, type TrackerOptions } from "./tracker.ts";
export { tta, type TtaOptions } from "./tta.ts";
export { classificationCollector, segmentationCollector, type ValidationCollector } from "./validation.ts";
