/**
 * Training on a converted dataset (spectrograms, time-series images): fine_tune of a backbone
 * with a new head, no augmentation (a flipped or rotated spectrogram is another sound) and
 * images squished to the input size rather than cropped, timed per epoch.
 */
import type { DepthwiseWeightGradient } from "../src/autodiff/index.ts";
import type { AugmentOptions, ImageDataset, Split } from "../src/data/index.ts";
import {
  accuracy,
  type Callback,
  CancelValidate,
  type FitState,
  imageDataLoaders,
  labelSmoothingCrossEntropy,
  Learner,
  MixUp,
  ProgressCallback,
} from "../src/learner/index.ts";
import { createClassifier } from "../src/models/head/index.ts";
import type { Model } from "../src/onnx/ir.ts";
import { slice } from "../src/optim/discriminative.ts";
import type { SessionOptions } from "../src/runtime/index.ts";
import type { Backbone } from "./backbones.ts";

export interface ConvertedCase {
  dataset: ImageDataset;
  split: Split;
  backbone: Backbone;
  /** [height, width] the images are squished to. */
  size: [number, number];
  epochs: number;
  freezeEpochs: number;
  baseLr: number;
  batchSize: number;
  log: (line: string) => void;
  progress?: boolean;
  /**
   * Layer groups that train after the frozen epochs: "all" is fastai's fine_tune; a number n
   * trains the last n groups (freeze_to(-n): the head and the top of the body), whose backward
   * pass runs at low resolution only, several times cheaper on a CPU.
   */
  unfreeze: "all" | number;
  /** Peak rate of the top group after freeze_to(-n) (the lowest gets 1/100 of it); default baseLr / 2 as in fine_tune. */
  unfrozenLr?: number;
  /** Default none: a flipped or rotated spectrogram is another sound. */
  augment?: Partial<AugmentOptions> | false;
  labelSmoothing?: number;
  /** MixUp α; default none. */
  mixup?: number;
  /** ONNX Runtime session settings; default two intra-op threads. */
  session?: SessionOptions;
  /** The Trainer's depthwise weight-gradient formulation; default its own choice. */
  depthwiseWeightGradient?: DepthwiseWeightGradient;
  /** Validate (and log) after every epoch; default true. False: one validation at the end. */
  validateEachEpoch?: boolean;
}

export interface ConvertedResult {
  accuracy: number;
  epochSeconds: number[];
  wallSeconds: number;
  model: Model;
}

function epochLogger(log: (line: string) => void, freezeEpochs: number, seconds: number[]): Callback {
  return {
    name: "converted-epoch-log",
    order: 60,
    afterEpoch: (state: FitState) => {
      const record = state.learner.recorder.epochs.at(-1);
      if (!record) return;
      seconds.push(record.seconds);
      const frozen = seconds.length <= freezeEpochs ? " (frozen)" : "";
      log(
        `    epoch ${seconds.length}${frozen}: ${record.seconds.toFixed(1)} s, valid loss ${record.validLoss.toFixed(4)}, accuracy ${((record.metrics.accuracy ?? Number.NaN) * 100).toFixed(2)}%`,
      );
    },
  };
}

/** Skips the validation pass after each epoch (the final accuracy comes from one validate()). */
const noEpochValidation: Callback = {
  name: "no-epoch-validation",
  order: 0,
  beforeValidate: () => {
    throw new CancelValidate();
  },
};

export async function trainConverted(spec: ConvertedCase): Promise<ConvertedResult> {
  const started = performance.now();
  const data = imageDataLoaders(spec.dataset, {
    split: spec.split,
    size: spec.size,
    resize: { method: "squish" },
    augment: spec.augment ?? false,
    batchSize: spec.batchSize,
    normalization: spec.backbone.normalization,
    seed: 42,
  });
  const classifier = createClassifier(spec.backbone.model, { classes: spec.dataset.classes.length, inputSize: spec.size, seed: 42 });
  const learner = new Learner({
    data,
    model: classifier,
    metrics: [accuracy],
    session: spec.session ?? { intraOpNumThreads: 2 },
    ...(spec.depthwiseWeightGradient === undefined ? {} : { depthwiseWeightGradient: spec.depthwiseWeightGradient }),
    ...(spec.labelSmoothing ? { loss: labelSmoothingCrossEntropy(spec.labelSmoothing) } : {}),
    callbacks: [...(spec.progress ? [new ProgressCallback()] : []), ...(spec.mixup ? [new MixUp(spec.mixup, 42)] : [])],
  });
  const epochSeconds: number[] = [];
  const unfrozenLr = spec.unfrozenLr ?? spec.baseLr / 2;
  try {
    const callbacks = spec.validateEachEpoch === false ? [noEpochValidation] : [epochLogger(spec.log, spec.freezeEpochs, epochSeconds)];
    if (spec.unfreeze === "all") {
      await learner.fineTune(spec.epochs, { freezeEpochs: spec.freezeEpochs, baseLr: spec.baseLr, callbacks });
    } else {
      // fine_tune's two phases (discriminative rates included), with freeze_to in place of unfreeze.
      learner.freeze();
      await learner.fitOneCycle(spec.freezeEpochs, slice(spec.baseLr), { pctStart: 0.99, callbacks });
      learner.freezeTo(-spec.unfreeze);
      await learner.fitOneCycle(spec.epochs, slice(unfrozenLr / 100, unfrozenLr), { pctStart: 0.3, div: 5, callbacks });
    }
    const result = await learner.validate();
    return { accuracy: result.metrics.accuracy ?? Number.NaN, epochSeconds, wallSeconds: (performance.now() - started) / 1000, model: learner.exportModel() };
  } finally {
    await learner.release();
    await data.close?.();
  }
}
