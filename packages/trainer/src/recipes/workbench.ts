/**
 * What every recipe builds on: classifiers (fastai's head, or the probe's single Linear) on one
 * backbone, learners over any split of the data set, and the body's features through one cache.
 */
import type { AugmentOptions, ImageDataset, Normalization, Pipeline, ResizeOptions, Split } from "../data/index.ts";
import { resolvePipeline } from "../data/index.ts";
import { FeatureCache, type FeatureSet, selectGroups } from "../features/index.ts";
import { type ProbeSelection, selectProbe } from "../probe/index.ts";
import { type Callback, labelSmoothingCrossEntropy, Learner, learnerData, type LearnerData, type Metric, MixUp } from "../learner/index.ts";
import { type Classifier, createClassifier, type HeadOptions } from "../models/head/index.ts";
import type { Model } from "../onnx/ir.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { fitBatchSize, memoryBudget, trainingMemory } from "./memory.ts";
import type { ProbeFeatures, TrainingSpec } from "./spec.ts";

export interface TrainingInputs {
  dataset: ImageDataset;
  /** Train/valid split: recipes choose on `train` only; `valid` is for reporting. */
  split: Split;
  backbone: Model;
  normalization: Normalization | "imagenet";
  inputSize?: [number, number];
  /** Training augmentation (fastai's aug_transforms options); false for none, as for spectrograms. Default fastai's. */
  augment?: Partial<AugmentOptions> | false;
  /** How images are brought to the input size (default: crop; "squish" for converted data). */
  resize?: Partial<ResizeOptions>;
  metrics?: Metric[];
  /** Callbacks of the fits that make the final model (progress, persistence, stopping). */
  callbacks?: Callback[];
  /** Callbacks of AUTO's trial fits (progress only: their epochs are not the run's). */
  trialCallbacks?: Callback[];
  workers?: number;
  session?: SessionOptions;
  signal?: AbortSignal;
  /** One line per step of the recipe (what it does, what AUTO tried and chose). */
  log?: (line: string) => void;
  cache?: FeatureCache;
}

export type HeadKind = "fastai" | "probe";

/** fastai's head for FINE_TUNE, FIT_ONE_CYCLE and FROZEN_HEAD; a Linear on pooled features for the probe and LP_FT. */
const HEADS: Record<HeadKind, Omit<HeadOptions, "classes" | "seed">> = {
  fastai: {},
  probe: { hidden: [], dropout: 0, batchNorm: true, finalBias: true },
};

/** How a probe head pools for each kind of features (spec.ts: PROBE_FEATURES, cheapest first). */
const PROBE_POOLING: Record<ProbeFeatures, Pick<HeadOptions, "pooling" | "depths">> = {
  LAST: { pooling: "avg", depths: "last" },
  STAGES: { pooling: "avg", depths: "stages" },
  STAGES_GRID: { pooling: "pyramid", depths: "stages" },
};

export class Workbench {
  readonly cache: FeatureCache;
  readonly classCount: number;
  private readonly extractorClassifier: Classifier;
  private readonly open: { learner: Learner; data: LearnerData }[] = [];
  private readonly probes = new Map<string, ProbeSelection>();
  private readonly extractors = new Map<ProbeFeatures, Model>();
  /** Memory notes already logged (AUTO builds many learners of one classifier). */
  private readonly memoryNotes = new Set<string>();

  constructor(
    readonly inputs: TrainingInputs,
    readonly spec: TrainingSpec,
  ) {
    this.cache = inputs.cache ?? new FeatureCache();
    this.classCount = inputs.dataset.classes.length;
    // Features are cached once with fastai's concat pooling [max, avg]; the probe reads the avg half.
    this.extractorClassifier = this.classifier("fastai");
  }

  log(line: string): void {
    this.inputs.log?.(line);
  }

  /** A new classifier with `head`; a probe head reads `features`. */
  classifier(head: HeadKind, features: ProbeFeatures = "LAST"): Classifier {
    const { inputSize } = this.inputs;
    const pooling = head === "probe" ? PROBE_POOLING[features] : {};
    return createClassifier(this.inputs.backbone, {
      classes: this.classCount,
      seed: this.spec.seed,
      ...HEADS[head],
      ...pooling,
      ...(inputSize ? { inputSize } : {}),
    });
  }

  get pipeline(): Pipeline {
    const [height, width] = this.extractorClassifier.inputSize;
    return resolvePipeline({
      size: { height, width },
      normalization: this.inputs.normalization,
      augment: this.inputs.augment ?? {},
      ...(this.inputs.resize ? { resize: this.inputs.resize } : {}),
    });
  }

  /** A learner over `split` (its own data loaders); released by `release()`. */
  learner(classifier: Classifier, split: Split, trial: boolean): { learner: Learner; data: LearnerData } {
    const { spec, inputs } = this;
    const [height, width] = classifier.inputSize;
    const { batchSize, note } = fitBatchSize(trainingMemory(classifier), spec.batchSize, memoryBudget(spec));
    if (note && !this.memoryNotes.has(note)) {
      this.memoryNotes.add(note);
      this.log(note);
    }
    const data = learnerData(inputs.dataset, {
      size: { height, width },
      batchSize,
      split,
      seed: spec.seed,
      normalization: inputs.normalization,
      augment: inputs.augment ?? {},
      ...(inputs.resize ? { resize: inputs.resize } : {}),
      ...(inputs.workers === undefined ? {} : { workers: inputs.workers }),
    });
    const mixup = spec.mixup === undefined ? [] : [new MixUp(spec.mixup, spec.seed)];
    const learner = new Learner({
      data,
      model: classifier,
      metrics: inputs.metrics ?? [],
      callbacks: [...((trial ? inputs.trialCallbacks : inputs.callbacks) ?? []), ...mixup],
      ...(spec.labelSmoothing > 0 ? { loss: labelSmoothingCrossEntropy(spec.labelSmoothing) } : {}),
      ...(inputs.session ? { session: inputs.session } : {}),
      ...(inputs.signal ? { signal: inputs.signal } : {}),
    });
    const made = { learner, data };
    this.open.push(made);
    return made;
  }

