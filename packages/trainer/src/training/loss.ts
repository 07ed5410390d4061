/**
 * Softmax cross-entropy with optional label smoothing, as torch.nn.CrossEntropyLoss
 * (mean over the batch). With K classes, targets t (one-hot labels, or soft rows summing to 1
 * such as mixup's λ·onehot(y) + (1 − λ)·onehot(y_π)) and smoothing ε:
 *   t' = (1 − ε)·t + ε/K        and        loss = −(1/B)·Σᵦ Σₖ t'ₖ·log softmax(z)ₖ
 * Integer labels become one-hot rows first, so from t on both forms run the same nodes: a
 * one-hot soft target gives exactly the loss and gradients of its label. The sum reduces over
 * all axes and 1/B comes from the targets' shape, so the batch size can vary and the backward
 * pass needs no static size.
 */
import type { Dim, Graph } from "../onnx/ir.ts";
import { attr, floatTensor, int64Tensor } from "../onnx/ir.ts";
import { emitSegmentationLoss, type SegmentationLossKind } from "../segmentation/loss.ts";

/** Classification: one label (or soft target row) per image. */
export interface ClassificationLossConfig {
  kind: "softmaxCrossEntropy";
  /** ε in [0, 1); default 0. */
  labelSmoothing?: number;
  /**
   * What the train step is fed: "labels" (default), int64 [batch]; or "soft", float32
   * [batch, classes] target rows (exact mixup). Evaluation always takes labels.
   */
  targets?: "labels" | "soft";
}

/**
 * Semantic segmentation: scores [batch, classes, H, W] against int64 labels [batch, H, W], with
 * segmentation/loss.ts's pixel-wise losses (cross-entropy with ignore index and class weights,
 * Dice, or their sum).
 */
export interface SegmentationLossConfig {
  kind: "segmentation";
  /** Default "crossEntropy". */
  criterion?: SegmentationLossKind;
  /** Label of void pixels, counted in no loss; default 255. */
  ignoreIndex?: number;
  classWeights?: number[];
  diceSmooth?: number;
  diceWeight?: number;
  /** Segmentation trains on labels only. */
  targets?: "labels";
}

export type LossConfig = ClassificationLossConfig | SegmentationLossConfig;

const FLOAT = 1;
const ONEHOT = "loss/onehot";

const segmentationCriteria: readonly SegmentationLossKind[] = ["crossEntropy", "dice", "crossEntropyDice"];

export function validateLossConfig(config: LossConfig): void {
  if (config.kind === "segmentation") {
    const criterion = config.criterion ?? "crossEntropy";
    if (!segmentationCriteria.includes(criterion)) throw new Error(`loss.criterion must be one of ${segmentationCriteria.join(", ")}, got '${criterion}'`);
    if ((config.targets ?? "labels") !== "labels") throw new Error(`loss.targets must be "labels" for segmentation (no soft targets), got '${config.targets}'`);
    // The rest depends on the class count: checked when the loss is emitted (validateSegmentationLoss).
    return;
  }
  if (config.kind !== "softmaxCrossEntropy")
    throw new Error(`loss.kind must be "softmaxCrossEntropy" or "segmentation", got '${(config as { kind: string }).kind}'`);
  const smoothing = config.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`loss.labelSmoothing must be in [0, 1), got ${smoothing}`);
  const targets = config.targets ?? "labels";
  if (targets !== "labels" && targets !== "soft") throw new Error(`loss.targets must be "labels" or "soft", got '${targets}'`);
}

type Emit = (opType: string, inputs: string[], output: string, shape: Dim[], attributes?: object, dataType?: "float32" | "int64") => string;

/** Shapes are known here; they are recorded so the backward pass needs no inference over OneHot. */
function emitter(graph: Graph): Emit {
  return (opType, inputs, output, shape, attributes = {}, dataType = "float32") => {
    graph.nodes.push({ name: output, opType, domain: "", inputs, outputs: [output], attributes: attributes as Graph["nodes"][number]["attributes"] });
    graph.valueInfo.set(output, { name: output, dataType, shape });
    return output;
  };
}

/** Cross-entropy against int64 labels [batch]: one-hot rows, then the soft-target loss. */
export function emitCrossEntropy(
  graph: Graph,
  logits: string,
  labels: string,
  classCount: number,
  config: ClassificationLossConfig,
  loss = "loss",
  batch: Dim = "batch",
): string {
  checkClasses(classCount);
  graph.initializers.set("loss/depth", int64Tensor([], [classCount]));
  graph.initializers.set("loss/onehot_values", floatTensor([2], [0, 1]));
  const onehot = emitter(graph)("OneHot", [labels, "loss/depth", "loss/onehot_values"], ONEHOT, [batch, classCount], { axis: attr.int(-1) });
  return emitSoftCrossEntropy(graph, logits, onehot, classCount, config, loss, batch);
}

