/**
 * Rewrites trainable 1×1 convolutions (stride 1, no padding, one group) as a batched MatMul
 * before the backward pass is built:
 *   Y[n] = W·X[n]   with W [M, C], X[n] [C, H·W]
 * The same arithmetic, but the gradient rules then give dW = Σₙ dY[n]·X[n]ᵀ as one batched
 * GEMM, where the convolution's rule builds a convolution with an H×W kernel (measured 25–40×
 * slower for MobileNetV2's expand/project layers, see docs/performance.md). dX = Wᵀ·dY is a
 * GEMM too. Frozen convolutions stay Conv, so ONNX Runtime can fold and pre-pack them.
 */
import type { Graph, Node } from "../onnx/ir.ts";
import { getInt, getInts, int64Tensor } from "../onnx/ir.ts";
import { shapeOf } from "../onnx/shape-inference.ts";

function isPlainPointwise(graph: Graph, node: Node, trainable: ReadonlySet<string>): boolean {
  if (node.opType !== "Conv" || !trainable.has(node.inputs[1] ?? "")) return false;
  const weight = graph.initializers.get(node.inputs[1]!)?.dims ?? shapeOf(graph, node.inputs[1]!);
  const input = shapeOf(graph, node.inputs[0]!);
  const ones = (values: number[] | undefined) => values === undefined || values.every((v) => v === 1);
  const zeros = (values: number[] | undefined) => values === undefined || values.every((v) => v === 0);
  return (
    weight?.length === 4 &&
    weight[2] === 1 &&
    weight[3] === 1 &&
    input?.length === 4 &&
    input.slice(1).every((d) => typeof d === "number") &&
    getInt(node, "group", 1) === 1 &&
    ones(getInts(node, "strides")) &&
    ones(getInts(node, "dilations")) &&
    zeros(getInts(node, "pads")) &&
    ["NOTSET", undefined].includes(node.attributes.auto_pad?.kind === "string" ? node.attributes.auto_pad.value : undefined)
  );
}

function asMatMul(graph: Graph, node: Node): Node[] {
  const [x, w, bias] = node.inputs as [string, string, string | undefined];
  const [, channels, height, width] = shapeOf(graph, x) as [unknown, number, number, number];
  const outChannels = (graph.initializers.get(w)?.dims ?? shapeOf(graph, w))![0] as number;
  const y = node.outputs[0]!;
  const name = (suffix: string) => `${node.name}/pointwise/${suffix}`;
  const constant = (suffix: string, values: number[]) => (graph.initializers.set(name(suffix), int64Tensor([values.length], values)), name(suffix));
  const op = (opType: string, inputs: string[], output: string): Node => ({ name: output, opType, domain: "", inputs, outputs: [output], attributes: {} });
  const nodes = [
    op("Reshape", [w, constant("weight_shape", [outChannels, channels])], name("weight_2d")),
    op("Reshape", [x, constant("input_shape", [0, channels, height * width])], name("input_3d")),
    op("MatMul", [name("weight_2d"), name("input_3d")], name("output_3d")),
  ];
  const spatial = constant("output_shape", [0, outChannels, height, width]);
  if (!bias) return [...nodes, op("Reshape", [name("output_3d"), spatial], y)];
  return [
    ...nodes,
    op("Reshape", [name("output_3d"), spatial], name("output_4d")),
    op("Reshape", [bias, constant("bias_shape", [1, outChannels, 1, 1])], name("bias_4d")),
    op("Add", [name("output_4d"), name("bias_4d")], y),
  ];
}

/** Returns how many convolutions were rewritten. Needs shapes (run inferShapes first). */
export function pointwiseConvsAsMatMul(graph: Graph, trainable: ReadonlySet<string>): number {
  let rewritten = 0;
  graph.nodes = graph.nodes.flatMap((node) => {
    if (!isPlainPointwise(graph, node, trainable)) return [node];
    rewritten++;
    return asMatMul(graph, node);
  });
  return rewritten;
}
