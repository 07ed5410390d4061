/**
 * lr_find with the body frozen, as after cnn_learner: the body's features of the training
 * images are computed once (the centre crop), then the range test trains the head alone on
 * them. The CLI's lr-find and the worker's both run it; with every layer training they run the
 * learner's own lr_find on images.
 */
import type { ImageItem, Normalization, NormalizationName, ResizeOptions } from "../data/index.ts";
import { resolvePipeline } from "../data/index.ts";
import type { Learner, LrFindOptions, LrFindResult } from "../learner/index.ts";
import type { Classifier } from "../models/head/index.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { extractFeatures } from "./extract.ts";
import { headLrFind } from "./head-training.ts";

export interface FrozenLrFindOptions {
  /** The classifier's learner: frozen by this, its weights left as they were. */
  learner: Learner;
  classifier: Classifier;
  items: readonly Pick<ImageItem, "path" | "relativePath" | "label">[];
  /** The training items (positions in `items`). */
  train: readonly number[];
  classCount: number;
  normalization: Normalization | NormalizationName;
  resize?: Partial<ResizeOptions>;
  batchSize: number;
  seed: number;
  lrFind?: LrFindOptions;
  session?: SessionOptions;
  workers?: number;
  signal?: AbortSignal;
  /** Told once the features are computed. */
  onFeatures?(images: number, seconds: number): void;
}

export async function frozenLrFind(options: FrozenLrFindOptions): Promise<LrFindResult> {
  const { learner, classifier } = options;
  const [height, width] = classifier.inputSize;
  const started = Date.now();
  const rows = await extractFeatures({
    extractor: classifier.featureExtractor(),
    items: options.items,
    subset: options.train,
    classCount: options.classCount,
    pipeline: resolvePipeline({ size: { height, width }, normalization: options.normalization, ...(options.resize ? { resize: options.resize } : {}) }),
    views: 1,
    seed: options.seed,
    ...(options.session ? { session: options.session } : {}),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  options.onFeatures?.(options.train.length, (Date.now() - started) / 1000);
  learner.freeze();
  return headLrFind({
    learner,
    classifier,
    train: rows,
    batchSize: Math.min(options.batchSize, options.train.length),
    seed: options.seed,
    ...(options.lrFind ? { lrFind: options.lrFind } : {}),
  });
}
