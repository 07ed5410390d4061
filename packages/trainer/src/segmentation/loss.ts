/**
 * Segmentation losses as ONNX graph pieces, appended to a graph whose model outputs class
 * scores (logits) [N, C, H, W] and which takes integer labels [N, H, W]; each returns the name of
 * a scalar. Built from ops with gradient rules (SoftmaxCrossEntropyLoss, Softmax, Equal, Mul,
 * ReduceSum, Div), so the backward pass comes from the autodiff like any other loss. Constants
 * are cast to the scores' type, so the pieces run in float32 (training) and float64 (gradient
 * checks). Run shape inference after appending.
 *
 *   cross-entropy  = Σᵢ w[yᵢ]·(−log softmax(zᵢ)[yᵢ]) / Σᵢ w[yᵢ]   over pixels i with yᵢ ≠ ignore
 *                    (torch.nn.CrossEntropyLoss with weight and ignore_index; w = 1 without weights)
 *   Dice           = 1 − (1/C)·Σ_c (2·Σᵢ pᵢc·tᵢc + s) / (Σᵢ pᵢc + Σᵢ tᵢc + s)
 *                    p = softmax(z) and t = onehot(y) on kept pixels; sums over the whole batch
 *   cross-entropy + Dice = cross-entropy + diceWeight·Dice
 */
import type { Attribute, Graph } from "../onnx/ir.ts";

export type SegmentationLossKind = "crossEntropy" | "dice" | "crossEntropyDice";

export interface SegmentationLossOptions {
  /** Scores (logits) [N, C, H, W] (any rank ≥ 3: [N, C, d…]). */
  scores: string;
  /** Integer class indices [N, H, W]; the ignore index marks void pixels. */
  labels: string;
  classes: number;
  kind: SegmentationLossKind;
  /** Label value of void pixels (counted in neither loss); default 255. */
  ignoreIndex?: number;
  /** Cross-entropy weight per class (length classes, each ≥ 0, not all 0). */
  classWeights?: number[];
  /** Smoothing s of the Dice ratio (default 1): keeps it defined when a class is absent. */
  diceSmooth?: number;
  /** Factor of the Dice term in "crossEntropyDice" (default 1). */
  diceWeight?: number;
  /** Prefix of new tensor and node names (default "seg_loss"). */
  name?: string;
}

const segmentationLossKinds: readonly SegmentationLossKind[] = ["crossEntropy", "dice", "crossEntropyDice"];

export function validateSegmentationLoss(options: SegmentationLossOptions): void {
  if (!segmentationLossKinds.includes(options.kind)) throw new Error(`loss.kind must be one of ${segmentationLossKinds.join(", ")}, got '${options.kind}'`);
  if (!Number.isInteger(options.classes) || options.classes < 2) throw new Error(`loss.classes must be an integer ≥ 2, got ${options.classes}`);
  const ignoreIndex = options.ignoreIndex ?? 255;
  if (!Number.isInteger(ignoreIndex) || (ignoreIndex >= 0 && ignoreIndex < options.classes)) {
    throw new Error(`loss.ignoreIndex must be an integer outside the class indices 0-${options.classes - 1}, got ${ignoreIndex}`);
  }
  const weights = options.classWeights;
  if (weights !== undefined) {
    if (weights.length !== options.classes) throw new Error(`loss.classWeights must have ${options.classes} values (one per class), got ${weights.length}`);
    if (!weights.every((w) => Number.isFinite(w) && w >= 0) || !weights.some((w) => w > 0)) {
      throw new Error("loss.classWeights must be finite, ≥ 0 and not all 0");
    }
  }
  const smooth = options.diceSmooth ?? 1;
  if (!(Number.isFinite(smooth) && smooth >= 0)) throw new Error(`loss.diceSmooth must be ≥ 0, got ${smooth}`);
  const diceWeight = options.diceWeight ?? 1;
  if (!(Number.isFinite(diceWeight) && diceWeight >= 0)) throw new Error(`loss.diceWeight must be ≥ 0, got ${diceWeight}`);
}

interface Emitter {
  add(opType: string, inputs: string[], label: string, attributes?: Record<string, Attribute>): string;
  int64s(label: string, dims: number[], values: number[]): string;
  /** A float64 constant cast to the scores' element type. */
  scalar(label: string, values: number[], dims?: number[]): string;
}

function emitter(graph: Graph, prefix: string, scores: string): Emitter {
  const add: Emitter["add"] = (opType, inputs, label, attributes = {}) => {
    const output = `${prefix}/${label}`;
    graph.nodes.push({ name: output, opType, domain: "", inputs, outputs: [output], attributes });
    return output;
  };
  return {
    add,
    int64s: (label, dims, values) => {
      const name = `${prefix}/${label}`;
      graph.initializers.set(name, { dataType: "int64", dims, data: BigInt64Array.from(values.map(BigInt)) });
      return name;
    },
    scalar: (label, values, dims = []) => {
      const name = `${prefix}/${label}_f64`;
      graph.initializers.set(name, { dataType: "float64", dims, data: Float64Array.from(values) });
      return add("CastLike", [name, scores], label);
    },
  };
}

