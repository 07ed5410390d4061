/**
 * What a Learner reads: a training and a validation source of batches, each yielding one
 * epoch at a time ([B, 3, H, W] normalized floats and int64 labels). data/'s DataLoader is
 * one; learnerData builds them over a split, like fastai's ImageDataLoaders.
 */
import type { ImageDataset } from "../data/index.ts";
import { DataLoader, imageDataLoaders, type ImageDataLoadersOptions, mixSeed, shuffledIndices, splitTrainValid, type Split } from "../data/index.ts";

export interface LearnerBatch {
  input: Float32Array;
  shape: [number, number, number, number];
  labels: BigInt64Array;
  /** Shape of the labels when not one per image: [B, H, W] class indices per pixel (segmentation). */
  labelShape?: number[];
  /** Soft target rows [B, classes] (mixup); only with a learner whose loss takes soft targets. */
  targets?: Float32Array;
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
  /** Label of unlabelled (void) pixels, with per-pixel labels (segmentation). */
  ignoreIndex?: number;
  close?(): Promise<void>;
}

export interface LearnerDataOptions extends Omit<ImageDataLoadersOptions, "split" | "size"> {
  /** Square side, [height, width], or { width, height }. */
  size: number | [number, number] | { width: number; height: number };
  /** Train/valid split; default: the source's split, else stratified validPct with seed. */
  split?: Split;
  validPct?: number;
}

/**
 * data/'s imageDataLoaders plus the validation items with training augmentation, in order
 * (for test-time augmentation).
 */
export function learnerData(dataset: ImageDataset, options: LearnerDataOptions): LearnerData {
  const { validPct = 0.2, split: given, ...rest } = options;
  const seed = options.seed ?? 42;
  const split = given ?? splitTrainValid(dataset.items, { validPct, seed });
  if (split.train.length === 0 || split.valid.length === 0) {
    throw new Error(
      `dataset ${dataset.root}: the split leaves ${split.train.length} training and ${split.valid.length} validation images; both need at least one`,
    );
  }
  const batchSize = Math.min(options.batchSize ?? 64, split.train.length);
  const size = Array.isArray(options.size) ? { height: options.size[0], width: options.size[1] } : options.size;
  const loaders = imageDataLoaders(dataset, { ...rest, size, batchSize, split, seed });
  // The training pipeline (augmentation on) over the validation items, in order.
  const augmentedValid = new DataLoader({
    items: dataset.items,
    subset: split.valid,
    seed,
    workers: 0,
    train: true,
    shuffle: false,
    dropLast: false,
    pipeline: loaders.train.pipeline,
    batchSize: options.validBatchSize ?? 2 * batchSize,
  });
  return {
    train: loaders.train,
    valid: loaders.valid,
    augmentedValid,
    classes: loaders.classes,
    close: async () => {
      await Promise.all([loaders.close(), augmentedValid.close()]);
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
