/**
 * The one-liner on top, like fastai's ImageDataLoaders: a data set and a split in, a training
 * loader (augmented, shuffled, drop_last) and a validation loader (center crop, in order) out.
 */
import type { AugmentOptions } from "./augment.ts";
import type { ImageDataset } from "./dataset.ts";
import { DataLoader } from "./loader.ts";
import type { PipelineOptions } from "./pipeline.ts";
import { type Split, splitTrainValid } from "./split.ts";

export interface ImageDataLoadersOptions extends Omit<PipelineOptions, "augment"> {
  /** fastai's aug_transforms options for training; false for none. Default: fastai's defaults. */
  augment?: Partial<AugmentOptions> | false;
  batchSize?: number;
  /** Default: twice batchSize (no gradients are kept during validation). */
  validBatchSize?: number;
  /** Default: the source's split, else a stratified 20% split with `seed`. */
  split?: Split;
  seed?: number;
  workers?: number;
  prefetch?: number;
}

export interface ImageDataLoaders {
  train: DataLoader;
  valid: DataLoader;
  split: Split;
  classes: string[];
  close(): Promise<void>;
}

export function imageDataLoaders(dataset: ImageDataset, options: ImageDataLoadersOptions): ImageDataLoaders {
  const { augment = {}, batchSize = 64, validBatchSize, split: givenSplit, seed = 42, workers, prefetch, ...pipelineOptions } = options;
  const split = givenSplit ?? splitTrainValid(dataset.items, { seed });
  const shared = { items: dataset.items, seed, ...(workers === undefined ? {} : { workers }), ...(prefetch === undefined ? {} : { prefetch }) };
  const train = new DataLoader({ ...shared, subset: split.train, pipeline: { ...pipelineOptions, augment }, train: true, batchSize });
  const valid = new DataLoader({
    ...shared,
    subset: split.valid,
    pipeline: { ...pipelineOptions, augment: false },
    train: false,
    batchSize: validBatchSize ?? 2 * batchSize,
  });
  return {
    train,
    valid,
    split,
    classes: dataset.classes,
    close: async () => {
      await Promise.all([train.close(), valid.close()]);
    },
  };
}
