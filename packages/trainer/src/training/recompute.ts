/**
 * Trades a little compute for memory: the output of a pointwise convolution (a MatMul after
 * pointwise-conv.ts) that feeds a training-mode BatchNormalization is computed again in the
 * backward pass, right before the BatchNormalization gradient reads it, instead of being kept
 * from the forward pass. Its inputs (the conv's input and weight) are kept anyway for the
 * weight gradient. Only large maps pay: MobileNetV2's expand convolutions on 112² and 56² hold
 * 77 and 29 MB each at batch 16, and recomputing one costs a few milliseconds. ONNX Runtime runs
 * nodes in graph order, so the copies are placed before their first reader.
 */
import type { Graph, Node } from "../onnx/ir.ts";
import { int64Tensor } from "../onnx/ir.ts";
import { shapeOf } from "../onnx/shape-inference.ts";

const isBackward = (node: Node) => node.name.includes("_grad/");

/** Returns how many pointwise outputs are recomputed; `minArea`: the smallest H·W that pays. */
export function recomputePointwiseOutputs(graph: Graph, minArea: number): number {
  const producer = new Map<string, Node>();
  for (const node of graph.nodes) for (const output of node.outputs) producer.set(output, node);
  const inserts = new Map<Node, Node[]>();
  const renames = new Map<Node, Map<string, string>>();
  let recomputed = 0;
  for (const bn of graph.nodes) {
    const training = bn.attributes.training_mode;
    if (bn.opType !== "BatchNormalization" || training?.kind !== "int" || training.value !== 1) continue;
    const x = bn.inputs[0]!;
    const reshape = producer.get(x);
    const matmul = reshape?.opType === "Reshape" ? producer.get(reshape.inputs[0]!) : undefined;
    if (!reshape || matmul?.opType !== "MatMul" || !matmul.name.includes("/pointwise/")) continue;
    const shape = shapeOf(graph, x);
    const area = shape?.slice(2).reduce<number>((a, d) => a * (typeof d === "number" ? d : 0), 1) ?? 0;
    if (shape?.length !== 4 || area < minArea) continue;
    const readers = graph.nodes.filter((n) => isBackward(n) && n.inputs.includes(x));
    if (readers.length === 0) continue;
    const weight2d = producer.get(matmul.inputs[0]!);
    const weight = weight2d?.opType === "Reshape" ? weight2d.inputs[0]! : undefined;
    if (!weight || !graph.inputs.some((i) => i.name === weight)) continue;
    const again = (name: string) => `${name}/recomputed`;
    // The copy reshapes the weight with another (equivalent) shape constant: an exact copy of the
    // MatMul would be merged back into the original by ORT's common-subexpression elimination.
    const weightShape = again(`${weight2d!.outputs[0]!}_shape`);
    graph.initializers.set(weightShape, int64Tensor([2], [shapeOf(graph, weight2d!.outputs[0]!)![0] as number, -1]));
    const copies: Node[] = [
      { ...weight2d!, name: again(weight2d!.name), inputs: [weight, weightShape], outputs: [again(weight2d!.outputs[0]!)] },
      { ...matmul, name: again(matmul.name), inputs: [again(weight2d!.outputs[0]!), ...matmul.inputs.slice(1)], outputs: [again(matmul.outputs[0]!)] },
      { ...reshape, name: again(reshape.name), inputs: [again(matmul.outputs[0]!), ...reshape.inputs.slice(1)], outputs: [again(x)] },
    ];
    for (const [original, copy] of [
      [matmul.outputs[0]!, again(matmul.outputs[0]!)],
      [x, again(x)],
    ]) {
      const info = graph.valueInfo.get(original!);
      if (info) graph.valueInfo.set(copy!, { ...info, name: copy! });
    }
    inserts.set(readers[0]!, [...(inserts.get(readers[0]!) ?? []), ...copies]);
    for (const reader of readers) renames.set(reader, new Map([...(renames.get(reader) ?? []), [x, again(x)]]));
    recomputed++;
  }
  graph.nodes = graph.nodes.flatMap((node) => {
    const rename = renames.get(node);
    const rewritten = rename ? { ...node, inputs: node.inputs.map((i) => rename.get(i) ?? i) } : node;
    return [...(inserts.get(node) ?? []), rewritten];
  });
  return recomputed;
}
