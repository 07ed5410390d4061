/**
 * Learner: data, model, loss, metrics and optimizer together, with fastai's training recipes
 * as thin functions over one fit loop plus callbacks (see recipes.ts and lr-find.ts).
 */
import type { DepthwiseWeightGradient } from "../autodiff/index.ts";
import type { Classifier } from "../models/head/index.ts";
import type { Segmenter } from "../models/segmentation/index.ts";
import type { Model } from "../onnx/ir.ts";
import { type LearningRateSpec, learningRatesForGroups, type OptimizerConfig } from "../optim/index.ts";
import type { SessionOptions } from "../runtime/index.ts";
import type { TrainerConfig } from "../training/config.ts";
import type { LayerGroupOverride } from "../training/layer-groups.ts";
import type { LossConfig } from "../training/loss.ts";
import { Trainer } from "../training/trainer.ts";
import type { LearnerData } from "./data.ts";
import type { Callback } from "./events.ts";
import { AbortCallback } from "./hooks.ts";
import { batchTensors, runFit } from "./loop.ts";
import type { Metric, Predictions } from "./metrics.ts";
import { PredictionCollector } from "./predictions.ts";
import { Recorder } from "./recorder.ts";
import { fineTune, type FineTuneOptions, fitOneCycle, type FitOneCycleOptions } from "./recipes.ts";
import { lrFind, type LrFindOptions, type LrFindResult } from "./lr-find.ts";
import { tta, type TtaOptions } from "./tta.ts";
import { classificationCollector, segmentationCollector, type ValidationCollector } from "./validation.ts";

export interface LearnerOptions {
  data: LearnerData;
  /**
   * A classifier from createClassifier or a segmenter from createSegmenter (layer groups and
   * resizing come with them), or any model.
   */
  model: Classifier | Segmenter | Model;
  layerGroups?: LayerGroupOverride[];
  /**
   * Default: cross-entropy; labelSmoothingCrossEntropy() for fastai's LabelSmoothingCrossEntropy;
   * `{ kind: "segmentation", … }` for a segmenter (labels per pixel; its ignore index defaults
   * to the data's).
   */
  loss?: LossConfig;
  /** Classification metrics; segmentation always reports pixel accuracy and IoU (validation.ts) and takes none. */
  metrics?: Metric[];
  /** Default fastai's Adam: AdamW with β (0.9, 0.99), ε 1e-5. */
  optimizer?: OptimizerConfig;
  /** Decoupled weight decay, fastai's default 0.01. */
  weightDecay?: number;
  /** Apply weight decay to normalization parameters and biases too (fastai wd_bn_bias); default false. */
  decayNormAndBias?: boolean;
  /**
   * Normalization layers of frozen groups keep training (fastai train_bn). Default false, unlike
   * fastai: training them puts the frozen body's BatchNorm on batch statistics while validation
   * uses running statistics that a few dozen steps (momentum 0.1) barely move, so the head learns
   * on features it never sees again; it also costs a backward pass through the whole body.
   * Measured with the nsfwjs MobileNetV2 (Keras BatchNorm): head-only on ants/bees 61–69%
   * (varying by epoch) against 65–68% without, at 4.4× the time; on an easy generated
   * two-class set 33% against 100%. Backbones with folded BatchNorm are not affected.
   */
  trainBatchNorm?: boolean;
  maxGradientNorm?: number;
  callbacks?: Callback[];
  /** Cancels any fit of this learner (fit, fitOneCycle, fineTune, lrFind) within one batch. */
  signal?: AbortSignal;
  session?: SessionOptions;
  /** How depthwise convolution weight gradients are built (Trainer config); default: NCHWc kernels on the CPU provider. */
  depthwiseWeightGradient?: DepthwiseWeightGradient;
}

export const FASTAI_ADAM: OptimizerConfig = { kind: "adamw", betas: [0.9, 0.99], eps: 1e-5 };

/** fastai's LabelSmoothingCrossEntropy (ε = 0.1 by default). */
export function labelSmoothingCrossEntropy(eps = 0.1): LossConfig {
  return { kind: "softmaxCrossEntropy", labelSmoothing: eps };
}

export interface FitOptions {
  callbacks?: Callback[];
}

