/**
 * What a Learner reads for segmentation: batches of images [B, 3, H, W] (normalized floats) and
 * their masks as int64 labels [B, H, W], decoded and augmented together by
 * data/segmentation's pipeline, one batch prepared ahead. Like data/'s DataLoader, the contents
 * depend only on (seed, epoch, item): the training order is reshuffled each epoch and each
 * item's augmentation is drawn from its own seed.
 */
import { itemSeed, mixSeed, shuffledIndices, type Split } from "../data/index.ts";
import {
  prepareSegmentationBatch,
  resolveSegmentationPipeline,
  type SegmentationDataset,
  type SegmentationItem,
  type SegmentationPipeline,
  type SegmentationPipelineOptions,
  splitSegmentation,
} from "../data/segmentation/index.ts";
import type { BatchSource, LearnerBatch, LearnerData } from "../learner/data.ts";

export interface SegmentationBatchSourceOptions {
  items: readonly Pick<SegmentationItem, "path" | "maskPath">[];
  pipeline: SegmentationPipeline;
  batchSize: number;
  /** Augment (the pipeline's augment options), shuffle and drop the last partial batch. */
  train: boolean;
  seed?: number;
}

export class SegmentationBatchSource implements BatchSource {
  private readonly seed: number;

  constructor(private readonly options: SegmentationBatchSourceOptions) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new Error(`batchSize must be an integer ≥ 1, got ${options.batchSize}`);
    this.seed = options.seed ?? 42;
  }

  get length(): number {
    const { items, batchSize, train } = this.options;
    return train ? Math.floor(items.length / batchSize) : Math.ceil(items.length / batchSize);
  }

  async *epoch(epoch: number): AsyncIterable<LearnerBatch> {
    const { items, pipeline, batchSize, train } = this.options;
    const order = train ? shuffledIndices(items.length, mixSeed(this.seed, epoch, 0x5eed)) : items.map((_, i) => i);
    const prepare = (b: number) => {
      const indices = order.slice(b * batchSize, (b + 1) * batchSize);
      return prepareSegmentationBatch(
        indices.map((i) => items[i]!),
        pipeline,
        train,
        indices.map((i) => itemSeed(this.seed, epoch, i)),
      );
    };
    let next = this.length > 0 ? prepare(0) : undefined;
    for (let b = 0; b < this.length; b++) {
      const batch = await next!;
      next = b + 1 < this.length ? prepare(b + 1) : undefined;
      // A failure of the batch prepared ahead surfaces when it is awaited, not as an unhandled rejection.
      next?.catch(() => undefined);
      const { batch: count, height, width } = batch.dims;
      yield { input: batch.images, shape: [count, 3, height, width], labels: batch.labels, labelShape: [count, height, width] };
    }
  }
}

export interface SegmentationDataOptions extends Omit<SegmentationPipelineOptions, "classes"> {
  batchSize?: number;
  /** Validation batch size; default twice batchSize. */
  validBatchSize?: number;
  /** Train/valid split; default the data set's own (train/ and valid/ folders, a CSV column), else validPct with seed. */
  split?: Split;
  validPct?: number;
  seed?: number;
}

/** Learner data over a segmentation data set: augmented, shuffled training batches and plain validation batches. */
export function segmentationLearnerData(dataset: SegmentationDataset, options: SegmentationDataOptions): LearnerData {
  const { batchSize: requested = 8, validBatchSize, split: given, validPct = 0.2, seed = 42, ...pipelineOptions } = options;
  const split = given ?? splitSegmentation(dataset, { validPct, seed });
  if (split.train.length === 0 || split.valid.length === 0) {
    throw new Error(
      `dataset ${dataset.root}: the split leaves ${split.train.length} training and ${split.valid.length} validation images; both need at least one`,
    );
  }
  const batchSize = Math.min(requested, split.train.length);
  const pipeline = resolveSegmentationPipeline({ ...pipelineOptions, classes: dataset.classes });
  const pick = (indices: number[]) => indices.map((i) => dataset.items[i]!);
  return {
    train: new SegmentationBatchSource({ items: pick(split.train), pipeline, batchSize, train: true, seed }),
    valid: new SegmentationBatchSource({ items: pick(split.valid), pipeline, batchSize: validBatchSize ?? 2 * batchSize, train: false, seed }),
    classes: [...dataset.classes.names],
    ignoreIndex: dataset.classes.ignoreIndex,
  };
}
