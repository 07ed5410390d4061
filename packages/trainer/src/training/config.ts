/** The settings of a training session, with their defaults and validation. */
import type { DepthwiseWeightGradient } from "../autodiff/index.ts";
import type { OptimizerConfig } from "../optim/index.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { validateSessionOptions } from "../runtime/index.ts";
import type { LayerGroupOverride } from "./layer-groups.ts";
import type { LossConfig } from "./loss.ts";
import { validateLossConfig } from "./loss.ts";

export interface TrainerConfig {
  optimizer: OptimizerConfig;
  loss?: LossConfig;
  /** Weight decay for every parameter (decoupled for AdamW and for SGD with decoupledWeightDecay). */
  weightDecay?: number;
  /** Apply weight decay to normalization parameters and biases too (default true, as PyTorch). */
  decayNormAndBias?: boolean;
  /** Explicit layer groups; default: first and second half of the body, and the head. */
  layerGroups?: LayerGroupOverride[];
  /** Layer groups below this index start frozen (negative counts from the end); default 0. */
  freezeTo?: number;
  /** Normalization layers of frozen groups keep training (fastai train_bn); default true. */
  trainBatchNorm?: boolean;
  /** PyTorch BatchNorm momentum for running statistics; default 0.1. */
  batchNormMomentum?: number;
  /** Clip gradients to this global L2 norm. */
  maxGradientNorm?: number;
  /** Feed SGD momentum / Adam β₁ at each step (one-cycle momentum); default false. */
  scheduleMomentum?: boolean;
  /** How the backward pass builds depthwise convolution weight gradients (see autodiff). */
  depthwiseWeightGradient?: DepthwiseWeightGradient;
  /** Seed of the Dropout masks in train steps (mixed with the step each train session starts at); default 0. */
  dropoutSeed?: number;
  /** ONNX Runtime session settings for the train and eval graphs. */
  session?: SessionOptions;
}

export type ResolvedTrainerConfig = Required<Omit<TrainerConfig, "layerGroups" | "maxGradientNorm" | "session" | "depthwiseWeightGradient" | "dropoutSeed">> & {
  dropoutSeed: number;
} & Pick<TrainerConfig, "layerGroups" | "maxGradientNorm" | "depthwiseWeightGradient"> & { session: SessionOptions };

export function resolveTrainerConfig(config: TrainerConfig): ResolvedTrainerConfig {
  const resolved: ResolvedTrainerConfig = {
    optimizer: config.optimizer,
    loss: config.loss ?? { kind: "softmaxCrossEntropy" },
    weightDecay: config.weightDecay ?? 0,
    decayNormAndBias: config.decayNormAndBias ?? true,
    layerGroups: config.layerGroups,
    freezeTo: config.freezeTo ?? 0,
    trainBatchNorm: config.trainBatchNorm ?? true,
    batchNormMomentum: config.batchNormMomentum ?? 0.1,
    maxGradientNorm: config.maxGradientNorm,
    depthwiseWeightGradient: config.depthwiseWeightGradient,
    scheduleMomentum: config.scheduleMomentum ?? false,
    dropoutSeed: config.dropoutSeed ?? 0,
    session: config.session ?? {},
  };
  if (!(resolved.weightDecay >= 0)) throw new Error(`weightDecay must be ≥ 0, got ${resolved.weightDecay}`);
  const m = resolved.batchNormMomentum;
  if (!(m > 0 && m <= 1)) throw new Error(`batchNormMomentum must be in (0, 1], got ${m}`);
  validateLossConfig(resolved.loss);
  if (!Number.isSafeInteger(resolved.dropoutSeed)) throw new Error(`dropoutSeed must be an integer, got ${resolved.dropoutSeed}`);
  validateSessionOptions(resolved.session);
  return resolved;
}