function isBuilt(model: Classifier | Segmenter | Model): model is Classifier | Segmenter {
  return "layerGroups" in model && "atSize" in model;
}

/** The loss with the data's ignore index where a segmentation loss gives none; refused where they differ. */
function withDataDefaults(loss: LossConfig, data: LearnerData, softTargets: boolean, metrics: readonly Metric[]): LossConfig {
  if (loss.kind !== "segmentation") return softTargets ? { ...loss, targets: "soft" } : loss;
  if (softTargets) throw new Error("a callback needs soft targets (mixup), which a segmentation loss does not take");
  if (metrics.length > 0) {
    throw new Error(
      `metrics: segmentation reports pixel accuracy and IoU itself; classification metrics (${metrics.map((m) => m.name).join(", ")}) do not apply`,
    );
  }
  if (loss.ignoreIndex !== undefined && data.ignoreIndex !== undefined && loss.ignoreIndex !== data.ignoreIndex) {
    throw new Error(`loss.ignoreIndex ${loss.ignoreIndex} differs from the data's ignore index ${data.ignoreIndex}`);
  }
  const ignoreIndex = loss.ignoreIndex ?? data.ignoreIndex;
  return ignoreIndex === undefined ? loss : { ...loss, ignoreIndex };
}

export class Learner {
  data: LearnerData;
  trainer: Trainer;
  readonly metrics: Metric[];
  readonly recorder = new Recorder();
  readonly callbacks: Callback[];
  /** True when the train step takes soft target rows (a callback such as MixUp needs them). */
  readonly softTargets: boolean;
  private classifier: Classifier | Segmenter | undefined;
  private readonly config: TrainerConfig;
  private readonly options: LearnerOptions;
  private dataEpochs = 0;

  constructor(options: LearnerOptions) {
    this.options = options;
    this.data = options.data;
    this.classifier = isBuilt(options.model) ? options.model : undefined;
    const model = isBuilt(options.model) ? options.model.model : options.model;
    const optimizer = options.optimizer ?? FASTAI_ADAM;
    this.softTargets = (options.callbacks ?? []).some((cb) => cb.needsSoftTargets);
    const loss = withDataDefaults(options.loss ?? { kind: "softmaxCrossEntropy" }, options.data, this.softTargets, options.metrics ?? []);
    this.config = {
      optimizer,
      loss,
      weightDecay: options.weightDecay ?? 0.01,
      // fastai's wd_bn_bias=False: no decay on normalization parameters and biases.
      decayNormAndBias: options.decayNormAndBias ?? false,
      layerGroups: options.layerGroups ?? this.classifier?.layerGroups,
      trainBatchNorm: options.trainBatchNorm ?? false,
      scheduleMomentum: optimizer.kind === "adamw" || (optimizer.momentum ?? 0) > 0,
      ...(options.maxGradientNorm === undefined ? {} : { maxGradientNorm: options.maxGradientNorm }),
      session: options.session ?? {},
      ...(options.depthwiseWeightGradient === undefined ? {} : { depthwiseWeightGradient: options.depthwiseWeightGradient }),
    };
    this.trainer = new Trainer(model, this.config);
    this.metrics = options.metrics ?? [];
    this.callbacks = [this.recorder, ...(options.signal ? [new AbortCallback(options.signal)] : []), ...(options.callbacks ?? [])];
  }

  /**
   * A learner with the same loss, optimizer, metrics and callbacks on another model and data:
   * the head alone on cached features while the body is frozen.
   */
  withModel(model: Model, layerGroups: LayerGroupOverride[], data: LearnerData): Learner {
    return new Learner({ ...this.options, model, layerGroups, data });
  }

  get groupCount(): number {
    return this.trainer.layerGroups.length;
  }

  get classCount(): number {
    return this.data.classes.length;
  }

  /** The optimizer's base momentum (Adam β₁ or SGD momentum), used when nothing schedules it. */
  get baseMomentum(): number {
    const optimizer = this.config.optimizer;
    return optimizer.kind === "adamw" ? (optimizer.betas?.[0] ?? 0.9) : (optimizer.momentum ?? 0);
  }

  /** Each fit consumes fresh data epochs, so reshuffling and augmentation continue across fits. */
  nextDataEpoch(): number {
    return this.dataEpochs++;
  }