function scoresRank(graph: Graph, scores: string): number {
  const shape = graph.valueInfo.get(scores)?.shape ?? graph.inputs.find((v) => v.name === scores)?.shape ?? graph.outputs.find((v) => v.name === scores)?.shape;
  if (!shape) throw new Error(`segmentation loss: the rank of '${scores}' is unknown; run shape inference first`);
  if (shape.length < 3) throw new Error(`segmentation loss: scores must be [N, C, H, W] (rank ≥ 3), '${scores}' has rank ${shape.length}`);
  return shape.length;
}

/** Pixel-wise cross-entropy with ignore index and optional class weights (SoftmaxCrossEntropyLoss, mean). */
function crossEntropy(graph: Graph, options: SegmentationLossOptions, e: Emitter): string {
  const inputs = [options.scores, options.labels];
  if (options.classWeights) inputs.push(e.scalar("class_weights", options.classWeights, [options.classes]));
  const attributes: Record<string, Attribute> = {
    reduction: { kind: "string", value: "mean" },
    ignore_index: { kind: "int", value: options.ignoreIndex ?? 255 },
  };
  return e.add("SoftmaxCrossEntropyLoss", inputs, "cross_entropy", attributes);
}

/** Soft multi-class Dice over the batch, void pixels left out of both sums. */
function dice(graph: Graph, options: SegmentationLossOptions, e: Emitter): string {
  const rank = scoresRank(graph, options.scores);
  const { classes } = options;
  const keepdims = (value: number): Record<string, Attribute> => ({ keepdims: { kind: "int", value } });
  const probabilities = e.add("Softmax", [options.scores], "probabilities", { axis: { kind: "int", value: 1 } });
  // onehot[n, c, …] = [label = c] and kept[n, 1, …] = [label ≠ ignore]
  const labels = e.add("Unsqueeze", [options.labels, e.int64s("class_axis", [1], [1])], "labels_per_class");
  const classIds = e.add(
    "CastLike",
    [e.int64s("class_ids", [1, classes, ...new Array<number>(rank - 2).fill(1)], [...Array(classes).keys()]), labels],
    "class_ids_typed",
  );
  const onehot = e.add("CastLike", [e.add("Equal", [labels, classIds], "is_label"), options.scores], "onehot");
  const ignoreValue = e.add("CastLike", [e.int64s("ignore_index", [], [options.ignoreIndex ?? 255]), labels], "ignore_value");
  const kept = e.add("CastLike", [e.add("Not", [e.add("Equal", [labels, ignoreValue], "ignored")], "kept_bool"), options.scores], "kept");
  const keptProbabilities = e.add("Mul", [probabilities, kept], "kept_probabilities");
  const target = e.add("Mul", [onehot, kept], "target");
  // sums over every axis but the classes: [C]
  const axes = e.int64s("sum_axes", [rank - 1], [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]);
  const intersection = e.add("ReduceSum", [e.add("Mul", [keptProbabilities, target], "overlap"), axes], "intersection", keepdims(0));
  const predicted = e.add("ReduceSum", [keptProbabilities, axes], "predicted_sum", keepdims(0));
  const actual = e.add("ReduceSum", [target, axes], "target_sum", keepdims(0));
  const smooth = e.scalar("smooth", [options.diceSmooth ?? 1]);
  const numerator = e.add("Add", [e.add("Mul", [intersection, e.scalar("two", [2])], "twice_intersection"), smooth], "numerator");
  const denominator = e.add("Add", [e.add("Add", [predicted, actual], "sizes"), smooth], "denominator");
  const perClass = e.add("Div", [numerator, denominator], "dice_per_class");
  const meanDice = e.add("ReduceMean", [perClass], "mean_dice", keepdims(0));
  return e.add("Sub", [e.scalar("one", [1]), meanDice], "dice");
}

/** Appends the loss nodes; returns the name of the scalar loss. */
export function emitSegmentationLoss(graph: Graph, options: SegmentationLossOptions): string {
  validateSegmentationLoss(options);
  const e = emitter(graph, options.name ?? "seg_loss", options.scores);
  if (options.kind === "crossEntropy") return crossEntropy(graph, options, e);
  if (options.kind === "dice") return dice(graph, options, e);
  const total = e.add("Mul", [dice(graph, options, e), e.scalar("dice_weight", [options.diceWeight ?? 1])], "weighted_dice");
  return e.add("Add", [crossEntropy(graph, options, e), total], "total");
}
