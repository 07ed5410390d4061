/**
 * Builds the three graphs a training session runs, from the model and the current values of
 * its parameters. Frozen parameters are baked in as initializers (ONNX Runtime can then fold
 * BatchNormalization into convolutions and pre-pack weights); trainable ones are feeds.
 *   train step: input, labels (or soft targets), lr_<group>…, [momentum], trainable params,
 *               optimizer state, running stats of trainable BN → loss, logits, their updated
 *               values; Dropout in training mode (train-modes.ts)
 *               (labels: int64 [batch]; [batch, H, W] with a segmentation loss)
 *   eval:       input, labels, trainable params, running stats → loss, logits
 *   inference:  input → logits, probabilities (everything baked)
 */
import type { DepthwiseWeightGradient } from "../autodiff/index.ts";
import { buildBackward } from "../autodiff/index.ts";
import type { Graph, Model, Tensor } from "../onnx/ir.ts";
import { attr, defaultOpset } from "../onnx/ir.ts";
import { inferShapes, shapeOf } from "../onnx/shape-inference.ts";
import type { Optimizer, ParamSlot } from "../optim/index.ts";
import { emitGlobalNormClip } from "../optim/index.ts";
import { copyWithValues, fixBatchSize, makeFeeds, useBatchStatistics } from "./graph-surgery.ts";
import type { LossConfig } from "./loss.ts";
import { clipMasksFromOutputs } from "./clip-mask.ts";
import { pointwiseConvsAsMatMul } from "./pointwise-conv.ts";
import { rankMatchedScalars } from "./scalar-broadcast.ts";
import { recomputePointwiseOutputs } from "./recompute.ts";
import { channelAffinesAsFusedConv } from "./channel-affine.ts";
import { depthwiseConvsInNchwc } from "./nchwc-depthwise.ts";
import { emitCrossEntropy, emitSegmentationLossOf } from "./loss.ts";
import { type TrainModes, useTrainModes } from "./train-modes.ts";

export const INPUT = "input";
export const LABELS = "labels";
export const LOSS = "loss";
export const MOMENTUM = "momentum";
export const GRADIENT_NORM = "gradient_norm";
export const PROBABILITIES = "probabilities";
export const learningRateInput = (group: number) => `lr_${group}`;

/** Pointwise conv outputs on maps of at least this many pixels are recomputed in the backward pass (recompute.ts). */
const RECOMPUTE_MIN_AREA = 28 * 28;

export interface GraphSpec {
  model: Model;
  /** Current value of every parameter and running statistic. */
  values: ReadonlyMap<string, Tensor>;
  /** The parameters that train, in parameter order. */
  trainable: readonly string[];
  /** Running statistics of BatchNormalization nodes whose scale trains. */
  trainableBuffers: readonly string[];
  loss: LossConfig;
  /** Fix the batch dimension to this size (train graphs need static shapes for the backward pass). */
  batchSize?: number;
}

export interface TrainSpec extends GraphSpec, TrainModes {
  optimizer: Optimizer;
  /** Parameter → its layer group (index of its learning-rate input) and weight decay. */
  slots: ReadonlyMap<string, Omit<ParamSlot, "param" | "gradient">>;
  groupCount: number;
  /** Feed a scheduled momentum (SGD momentum / Adam β₁) as the "momentum" input. */
  momentumInput: boolean;
  batchNormMomentum: number;
  maxGradientNorm?: number;
  depthwiseWeightGradient?: DepthwiseWeightGradient;
  /** ONNX Runtime's NCHWc block size, for depthwiseWeightGradient "nchwc". */
  nchwcBlockSize?: number;
  /** The graph runs on ONNX Runtime's CPU provider: use its fused CPU kernels (channel-affine.ts). */
  cpuKernels?: boolean;
}

export interface TrainGraph {
  model: Model;
  /** Feed name → the output holding its next value (params, optimizer state, running stats). */
  carried: Map<string, string>;
}

function logitsOf(graph: Graph): { name: string; classes: number } {
  const output = graph.outputs[0];
  if (!output) throw new Error("model: it has no outputs");
  const classes = shapeOf(graph, output.name)?.[1];
  if (typeof classes !== "number") throw new Error(`model: output '${output.name}' must have shape [batch, classes] with a fixed class count`);
  return { name: output.name, classes };
}

function checkOpset(model: Model): number {
  const opset = defaultOpset(model);
  if (opset < 14)
    throw new Error(`model: opset ${opset} is too old to train (BatchNormalization training mode needs opset 14+); re-export it with opset 14 or later`);
  return opset;
}

/** Copy of the model with frozen values baked, trainable ones as feeds, labels and the loss added. */
function withLoss(spec: GraphSpec): { graph: Graph; opset: number; logits: string } {
  const opset = checkOpset(spec.model);
  const graph = copyWithValues(spec.model.graph, spec.values);
  makeFeeds(graph, [...spec.trainable, ...spec.trainableBuffers]);
  if (spec.batchSize !== undefined) fixBatchSize(graph, spec.batchSize);
  inferShapes(graph, opset);
  const { name: logits, classes } = logitsOf(graph);
  if (spec.loss.kind === "segmentation") {
    emitSegmentationLossOf(graph, logits, shapeOf(graph, logits)!, LABELS, spec.loss, LOSS);
  } else {
    const batch = shapeOf(graph, logits)?.[0] ?? "batch";
    graph.inputs.push({ name: LABELS, dataType: "int64", shape: [batch] });
    emitCrossEntropy(graph, logits, LABELS, classes, spec.loss, LOSS, batch);
  }
  graph.outputs = [{ name: LOSS, dataType: "float32", shape: [] }, ...graph.outputs.filter((o) => o.name === logits)];
  return { graph, opset, logits };
}

