/**
 * lr_find before training, when the launch asks for it and the recipe trains fastai's head at a
 * rate the launch chooses (FINE_TUNE, FIT_ONE_CYCLE, FROZEN_HEAD): on a learner of its own over
 * the run's split (the classifier those recipes start from, in the phase of their first fit;
 * with the body frozen, on its features computed once per training image);
 * the curve and its suggestions are stored and the learner is discarded. AUTO makes its own
 * learners and chooses its own rates, LINEAR_PROBE has no rate and LP_FT starts from the probe:
 * for them it is skipped, and the log says why.
 */
import { augmentOf, type TrainingSettings } from "@runboard/queue";
import { labelSmoothingCrossEntropy, Learner, learnerData, type LrFindResult, MixUp } from "@runboard/trainer/learner";
import { frozenLrFind } from "@runboard/trainer/features";
import { createClassifier } from "@runboard/trainer/models";
import type { RecipeName, TrainingSpec } from "@runboard/trainer/recipes";
import { type DeviceOptions, type RunData, sessionOptions } from "./run-inputs.ts";

const LR_FIND_RECIPES: readonly RecipeName[] = ["FINE_TUNE", "FIT_ONE_CYCLE", "FROZEN_HEAD"];

/** Why lr_find does not run for this run, or null when it does. */
export function lrFindSkipped(settings: TrainingSettings): string | null {
  if (!settings.lrFind) return "not asked for";
  if (LR_FIND_RECIPES.includes(settings.recipe)) return null;
  if (settings.recipe === "AUTO") return "AUTO chooses the recipe and its learning rate itself";
  if (settings.recipe === "LINEAR_PROBE") return "the linear probe has no learning rate";
  return "LP_FT fine-tunes from the linear probe at its own small rate";
}

export async function findLearningRate(
  data: RunData,
  settings: TrainingSettings,
  spec: TrainingSpec,
  device: DeviceOptions,
  signal: AbortSignal,
): Promise<LrFindResult> {
  const classifier = createClassifier(data.backbone.model, {
    classes: data.dataset.classes.length,
    seed: spec.seed,
    ...(data.inputSize ? { inputSize: data.inputSize } : {}),
  });
  const [height, width] = classifier.inputSize;
  const loaders = learnerData(data.dataset, {
    size: { height, width },
    batchSize: spec.batchSize,
    split: data.split,
    seed: spec.seed,
    normalization: data.backbone.normalization,
    augment: augmentOf(settings),
    ...(device.decodeThreads === undefined ? {} : { workers: device.decodeThreads }),
  });
  const learner = new Learner({
    data: loaders,
    model: classifier,
    signal,
    session: sessionOptions(device),
    callbacks: spec.mixup === undefined ? [] : [new MixUp(spec.mixup, spec.seed)],
    ...(spec.labelSmoothing > 0 ? { loss: labelSmoothingCrossEntropy(spec.labelSmoothing) } : {}),
  });
  try {
    if (spec.recipe === "FIT_ONE_CYCLE") {
      learner.unfreeze();
      return await learner.lrFind({ numIt: settings.lrFindSteps });
    }
    // The body frozen: the range test runs on its features, computed once per training image.
    return await frozenLrFind({
      learner,
      classifier,
      items: data.dataset.items,
      train: data.split.train,
      classCount: data.dataset.classes.length,
      normalization: data.backbone.normalization,
      batchSize: spec.batchSize,
      seed: spec.seed,
      lrFind: { numIt: settings.lrFindSteps },
      session: sessionOptions(device),
      signal,
      ...(device.decodeThreads === undefined ? {} : { workers: device.decodeThreads }),
    });
  } finally {
    await learner.release();
    await loaders.close?.();
  }
}