  /**
   * Pooled features of the pretrained body for items `subset` (positions of the data set),
   * `views` per item: fastai's [max, avg] of the last map (the probe's "LAST" is its avg half),
   * or a probe head's multi-depth `features`.
   */
  async features(subset: readonly number[], views: number, features: ProbeFeatures = "LAST"): Promise<FeatureSet> {
    const { inputs, spec } = this;
    const started = Date.now();
    const before = this.cache.misses;
    const set = await this.cache.features({
      extractor: this.extractor(features),
      items: inputs.dataset.items,
      subset,
      classCount: this.classCount,
      pipeline: this.pipeline,
      views,
      seed: spec.seed,
      batchSize: 32,
      ...(inputs.workers === undefined ? {} : { workers: inputs.workers }),
      ...(inputs.session ? { session: inputs.session } : {}),
      ...(inputs.signal ? { signal: inputs.signal } : {}),
    });
    if (this.cache.misses > before)
      this.log(
        `features${features === "LAST" ? "" : ` (${features})`}: ${subset.length} images × ${views} view${views === 1 ? "" : "s"} through the frozen body in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    return set;
  }

  private extractor(features: ProbeFeatures): Model {
    // "LAST" reads the avg half of fastai's pooling, so the frozen phases share its rows.
    let extractor = this.extractors.get(features);
    if (!extractor) {
      extractor = (features === "LAST" ? this.extractorClassifier : this.classifier("probe", features)).featureExtractor();
      this.extractors.set(features, extractor);
    }
    return extractor;
  }

  /** Feature rows of the items `subset`, taken from the cached rows of `from` (a superset) when given. */
  async rows(subset: readonly number[], views: number, from: readonly number[] = subset, features: ProbeFeatures = "LAST"): Promise<FeatureSet> {
    const all = await this.features(from, views, features);
    if (from === subset) return all;
    const position = new Map(from.map((index, i) => [index, i]));
    return selectGroups(
      all,
      subset.map((index) => {
        const at = position.get(index);
        if (at === undefined) throw new Error(`rows: item ${index} is not among the cached items`);
        return at;
      }),
    );
  }

  /**
   * The linear probe on the training items `subset` (views per item), its L2 chosen by
   * cross-validation on those items alone (or `l2`, chosen before); memoized. Rows come from the features of `from` (a
   * superset already cached, such as the whole training split) when given.
   */
  async probe(
    subset: readonly number[],
    views: number,
    from: readonly number[] = subset,
    features: ProbeFeatures = "LAST",
    l2?: number,
  ): Promise<ProbeSelection> {
    const key = `${features}:${views}:${l2 ?? "cv"}:${subset.join(",")}`;
    const known = this.probes.get(key);
    if (known) return known;
    const rows = await this.probeRows(subset, views, from, features);
    const started = Date.now();
    const selection = await selectProbe(rows, {
      seed: this.spec.seed,
      ...(l2 === undefined ? {} : { grid: [l2] }),
      ...(this.inputs.signal ? { signal: this.inputs.signal } : {}),
    });
    const how = l2 === undefined ? "chosen by" : "given; scored by";
    this.log(
      `probe (${features} features, ${rows.dim} wide): L2 ${selection.l2.toExponential(1)} ${how} ${selection.folds}-fold cross-validation on ${subset.length} training images (CV accuracy ${(cvAccuracy(selection) * 100).toFixed(2)}%), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    this.probes.set(key, selection);
    return selection;
  }

  /** The probe head's input rows: `features` of the items `subset` (from the cached rows of `from`). */
  async probeRows(subset: readonly number[], views: number, from: readonly number[] = subset, features: ProbeFeatures = "LAST"): Promise<FeatureSet> {
    const rows = await this.rows(subset, views, from, features);
    return features === "LAST" ? averageHalf(rows) : rows;
  }

  /** Removes the feature cache's spill folder when the cache is this workbench's own. */
  closeCache(): void {
    if (this.inputs.cache === undefined) this.cache.close();
  }

  /** Releases every learner and loader this workbench made, except `keep`. */
  async release(keep?: Learner): Promise<void> {
    for (const { learner, data } of this.open.splice(0)) {
      if (learner === keep) {
        this.open.push({ learner, data });
        continue;
      }
      await learner.release();
      await data.close?.();
    }
  }
}

/** The probe's cross-validation accuracy at its chosen L2. */
export function cvAccuracy(selection: ProbeSelection): number {
  return selection.scores.find((s) => s.l2 === selection.l2)?.accuracy ?? Number.NaN;
}

/** The average-pooled half of [max, avg] rows: the probe's features. */
export function averageHalf(set: FeatureSet): FeatureSet {
  const dim = set.dim / 2;
  const features = new Float32Array(set.count * dim);
  for (let row = 0; row < set.count; row++) features.set(set.features.subarray(row * set.dim + dim, (row + 1) * set.dim), row * dim);
  return { ...set, features, dim };
}