/** The model's opset imports, plus version 1 of any other domain the graph's nodes use (ORT's NCHWc kernels). */
function asModel(source: Model, graph: Graph, name: string): Model {
  const opsetImports = source.opsetImports.map((o) => ({ ...o }));
  for (const node of graph.nodes) {
    const domain = node.domain === "ai.onnx" ? "" : node.domain;
    if (!opsetImports.some((o) => o.domain === domain)) opsetImports.push({ domain, version: 1 });
  }
  return { ...source, opsetImports, graph: { ...graph, name }, metadata: { ...source.metadata } };
}

export function buildTrainGraph(spec: TrainSpec): TrainGraph {
  const { graph, opset } = withLoss(spec);
  useTrainModes(graph, spec, LABELS);
  const carried = useBatchStatistics(graph, new Set(spec.trainable), spec.batchNormMomentum);
  for (let i = 0; i < spec.groupCount; i++) graph.inputs.push({ name: learningRateInput(i), dataType: "float32", shape: [] });
  if (spec.momentumInput) graph.inputs.push({ name: MOMENTUM, dataType: "float32", shape: [] });
  inferShapes(graph, opset);
  if (pointwiseConvsAsMatMul(graph, new Set(spec.trainable)) > 0) inferShapes(graph, opset);
  const { gradients } = buildBackward(graph, {
    loss: LOSS,
    wrt: spec.trainable,
    opset,
    depthwiseWeightGradient: spec.depthwiseWeightGradient,
    nchwcBlockSize: spec.nchwcBlockSize,
  });
  clipMasksFromOutputs(graph);
  let gradientOf = (param: string) => gradients.get(param)!;
  if (spec.maxGradientNorm !== undefined) {
    const clipped = emitGlobalNormClip(graph, spec.trainable.map(gradientOf), spec.maxGradientNorm);
    const raw = gradientOf;
    gradientOf = (param) => clipped.gradients.get(raw(param))!;
    graph.nodes.push({ name: GRADIENT_NORM, opType: "Identity", domain: "", inputs: [clipped.norm], outputs: [GRADIENT_NORM], attributes: {} });
    graph.outputs.push({ name: GRADIENT_NORM, dataType: "float32", shape: [] });
  }
  const slots: ParamSlot[] = spec.trainable.map((param) => {
    const slot = spec.slots.get(param);
    if (!slot) throw new Error(`internal: no parameter group for '${param}'`);
    return { param, gradient: gradientOf(param), ...slot };
  });
  const learningRates = Array.from({ length: spec.groupCount }, (_, i) => learningRateInput(i));
  addOptimizerState(graph, spec);
  const update = spec.optimizer.emitUpdate(graph, { learningRates, momentum: spec.momentumInput ? MOMENTUM : undefined }, slots);
  for (const [feed, next] of [...update.params, ...update.state]) carried.set(feed, next);
  for (const next of carried.values()) graph.outputs.push({ name: next, dataType: "float32" });
  inferShapes(graph, opset);
  rankMatchedScalars(graph);
  recomputePointwiseOutputs(graph, RECOMPUTE_MIN_AREA);
  if (spec.depthwiseWeightGradient === "nchwc" && spec.nchwcBlockSize !== undefined) depthwiseConvsInNchwc(graph, spec.nchwcBlockSize);
  if (spec.cpuKernels) channelAffinesAsFusedConv(graph);
  return { model: asModel(spec.model, graph, "train_step"), carried };
}

function addOptimizerState(graph: Graph, spec: TrainSpec): void {
  for (const param of spec.trainable) {
    const dims = spec.values.get(param)?.dims ?? [];
    for (const state of spec.optimizer.stateSlots(param)) {
      graph.inputs.push({ name: state.name, dataType: "float32", shape: state.shape === "param" ? [...dims] : [] });
    }
  }
}

/** nchwcBlockSize: run depthwise convolutions on ORT's NCHWc CPU kernels (nchwc-depthwise.ts). */
export function buildEvalGraph(spec: GraphSpec & { nchwcBlockSize?: number }): Model {
  const { graph } = withLoss(spec);
  if (spec.nchwcBlockSize !== undefined) depthwiseConvsInNchwc(graph, spec.nchwcBlockSize);
  return asModel(spec.model, graph, "eval");
}

/** The model with every current value baked in, plus softmax probabilities over the classes. */
export function buildInferenceGraph(model: Model, values: ReadonlyMap<string, Tensor>): Model {
  const graph = copyWithValues(model.graph, values);
  const logits = graph.outputs[0];
  if (!logits) throw new Error("model: it has no outputs");
  // Over the classes: the last axis of [batch, classes], axis 1 of a segmenter's [batch, classes, H, W].
  const axis = (logits.shape?.length ?? 2) > 2 ? 1 : -1;
  graph.nodes.push({
    name: PROBABILITIES,
    opType: "Softmax",
    domain: "",
    inputs: [logits.name],
    outputs: [PROBABILITIES],
    attributes: { axis: attr.int(axis) },
  });
  graph.outputs.push({ name: PROBABILITIES, dataType: "float32", shape: logits.shape ? [...logits.shape] : undefined });
  return asModel(model, graph, "inference");
}
