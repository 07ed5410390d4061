/**
 * What a Learner reads: a training and a validation source of batches, each yielding one
 * epoch at a time ([B, 3, H, W] normalized floats and int64 labels). data/'s DataLoader is
 * one; imageDataLoaders pairs two of them over a split, like fastai's ImageDataLoaders.
 */
import type { ImageDataset } from "../data/index.ts";
import { DataLoader, mixSeed, type PipelineOptions, shuffledIndices, splitTrainValid, type Split } from "../data/index.ts";

export interface LearnerBatch {
  input: Float32Array;
  shape: [number, number, number, number];
  labels: BigInt64Array;
}

export interface BatchSource {
  /** Batches per epoch. */
  readonly length: number;
  epoch(epoch: number): AsyncIterable<LearnerBatch>;
}

export interface LearnerData {
  train: BatchSource;
  valid: BatchSource;
  /** The validation items with training augmentation, in order (test-time augmentation). */
  augmentedValid?: BatchSource;
  classes: string[];
  close?(): Promise<void>;
}

export interface ImageDataLoadersOptions {
  /** Train/valid split; default splitTrainValid with validPct and seed. */
  split?: Split;
  validPct?: number;
  size: number | [number, number];
  batchSize?: number;
  seed?: number;
  /** fastai aug_transforms options, false for none; default fastai's defaults. */
  augment?: PipelineOptions["augment"];
  normalization?: PipelineOptions["normalization"];
  resize?: PipelineOptions["resize"];
  workers?: number;
}

/** Train (augmented, shuffled, last partial batch dropped), valid and augmented-valid loaders. */
export function imageDataLoaders(dataset: ImageDataset, options: ImageDataLoadersOptions): LearnerData {
  const seed = options.seed ?? 42;
  const split = options.split ?? splitTrainValid(dataset.items, { validPct: options.validPct ?? 0.2, seed });
  if (split.train.length === 0 || split.valid.length === 0) {
    throw new Error(`dataset ${dataset.root}: the split leaves ${split.train.length} training and ${split.valid.length} validation images; both need at least one`);
  }
  const batchSize = options.batchSize ?? 64;
  const size = typeof options.size === "number" ? options.size : { height: options.size[0], width: options.size[1] };
  const pipeline: PipelineOptions = { size, augment: options.augment ?? {}, ...(options.normalization ? { normalization: options.normalization } : {}), ...(options.resize ? { resize: options.resize } : {}) };
  const common = { items: dataset.items, pipeline, seed, ...(options.workers === undefined ? {} : { workers: options.workers }) };
  const trainBatch = Math.min(batchSize, split.train.length);
  const train = new DataLoader({ ...common, subset: split.train, train: true, batchSize: trainBatch });
  const valid = new DataLoader({ ...common, subset: split.valid, train: false, batchSize });
  const augmentedValid = new DataLoader({ ...common, subset: split.valid, train: true, shuffle: false, dropLast: false, batchSize, workers: 0 });
  return {
    train,
    valid,
    augmentedValid,
    classes: dataset.classes,
    close: async () => {
      await Promise.all([train.close(), valid.close(), augmentedValid.close()]);
    },
  };
}

/** Batches from arrays in memory (tests, features computed ahead). Shuffles per epoch when `shuffle`. */
export class ArrayBatchSource implements BatchSource {
  private readonly count: number;
  private readonly itemSize: number;

  constructor(
    private readonly inputs: Float32Array,
    private readonly itemShape: [number, number, number],
    private readonly labels: BigInt64Array,
    private readonly batchSize: number,
    private readonly options: { shuffle?: boolean; dropLast?: boolean; seed?: number } = {},
  ) {
    this.itemSize = itemShape[0] * itemShape[1] * itemShape[2];
    this.count = labels.length;
    if (inputs.length !== this.count * this.itemSize) throw new Error(`inputs must hold ${this.count} items of [${itemShape}], got ${inputs.length} values`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  }

  get length(): number {
    const whole = Math.floor(this.count / this.batchSize);
    return this.options.dropLast || this.count % this.batchSize === 0 ? whole : whole + 1;
  }

  async *epoch(epoch: number): AsyncIterable<LearnerBatch> {
    const order = this.options.shuffle ? shuffledIndices(this.count, mixSeed(this.options.seed ?? 0, epoch)) : Array.from({ length: this.count }, (_, i) => i);
    for (let b = 0; b < this.length; b++) {
      const indices = order.slice(b * this.batchSize, (b + 1) * this.batchSize);
      const input = new Float32Array(indices.length * this.itemSize);
      indices.forEach((item, row) => input.set(this.inputs.subarray(item * this.itemSize, (item + 1) * this.itemSize), row * this.itemSize));
      yield { input, shape: [indices.length, ...this.itemShape], labels: BigInt64Array.from(indices, (i) => this.labels[i]!) };
    }
  }
}
