/**
 * Softmax cross-entropy with optional label smoothing, as torch.nn.CrossEntropyLoss
 * (mean over the batch). With K classes and smoothing ε the target is
 *   t = (1 − ε)·onehot(y) + ε/K        and        loss = −(1/B)·Σᵦ Σₖ tₖ·log softmax(z)ₖ
 * The sum reduces over all axes (no axes input: the same in every opset) and 1/B comes from
 * the labels' shape, so the batch size can vary and the backward pass needs no static size.
 */
import type { Dim, Graph } from "../onnx/ir.ts";
import { attr, floatTensor, int64Tensor } from "../onnx/ir.ts";

export interface LossConfig {
  kind: "softmaxCrossEntropy";
  /** ε in [0, 1); default 0. */
  labelSmoothing?: number;
}

const FLOAT = 1;

/** batch: the batch dimension of the logits (symbolic or fixed), recorded in the value infos. */
export function emitCrossEntropy(graph: Graph, logits: string, labels: string, classCount: number, config: LossConfig, loss = "loss", batch: Dim = "batch"): string {
  const smoothing = config.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`loss.labelSmoothing must be in [0, 1), got ${smoothing}`);
  if (!Number.isInteger(classCount) || classCount < 2) throw new Error(`loss: the model must output at least 2 classes, got ${classCount}`);
  graph.initializers.set("loss/depth", int64Tensor([], [classCount]));
  graph.initializers.set("loss/onehot_values", floatTensor([2], [smoothing / classCount, 1 - smoothing + smoothing / classCount]));
  graph.initializers.set("loss/minus_one", floatTensor([], [-1]));
  // Shapes are known here; they are recorded so the backward pass needs no inference over OneHot.
  const node = (opType: string, inputs: string[], output: string, shape: Dim[], attributes = {}, dataType: "float32" | "int64" = "float32") => {
    graph.nodes.push({ name: output, opType, domain: "", inputs, outputs: [output], attributes });
    graph.valueInfo.set(output, { name: output, dataType, shape });
    return output;
  };
  const perClass: Dim[] = [batch, classCount];
  // t: off-class ε/K, true class 1 − ε + ε/K
  const target = node("OneHot", [labels, "loss/depth", "loss/onehot_values"], "loss/target", perClass, { axis: attr.int(-1) });
  const logProbabilities = node("LogSoftmax", [logits], "loss/log_probabilities", perClass, { axis: attr.int(1) });
  const weighted = node("Mul", [target, logProbabilities], "loss/weighted", perClass);
  const total = node("ReduceSum", [weighted], "loss/total", [], { keepdims: attr.int(0) });
  // −1/B, from the labels' shape (not differentiable)
  const batchSize = node("Shape", [labels], "loss/batch_size", [1], {}, "int64");
  const batchFloat = node("Cast", [batchSize], "loss/batch_size_float", [1], { to: attr.int(FLOAT) });
  const scale = node("Squeeze", [node("Div", ["loss/minus_one", batchFloat], "loss/minus_inverse_batch", [1])], "loss/scale", []);
  return node("Mul", [total, scale], loss, []);
}
