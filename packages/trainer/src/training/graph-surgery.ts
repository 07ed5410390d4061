/**
 * Small edits shared by the train, eval and inference graph builders: copy a model graph with
 * current parameter values, turn parameters into feeds, switch BatchNormalization to batch
 * statistics.
 */
import type { Graph, Tensor, ValueInfo } from "../onnx/ir.ts";
import { attr } from "../onnx/ir.ts";
import { nextName } from "../optim/index.ts";

/** A copy of the graph whose initializers hold `values` where given (tensors are shared, not copied). */
export function copyWithValues(graph: Graph, values: ReadonlyMap<string, Tensor>): Graph {
  const initializers = new Map(graph.initializers);
  for (const [name, tensor] of values) if (initializers.has(name)) initializers.set(name, tensor);
  return {
    name: graph.name,
    nodes: graph.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attributes: { ...n.attributes } })),
    inputs: graph.inputs.map((v) => ({ ...v })),
    outputs: graph.outputs.map((v) => ({ ...v })),
    initializers,
    valueInfo: new Map(graph.valueInfo),
  };
}

/** Moves initializers to graph inputs (fed each run), keeping their shapes. */
export function makeFeeds(graph: Graph, names: readonly string[]): void {
  for (const name of names) {
    const tensor = graph.initializers.get(name);
    if (!tensor) throw new Error(`internal: '${name}' is not an initializer of the graph`);
    graph.initializers.delete(name);
    graph.inputs.push({ name, dataType: tensor.dataType, shape: [...tensor.dims] });
  }
}

/**
 * Puts BatchNormalization nodes whose scale trains into training mode: they normalize with the
 * batch's statistics and output updated running statistics,
 *   running ← (1 − momentum)·running + momentum·batch      (PyTorch's momentum, 0.1 by default)
 * ONNX's momentum attribute weighs the running value, so it is 1 − momentum. ONNX uses the
 * biased batch variance for the running variance, where PyTorch uses the unbiased one (a factor
 * N/(N−1), N = batch·height·width). Returns the running statistics → their updated names.
 */
export function useBatchStatistics(graph: Graph, trainable: ReadonlySet<string>, momentum: number): Map<string, string> {
  const updated = new Map<string, string>();
  for (const node of graph.nodes) {
    if (node.opType !== "BatchNormalization" || !trainable.has(node.inputs[1] ?? "")) continue;
    const [mean, variance] = [node.inputs[3], node.inputs[4]];
    if (!mean || !variance) throw new Error(`BatchNormalization node '${node.name}': it has no running statistics`);
    node.attributes = { ...node.attributes, training_mode: attr.int(1), momentum: attr.float(1 - momentum) };
    node.outputs = [node.outputs[0]!, nextName(mean), nextName(variance)];
    updated.set(mean, nextName(mean));
    updated.set(variance, nextName(variance));
  }
  return updated;
}

/**
 * Fixes the symbolic batch dimension of the first input to `size` everywhere it appears, so
 * the backward pass sees static shapes (pooling and normalization gradients need them) and
 * ONNX Runtime can plan memory ahead.
 */
export function fixBatchSize(graph: Graph, size: number): void {
  const symbol = graph.inputs[0]?.shape?.[0];
  if (typeof symbol === "number") {
    if (symbol !== size) throw new Error(`input: the model's batch size is fixed at ${symbol}, got a batch of ${size}`);
    return;
  }
  const fix = (info: ValueInfo): ValueInfo =>
    info.shape ? { ...info, shape: info.shape.map((d) => (d === symbol || (d === null && info === graph.inputs[0]) ? size : d)) } : info;
  graph.inputs = graph.inputs.map(fix);
  graph.outputs = graph.outputs.map(fix);
  graph.valueInfo = new Map([...graph.valueInfo].map(([name, info]) => [name, fix(info)]));
}
