/**
 * Per-channel affine combinations of two tensors, a·P + b·Q + c with a, b, c of shape
 * [1, C, 1, 1] (the BatchNormalization training gradient dX = a·dY + b·X + c), as one
 * ONNX Runtime CPU `FusedConv` instead of two Muls and two Adds: a depthwise 1×1 convolution
 * of P with weight a and bias c that adds b·Q as its Sum input (com.microsoft FusedConv's Z).
 * Two full-tensor passes instead of four. Measured bit-identical to the four ops on an AVX-512
 * CPU (ORT adds the product, then the bias, then Z, each rounded once, as the Adds did).
 * MobileNetV2 full step ×0.89 (docs/performance.md).
 */
import type { Graph, Node } from "../onnx/ir.ts";
import { attr, int64Tensor } from "../onnx/ir.ts";
import { shapeOf } from "../onnx/shape-inference.ts";

const CONTRIB_DOMAIN = "com.microsoft";

type Producers = ReadonlyMap<string, Node>;

/** Channel count when `name` is a fixed [1, C, 1, 1] tensor. */
function perChannel(graph: Graph, name: string): number | undefined {
  const shape = shapeOf(graph, name);
  if (!shape || shape.length !== 4 || shape[0] !== 1 || shape[2] !== 1 || shape[3] !== 1 || typeof shape[1] !== "number") return undefined;
  return shape[1];
}

/** [tensor, coefficient] of a Mul of an [N, C, H, W] float tensor by a per-channel coefficient. */
function scaledTensor(graph: Graph, producers: Producers, name: string, channels: number): [string, string] | undefined {
  const mul = producers.get(name);
  if (!mul || mul.opType !== "Mul" || mul.domain !== "" || mul.inputs.length !== 2) return undefined;
  for (const [tensor, coefficient] of [mul.inputs, [...mul.inputs].reverse()] as [string, string][]) {
    const shape = shapeOf(graph, tensor);
    if (perChannel(graph, coefficient) === channels && shape?.length === 4 && shape[1] === channels && graph.valueInfo.get(tensor)?.dataType === "float32")
      return [tensor, coefficient];
  }
  return undefined;
}

interface ChannelAffine {
  /** The outer Add, the inner Add and the Mul by a: replaced. */
  replaced: Node[];
  p: string;
  a: string;
  /** The Mul b·Q, kept: it becomes the FusedConv's Sum input. */
  q: string;
  c: string;
  channels: number;
}

function match(graph: Graph, producers: Producers, readerCount: ReadonlyMap<string, number>, outer: Node): ChannelAffine | undefined {
  if (outer.opType !== "Add" || outer.domain !== "" || outer.inputs.length !== 2) return undefined;
  for (const [sum, c] of [outer.inputs, [...outer.inputs].reverse()] as [string, string][]) {
    const channels = perChannel(graph, c);
    const inner = producers.get(sum);
    if (channels === undefined || !inner || inner.opType !== "Add" || inner.domain !== "" || readerCount.get(sum) !== 1) continue;
    const [first, second] = inner.inputs as [string, string];
    for (const [pTerm, qTerm] of [
      [first, second],
      [second, first],
    ] as [string, string][]) {
      const p = scaledTensor(graph, producers, pTerm, channels);
      const q = scaledTensor(graph, producers, qTerm, channels);
      if (!p || !q || readerCount.get(pTerm) !== 1) continue;
      if (String(shapeOf(graph, p[0])) !== String(shapeOf(graph, q[0]))) continue;
      return { replaced: [outer, inner, producers.get(pTerm)!], p: p[0], a: p[1], q: qTerm, c, channels };
    }
  }
  return undefined;
}

/** Returns how many affine combinations now run as FusedConv. For graphs on ORT's CPU provider. */
export function channelAffinesAsFusedConv(graph: Graph): number {
  const producers = new Map<string, Node>();
  const readerCount = new Map<string, number>();
  for (const node of graph.nodes) {
    for (const output of node.outputs) producers.set(output, node);
    for (const input of node.inputs) readerCount.set(input, (readerCount.get(input) ?? 0) + 1);
  }
  for (const output of graph.outputs) readerCount.set(output.name, (readerCount.get(output.name) ?? 0) + 1);
  const replacements = new Map<Node, Node[]>();
  const removed = new Set<Node>();
  for (const node of graph.nodes) {
    const affine = match(graph, producers, readerCount, node);
    if (!affine || affine.replaced.some((n) => removed.has(n))) continue;
    for (const n of affine.replaced) removed.add(n);
    const name = node.name || node.outputs[0]!;
    const reshape = (input: string, label: string, dims: number[]): Node => {
      graph.initializers.set(`${name}/fused/${label}_shape`, int64Tensor([dims.length], dims));
      return {
        name: `${name}/fused/${label}`,
        opType: "Reshape",
        domain: "",
        inputs: [input, `${name}/fused/${label}_shape`],
        outputs: [`${name}/fused/${label}`],
        attributes: {},
      };
    };
    const weight = reshape(affine.a, "weight", [affine.channels, 1, 1, 1]);
    const bias = reshape(affine.c, "bias", [affine.channels]);
    const conv: Node = {
      name: `${name}/fused`,
      opType: "FusedConv",
      domain: CONTRIB_DOMAIN,
      inputs: [affine.p, weight.outputs[0]!, bias.outputs[0]!, affine.q],
      outputs: [...node.outputs],
      attributes: { group: attr.int(affine.channels), kernel_shape: attr.ints([1, 1]) },
    };
    replacements.set(node, [weight, bias, conv]);
  }
  graph.nodes = graph.nodes.flatMap((node) => replacements.get(node) ?? (removed.has(node) ? [] : [node]));
  return replacements.size;
}