  learningRates(spec: LearningRateSpec): number[] {
    return learningRatesForGroups(spec, this.groupCount);
  }

  /** Trains at constant learning rates (fastai's fit). */
  async fit(epochs: number, lr: LearningRateSpec = 1e-3, options: FitOptions = {}): Promise<void> {
    await runFit(this, epochs, { learningRates: this.learningRates(lr), momentum: this.baseMomentum }, options.callbacks ?? []);
  }

  /** fastai's fit_one_cycle (div 25, div_final 1e5, pct_start 0.25, moms 0.95/0.85/0.95). */
  fitOneCycle(epochs: number, lrMax: LearningRateSpec = 1e-3, options: FitOneCycleOptions = {}): Promise<void> {
    return fitOneCycle(this, epochs, lrMax, options);
  }

  /** fastai's fine_tune (base_lr 2e-3, freeze_epochs 1, lr_mult 100). */
  fineTune(epochs: number, options: FineTuneOptions = {}): Promise<void> {
    return fineTune(this, epochs, options);
  }

  /** fastai's lr_find; weights and optimizer state are restored afterwards. */
  lrFind(options: LrFindOptions = {}): Promise<LrFindResult> {
    return lrFind(this, options);
  }

  /** Test-time augmentation: blended probabilities over the validation set. */
  tta(options: TtaOptions = {}): Promise<Predictions> {
    return tta(this, options);
  }

  freeze(): void {
    this.trainer.freeze();
  }

  unfreeze(): void {
    this.trainer.unfreeze();
  }

  freezeTo(index: number): void {
    this.trainer.freezeTo(index);
  }

  /** True when the model segments (per-pixel labels and a segmentation loss). */
  get segmentation(): boolean {
    return this.config.loss?.kind === "segmentation";
  }

  /** What validation accumulates: the classification metrics over image scores, or the pixel confusion of a segmenter. */
  validationCollector(): ValidationCollector {
    const loss = this.config.loss;
    if (loss?.kind === "segmentation") return segmentationCollector(this.data.classes, loss.ignoreIndex ?? 255);
    return classificationCollector(this.classCount, this.metrics);
  }

  /** Loss and metrics on the validation set (or another source). */
  async validate(source = this.data.valid): Promise<{ loss: number; metrics: Record<string, number> }> {
    const collector = this.validationCollector();
    for await (const batch of source.epoch(0)) {
      const { input, labels } = batchTensors(batch);
      const { loss, logits } = await this.trainer.evaluate(input, labels);
      collector.add(logits.data as Float32Array, batch, loss);
    }
    return { loss: collector.loss, metrics: collector.metrics() };
  }

  /** Logits of every item of a source, in order, with the labels and the mean loss (fastai get_preds). */
  async predictions(source = this.data.valid, epoch = 0): Promise<{ loss: number; predictions: Predictions }> {
    if (this.segmentation) throw new Error("predictions: per-image scores are for classifiers; a segmenter validates with validate()");
    const collector = new PredictionCollector(this.classCount);
    for await (const batch of source.epoch(epoch)) {
      const { input, labels } = batchTensors(batch);
      const { loss, logits } = await this.trainer.evaluate(input, labels);
      collector.add(logits.data as Float32Array, batch.labels, loss);
    }
    return { loss: collector.loss, predictions: collector.result() };
  }

  /**
   * Progressive resizing: the same classifier rebuilt for another image size, carrying every
   * weight, running statistic and optimizer state over; `data` yields images of that size.
   */
  async resize(size: [number, number], data: LearnerData): Promise<void> {
    if (!this.classifier) {
      throw new Error("resize: the learner's model must come from createClassifier or createSegmenter (they know how to rebuild at another size)");
    }
    const state = this.trainer.state();
    const classifier = this.classifier.atSize(size);
    const trainer = new Trainer(classifier.model, this.config);
    await trainer.restore(state);
    await this.trainer.release();
    this.trainer = trainer;
    this.classifier = classifier;
    this.data = data;
  }

  /** The model with its current weights and a softmax output. */
  exportModel(): Model {
    return this.trainer.exportModel();
  }

  async release(): Promise<void> {
    await this.trainer.release();
  }
}
