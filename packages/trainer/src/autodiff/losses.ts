/**
 * Loss graphs built from differentiable ONNX ops. ONNX's SoftmaxCrossEntropyLoss has no label
 * smoothing, so the smoothed loss is composed: target = (1 − ε)·onehot + ε/C, and
 * loss = −Σ_c target ⊙ LogSoftmax(scores), averaged over the samples not ignored.
 */
import type { Attribute, Graph } from "../onnx/ir.ts";

export interface SmoothedCrossEntropyOptions {
  /** Scores (logits) [N, C] or [N, C, d…]. */
  scores: string;
  /** Integer labels [N] or [N, d…]. */
  labels: string;
  classes: number;
  /** ε in [0, 1): the probability mass spread evenly over all classes. */
  smoothing: number;
  reduction?: "mean" | "sum";
  /** Label value whose samples count neither in the loss nor in the mean. */
  ignoreIndex?: number;
  /** Prefix of the new tensor and node names (default "loss"). */
  name?: string;
}

function validate(options: SmoothedCrossEntropyOptions): void {
  if (!(options.smoothing >= 0 && options.smoothing < 1)) throw new Error(`smoothing must be in [0, 1), got ${options.smoothing}`);
  if (!Number.isInteger(options.classes) || options.classes < 1) throw new Error(`classes must be a positive integer, got ${options.classes}`);
}

/** Appends the loss nodes to the graph; returns the name of the scalar loss. Run shape inference afterwards. */
export function softmaxCrossEntropyWithLabelSmoothing(graph: Graph, options: SmoothedCrossEntropyOptions): string {
  validate(options);
  const prefix = options.name ?? "loss";
  const { classes, smoothing } = options;
  const add = (opType: string, inputs: string[], label: string, attributes: Record<string, Attribute> = {}): string => {
    const output = `${prefix}/${label}`;
    graph.nodes.push({ name: output, opType, domain: "", inputs, outputs: [output], attributes });
    return output;
  };
  const int64s = (label: string, values: number[]): string => {
    const name = `${prefix}/${label}`;
    graph.initializers.set(name, { dataType: "int64", dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    return name;
  };
  const keepdims = (value: number): Record<string, Attribute> => ({ keepdims: { kind: "int", value } });

  const logProb = add("LogSoftmax", [options.scores], "log_prob", { axis: { kind: "int", value: 1 } });
  let labels = options.labels;
  let kept: string | undefined;
  if (options.ignoreIndex !== undefined) {
    const ignoreValue = add("CastLike", [int64s("ignore_index", [options.ignoreIndex]), options.labels], "ignore_value");
    const ignored = add("Equal", [options.labels, ignoreValue], "ignored");
    labels = add("Where", [ignored, add("CastLike", [int64s("class_0", [0]), options.labels], "class_0_value"), options.labels], "kept_labels");
    kept = add("CastLike", [add("Not", [ignored], "kept"), options.scores], "kept_weight");
  }
  // target = onehot(label) ⊙ (1 − ε) + ε / C
  const classIds = add("CastLike", [int64s("class_ids", [...Array(classes).keys()]), options.labels], "class_ids_typed");
  const classAxis = int64s("class_axis", [1]);
  const perClass = add("Unsqueeze", [labels, classAxis], "labels_per_class");
  const rank = graph.valueInfo.get(options.scores)?.shape?.length ?? graph.inputs.find((v) => v.name === options.scores)?.shape?.length ?? 2;
  const idsShape = int64s("class_ids_shape", [1, classes, ...new Array<number>(rank - 2).fill(1)]);
  const isLabel = add("Equal", [perClass, add("Reshape", [classIds, idsShape], "class_ids_laid_out")], "is_label");
  const onehot = add("CastLike", [isLabel, options.scores], "onehot");
  const scalar = (label: string, value: number) => {
    graph.initializers.set(`${prefix}/${label}_f64`, { dataType: "float64", dims: [], data: Float64Array.from([value]) });
    return add("CastLike", [`${prefix}/${label}_f64`, options.scores], label);
  };
  const target = add("Add", [add("Mul", [onehot, scalar("on", 1 - smoothing)], "onehot_scaled"), scalar("off", smoothing / classes)], "target");
  // loss per sample = −Σ_c target ⊙ log softmax(scores)
  const crossEntropy = add("ReduceSum", [add("Mul", [target, logProb], "target_log_prob"), classAxis], "target_dot_log_prob", keepdims(0));
  let perSample = add("Neg", [crossEntropy], "per_sample");
  if (kept) perSample = add("Mul", [perSample, kept], "per_sample_kept");
  const total = add("ReduceSum", [perSample], "total", keepdims(0));
  if (options.reduction === "sum") return total;
  // mean over the samples kept
  const count = kept
    ? add("ReduceSum", [kept], "kept_count", keepdims(0))
    : add("CastLike", [add("Size", [perSample], "sample_count_int"), options.scores], "sample_count");
  return add("Div", [total, count], "mean");
}
