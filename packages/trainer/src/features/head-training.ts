/**
 * The frozen phase on cached features: the head alone (same parameter names as in the whole
 * classifier) trains on pooled feature rows, epoch e on view e mod K, then its weights and
 * optimizer state go back into the whole classifier's trainer. Same schedule and callbacks as
 * a frozen fit on images, at a fraction of the cost: no image is decoded or run through the
 * body per epoch.
 */
import type { Classifier } from "../models/head/index.ts";
import type { BatchSource, LearnerBatch, LearnerData } from "../learner/data.ts";
import type { Learner } from "../learner/learner.ts";
import type { LrFindOptions, LrFindResult } from "../learner/lr-find.ts";
import { mixSeed, shuffledIndices } from "../data/index.ts";
import type { FeatureSet } from "./extract.ts";
import { viewCount } from "./extract.ts";

export interface HeadTrainingOptions {
  learner: Learner;
  classifier: Classifier;
  /** Training rows, all K views. */
  train: FeatureSet;
  /** Validation rows (the plain view), for the per-epoch metrics. */
  valid: FeatureSet;
  batchSize: number;
  seed: number;
  /** Runs the fit on the head learner (fitOneCycle with the recipe's settings, lrFind, …). */
  fit(head: Learner): Promise<void>;
}

/** Trains the classifier's head on cached features; the classifier learner's trainer holds the result. */
export async function trainHeadOnFeatures(options: HeadTrainingOptions): Promise<void> {
  const { learner, classifier } = options;
  const { model, layerGroups } = classifier.headModel();
  const data: LearnerData = {
    train: new FeatureViewSource(options.train, options.batchSize, options.seed, { shuffle: true, dropLast: true }),
    valid: new FeatureViewSource(options.valid, options.batchSize * 2, options.seed, { shuffle: false, dropLast: false }),
    classes: learner.data.classes,
  };
  const head = learner.withModel(model, layerGroups, data);
  try {
    // The head starts from the classifier's current head values (a probe, or an earlier fit).
    const start = head.trainer.state();
    const whole = learner.trainer.parameterValues();
    for (const name of start.values.keys()) start.values.set(name, whole.get(name)!);
    await head.trainer.restore(start);
    await options.fit(head);
    const state = learner.trainer.state();
    const trained = head.trainer.state();
    for (const [name, value] of trained.values) state.values.set(name, value);
    for (const [name, value] of trained.optimizerState) state.optimizerState.set(name, value);
    await learner.trainer.restore(state);
    learner.recorder.epochs.push(...head.recorder.epochs);
  } finally {
    await head.release();
  }
}

export interface HeadLrFindOptions {
  learner: Learner;
  classifier: Classifier;
  /** Training rows (the views the steps cycle over). */
  train: FeatureSet;
  batchSize: number;
  seed: number;
  lrFind?: LrFindOptions;
}

/**
 * lr_find with the body frozen (fastai's lr_find after cnn_learner) on cached features: the
 * range test trains the head alone on feature rows, so a step costs no pass of the body. Like
 * every lr_find it puts the weights back; the classifier's learner is left as it was.
 */
export async function headLrFind(options: HeadLrFindOptions): Promise<LrFindResult> {
  const { learner, classifier } = options;
  const { model, layerGroups } = classifier.headModel();
  const train = new FeatureViewSource(options.train, options.batchSize, options.seed, { shuffle: true, dropLast: true });
  const head = learner.withModel(model, layerGroups, { train, valid: train, classes: learner.data.classes });
  try {
    const start = head.trainer.state();
    const whole = learner.trainer.parameterValues();
    for (const name of start.values.keys()) start.values.set(name, whole.get(name)!);
    await head.trainer.restore(start);
    return await head.lrFind(options.lrFind ?? {});
  } finally {
    await head.release();
  }
}

/** Batches of feature rows: epoch e yields view e mod K of every item, shuffled per epoch. */
export class FeatureViewSource implements BatchSource {
  private readonly items: number;
  private readonly views: number;

  constructor(
    private readonly set: FeatureSet,
    private readonly batchSize: number,
    private readonly seed: number,
    private readonly options: { shuffle: boolean; dropLast: boolean },
  ) {
    this.views = viewCount(set);
    this.items = set.count / this.views;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  }

  private get size(): number {
    return Math.min(this.batchSize, this.items);
  }

  get length(): number {
    const whole = Math.floor(this.items / this.size);
    return this.options.dropLast || this.items % this.size === 0 ? whole : whole + 1;
  }

  async *epoch(epoch: number): AsyncIterable<LearnerBatch> {
    const { dim } = this.set;
    const view = epoch % this.views;
    // The same order as a DataLoader over the same items, seed and epoch.
    const order = this.options.shuffle ? shuffledIndices(this.items, mixSeed(this.seed, epoch, 0x5eed)) : Array.from({ length: this.items }, (_, i) => i);
    for (let b = 0; b < this.length; b++) {
      const rows = order.slice(b * this.size, (b + 1) * this.size).map((i) => view * this.items + i);
      const input = new Float32Array(rows.length * dim);
      rows.forEach((row, r) => input.set(this.set.features.subarray(row * dim, (row + 1) * dim), r * dim));
      yield { input, shape: [rows.length, dim, 1, 1], labels: BigInt64Array.from(rows, (row) => BigInt(this.set.labels[row]!)) };
    }
  }
}
