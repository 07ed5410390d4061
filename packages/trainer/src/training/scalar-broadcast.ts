/**
 * Gives every single-element operand of a broadcasting op the rank of the op's widest operand:
 * a scalar lr becomes [1, 1, 1, 1] next to a [960, 160, 1, 1] weight. ONNX Runtime's CPU
 * kernels (1.30) take a slow per-element path when a scalar meets a tensor that ends in
 * size-1 dimensions: Mul([960, 160, 1, 1], []) runs 2.3 ms, Mul([960, 160, 1, 1], [1, 1, 1, 1])
 * 0.09 ms. Every optimizer update multiplies 1×1 conv weights by scalars (β₁, β₂, the step
 * size, the decay factor), which made AdamW about a fifth of a MobileNetV2 step. Values are
 * unchanged: only shapes of operands that broadcast anyway.
 */
import type { Graph, Node } from "../onnx/ir.ts";
import { int64Tensor } from "../onnx/ir.ts";
import { dataTypeOf, shapeOf } from "../onnx/shape-inference.ts";

const BROADCASTING_OPS = new Set([
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Pow",
  "Max",
  "Min",
  "Equal",
  "Less",
  "Greater",
  "LessOrEqual",
  "GreaterOrEqual",
  "And",
  "Or",
  "Xor",
  "Where",
]);

/** Rank of a one-element tensor, or undefined when the tensor has more (or unknown) elements. */
function singleElementRank(graph: Graph, name: string): number | undefined {
  const shape = shapeOf(graph, name);
  return shape && shape.every((d) => d === 1) ? shape.length : undefined;
}

/** Returns how many operands were given a higher rank (constants reshaped in place of their copy, others through a Reshape node). */
export function rankMatchedScalars(graph: Graph): number {
  const reshaped = new Map<string, string>();
  const nodes: Node[] = [];
  let rewritten = 0;
  const atRank = (name: string, rank: number): string => {
    const key = `${name}|${rank}`;
    const existing = reshaped.get(key);
    if (existing !== undefined) return existing;
    const output = `${name}/rank${rank}`;
    const constant = graph.initializers.get(name);
    if (constant) {
      graph.initializers.set(output, { ...constant, dims: Array<number>(rank).fill(1) });
    } else {
      const shape = `rank${rank}_ones`;
      if (!graph.initializers.has(shape)) graph.initializers.set(shape, int64Tensor([rank], Array<number>(rank).fill(1)));
      // inserted before its first consumer (nodes are in topological order), so it precedes all of them
      nodes.push({ name: output, opType: "Reshape", domain: "", inputs: [name, shape], outputs: [output], attributes: {} });
      const dataType = dataTypeOf(graph, name);
      if (dataType) graph.valueInfo.set(output, { name: output, dataType, shape: Array<number>(rank).fill(1) });
    }
    reshaped.set(key, output);
    return output;
  };
  for (const node of graph.nodes) {
    if ((node.domain === "" || node.domain === "ai.onnx") && BROADCASTING_OPS.has(node.opType)) {
      const ranks = node.inputs.filter((input) => input !== "").map((input) => shapeOf(graph, input)?.length);
      const widest = Math.max(...ranks.map((r) => r ?? 0));
      node.inputs = node.inputs.map((input) => {
        if (input === "" || ranks.some((r) => r === undefined)) return input;
        const rank = singleElementRank(graph, input);
        if (rank === undefined || rank >= widest) return input;
        rewritten++;
        return atRank(input, widest);
      });
    }
    nodes.push(node);
  }
  graph.nodes = nodes;
  // constants whose every reader now takes a copy at a higher rank
  const read = new Set(nodes.flatMap((n) => n.inputs));
  for (const key of reshaped.keys()) {
    const name = key.slice(0, key.lastIndexOf("|"));
    if (graph.initializers.has(name) && !read.has(name) && !graph.outputs.some((o) => o.name === name)) graph.initializers.delete(name);
  }
  return rewritten;
}
