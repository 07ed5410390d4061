/**
 * Finds a model's parameters: the float initializers that layers learn (conv and linear
 * weights and biases, normalization scales and shifts) and the buffers they only track
 * (BatchNormalization running statistics). Constants such as Clip bounds or reshape targets
 * are neither.
 */
import type { Graph, Node } from "../onnx/ir.ts";

export type ParameterKind = "weight" | "bias" | "normScale" | "normBias";

export interface ParameterInfo {
  name: string;
  kind: ParameterKind;
  dims: number[];
  /** The node that uses it (the first one, in graph order). */
  node: string;
}

export interface ModelParameters {
  /** Learnable parameters in graph order (input side first). */
  parameters: ParameterInfo[];
  /** BatchNormalization running mean and variance names. */
  buffers: string[];
}

/** Input positions that hold learnable tensors, per op type. */
const LEARNABLE_INPUTS: Record<string, readonly (readonly [number, ParameterKind])[]> = {
  Conv: [
    [1, "weight"],
    [2, "bias"],
  ],
  ConvTranspose: [
    [1, "weight"],
    [2, "bias"],
  ],
  Gemm: [
    [1, "weight"],
    [2, "bias"],
  ],
  MatMul: [
    [0, "weight"],
    [1, "weight"],
  ],
  BatchNormalization: [
    [1, "normScale"],
    [2, "normBias"],
  ],
  InstanceNormalization: [
    [1, "normScale"],
    [2, "normBias"],
  ],
  LayerNormalization: [
    [1, "normScale"],
    [2, "normBias"],
  ],
  PRelu: [[1, "weight"]],
};

export function findParameters(graph: Graph): ModelParameters {
  const seen = new Set<string>();
  const parameters: ParameterInfo[] = [];
  const buffers: string[] = [];
  const isFloatInitializer = (name: string | undefined): name is string =>
    name !== undefined && name !== "" && graph.initializers.get(name)?.dataType === "float32";
  for (const node of graph.nodes) {
    for (const [index, kind] of LEARNABLE_INPUTS[node.opType] ?? []) {
      const name = node.inputs[index];
      if (!isFloatInitializer(name) || seen.has(name)) continue;
      seen.add(name);
      parameters.push({ name, kind, dims: [...graph.initializers.get(name)!.dims], node: node.name });
    }
    if (node.opType === "BatchNormalization") {
      for (const name of node.inputs.slice(3, 5)) if (isFloatInitializer(name) && !seen.has(name)) (seen.add(name), buffers.push(name));
    }
  }
  return { parameters, buffers };
}

/** The BatchNormalization nodes of a graph with their scale, bias, mean and variance names. */
export function batchNormNodes(graph: Graph): Node[] {
  return graph.nodes.filter((n) => n.opType === "BatchNormalization");
}