/** Cross-entropy against float targets [batch, classes]. */
export function emitSoftCrossEntropy(
  graph: Graph,
  logits: string,
  targets: string,
  classCount: number,
  config: ClassificationLossConfig,
  loss = "loss",
  batch: Dim = "batch",
): string {
  validateLossConfig(config);
  checkClasses(classCount);
  const smoothing = config.labelSmoothing ?? 0;
  const node = emitter(graph);
  const perClass: Dim[] = [batch, classCount];
  let target = targets;
  if (smoothing > 0) {
    graph.initializers.set("loss/kept", floatTensor([], [1 - smoothing]));
    graph.initializers.set("loss/spread", floatTensor([], [smoothing / classCount]));
    // t' = (1 − ε)·t + ε/K
    target = node("Add", [node("Mul", [targets, "loss/kept"], "loss/target_kept", perClass), "loss/spread"], "loss/target", perClass);
  }
  graph.initializers.set("loss/minus_one", floatTensor([], [-1]));
  const logProbabilities = node("LogSoftmax", [logits], "loss/log_probabilities", perClass, { axis: attr.int(1) });
  const weighted = node("Mul", [target, logProbabilities], "loss/weighted", perClass);
  const total = node("ReduceSum", [weighted], "loss/total", [], { keepdims: attr.int(0) });
  // −1/B, from the targets' shape (not differentiable)
  graph.initializers.set("loss/first", int64Tensor([1], [0]));
  graph.initializers.set("loss/second", int64Tensor([1], [1]));
  const targetShape = node("Shape", [targets], "loss/target_shape", [2], {}, "int64");
  const batchSize = node("Slice", [targetShape, "loss/first", "loss/second"], "loss/batch_size", [1], {}, "int64");
  const batchFloat = node("Cast", [batchSize], "loss/batch_size_float", [1], { to: attr.int(FLOAT) });
  const scale = node("Squeeze", [node("Div", ["loss/minus_one", batchFloat], "loss/minus_inverse_batch", [1])], "loss/scale", []);
  return node("Mul", [total, scale], loss, []);
}

/**
 * The loss of a segmentation model over int64 labels [batch, H, W] (the scores' spatial size):
 * adds the labels input and the loss nodes, with the scalar named `loss`.
 */
export function emitSegmentationLossOf(
  graph: Graph,
  scores: string,
  scoresShape: readonly Dim[],
  labels: string,
  config: SegmentationLossConfig,
  loss = "loss",
): string {
  if (scoresShape.length < 3) throw new Error(`loss: a segmentation model must output scores [batch, classes, H, W], got [${scoresShape}]`);
  const classes = scoresShape[1];
  if (typeof classes !== "number") throw new Error(`loss: the model's scores [${scoresShape}] need a fixed class count`);
  graph.inputs.push({ name: labels, dataType: "int64", shape: [scoresShape[0] ?? "batch", ...scoresShape.slice(2)] });
  const value = emitSegmentationLoss(graph, {
    scores,
    labels,
    classes,
    kind: config.criterion ?? "crossEntropy",
    ...(config.ignoreIndex === undefined ? {} : { ignoreIndex: config.ignoreIndex }),
    ...(config.classWeights === undefined ? {} : { classWeights: config.classWeights }),
    ...(config.diceSmooth === undefined ? {} : { diceSmooth: config.diceSmooth }),
    ...(config.diceWeight === undefined ? {} : { diceWeight: config.diceWeight }),
    name: `${loss}/segmentation`,
  });
  graph.nodes.push({ name: `${loss}/identity`, opType: "Identity", domain: "", inputs: [value], outputs: [loss], attributes: {} });
  graph.valueInfo.set(loss, { name: loss, dataType: "float32", shape: [] });
  return loss;
}

function checkClasses(classCount: number): void {
  if (!Number.isInteger(classCount) || classCount < 2) throw new Error(`loss: the model must output at least 2 classes, got ${classCount}`);
}

/**
 * Turns the labels loss of emitCrossEntropy into the same loss over a float targets feed
 * [batch, classes]: the one-hot node goes, its consumers read the targets, so every node from
 * t on is the one the labels would have run.
 */
export function useSoftTargets(graph: Graph, labels: string, targets: string): void {
  const index = graph.nodes.findIndex((n) => n.opType === "OneHot" && n.inputs[0] === labels && n.outputs[0] === ONEHOT);
  const input = graph.inputs.findIndex((v) => v.name === labels);
  if (index < 0 || input < 0) throw new Error(`internal: no cross-entropy over the labels input '${labels}' to switch to soft targets`);
  graph.nodes.splice(index, 1);
  for (const node of graph.nodes) node.inputs = node.inputs.map((name) => (name === ONEHOT ? targets : name));
  const classes = Number((graph.initializers.get("loss/depth")!.data as BigInt64Array)[0]);
  graph.inputs[input] = { name: targets, dataType: "float32", shape: [graph.inputs[input]!.shape?.[0] ?? "batch", classes] };
  graph.initializers.delete("loss/depth");
  graph.initializers.delete("loss/onehot_values");
  graph.valueInfo.delete(ONEHOT);
}
