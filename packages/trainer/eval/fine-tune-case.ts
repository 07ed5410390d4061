/**
 * One evaluation run: fastai's fine_tune of a backbone with a new head on a split of a data
 * set, timed per epoch, with the final validation predictions kept for interpretation.
 */
import type { ImageDataset, Split } from "../src/data/index.ts";
import { accuracy, type Callback, type FitState, imageDataLoaders, Learner, type Predictions, ProgressCallback, softmaxRows } from "../src/learner/index.ts";
import { createClassifier } from "../src/models/head/index.ts";
import type { Model } from "../src/onnx/ir.ts";
import type { Backbone } from "./backbones.ts";

export interface FineTuneCase {
  dataset: ImageDataset;
  split: Split;
  backbone: Backbone;
  epochs: number;
  freezeEpochs: number;
  baseLr: number;
  batchSize: number;
  /** Print one line per epoch (and progress bars on stderr). */
  log?: (line: string) => void;
}

export interface EpochTiming {
  /** Trained with the body frozen (fine_tune's first phase). */
  frozen: boolean;
  seconds: number;
  accuracy: number;
  validLoss: number;
}

export interface CaseResult {
  accuracy: number;
  validLoss: number;
  epochs: EpochTiming[];
  /** Train + valid images per second of epoch time. */
  imagesPerSecond: number;
  wallSeconds: number;
  /** User + system CPU seconds of this process (all threads): what the run costs without contention. */
  cpuSeconds: number;
  /** Softmax probabilities of the validation items, in split order. */
  probabilities: Float32Array;
  targets: Int32Array;
  model: Model;
}

/** Every epoch of every fit (the Recorder starts afresh at each fit, as fastai's does). */
class EpochLog implements Callback {
  readonly name = "epoch-log";
  readonly order = 60;
  readonly epochs: EpochTiming[] = [];

  constructor(private readonly freezeEpochs: number) {}

  afterEpoch(state: FitState): void {
    const record = state.learner.recorder.epochs.at(-1);
    if (!record) return;
    // fine_tune trains its first freezeEpochs epochs with the body frozen.
    const frozen = this.epochs.length < this.freezeEpochs;
    this.epochs.push({ frozen, seconds: record.seconds, accuracy: record.metrics.accuracy ?? Number.NaN, validLoss: record.validLoss });
  }
}

export async function runFineTune(spec: FineTuneCase): Promise<CaseResult> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const data = imageDataLoaders(spec.dataset, {
    split: spec.split,
    size: spec.backbone.size,
    batchSize: spec.batchSize,
    normalization: spec.backbone.normalization,
    seed: 42,
  });
  const classifier = createClassifier(spec.backbone.model, { classes: spec.dataset.classes.length, inputSize: spec.backbone.size, seed: 42 });
  const learner = new Learner({
    data,
    model: classifier,
    metrics: [accuracy],
    session: { intraOpNumThreads: 2 },
    callbacks: spec.log ? [new ProgressCallback()] : [],
  });
  const epochLog = new EpochLog(spec.freezeEpochs);
  try {
    await learner.fineTune(spec.epochs, { freezeEpochs: spec.freezeEpochs, baseLr: spec.baseLr, callbacks: [epochLog] });
    const epochs = epochLog.epochs;
    epochs.forEach((e, i) =>
      spec.log?.(
        `    epoch ${i}${e.frozen ? " (frozen)" : ""}: ${e.seconds.toFixed(1)} s, valid loss ${e.validLoss.toFixed(4)}, accuracy ${(e.accuracy * 100).toFixed(2)}%`,
      ),
    );
    const { predictions } = await learner.predictions();
    const images = spec.split.train.length + spec.split.valid.length;
    const epochSeconds = epochs.reduce((sum, e) => sum + e.seconds, 0);
    return {
      accuracy: epochs.at(-1)?.accuracy ?? Number.NaN,
      validLoss: epochs.at(-1)?.validLoss ?? Number.NaN,
      epochs,
      imagesPerSecond: (images * epochs.length) / epochSeconds,
      wallSeconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSecondsSince(cpuStart),
      probabilities: probabilitiesOf(predictions),
      targets: predictions.labels,
      model: learner.exportModel(),
    };
  } finally {
    await learner.release();
    await data.close?.();
  }
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function probabilitiesOf(predictions: Predictions): Float32Array {
  return softmaxRows(predictions.scores, predictions.classes);
}
