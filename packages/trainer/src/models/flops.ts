/**
 * Floating-point operations of one forward pass, counted from the graph's recorded shapes
 * (graph inputs, initializers, valueInfo: synthetic models record them; run shape inference
 * on imported models first). A multiply-add counts as 2 FLOPs.
 */
import type { Dim, Graph, Node } from "../onnx/ir.ts";

export interface FlopCount {
  /** Total FLOPs of one forward pass at the given batch size. */
  total: number;
  /** Multiply-accumulates of Conv, Gemm and MatMul (the figure papers quote as "FLOPs"). */
  multiplyAccumulates: number;
  byOpType: Record<string, number>;
}

export interface FlopOptions {
  /** Value of every symbolic dimension (default: 1 for each). */
  symbols?: Record<string, number>;
}

/** Ops that move or relabel data without arithmetic. */
const FREE_OPS = new Set([
  "Concat",
  "Flatten",
  "Reshape",
  "Dropout",
  "Identity",
  "Constant",
  "Shape",
  "Gather",
  "Squeeze",
  "Unsqueeze",
  "Transpose",
  "Slice",
  "Split",
  "Cast",
]);
/** Elementwise ops: one FLOP per output element (a handful for the composite activations). */
const ELEMENTWISE_COST: Record<string, number> = {
  Add: 1,
  Sub: 1,
  Mul: 1,
  Div: 1,
  Relu: 1,
  Clip: 1,
  Sigmoid: 4,
  HardSigmoid: 3,
  HardSwish: 4,
  Tanh: 4,
  Exp: 1,
  Sqrt: 1,
  Neg: 1,
  Softmax: 5,
  LogSoftmax: 5,
};

type ShapeOf = (name: string) => number[];

function shapeResolver(graph: Graph, options: FlopOptions): ShapeOf {
  const shapes = new Map<string, readonly Dim[] | undefined>();
  for (const v of [...graph.inputs, ...graph.outputs, ...graph.valueInfo.values()]) shapes.set(v.name, v.shape);
  for (const [name, t] of graph.initializers) shapes.set(name, t.dims);
  return (name) => {
    const shape = shapes.get(name);
    if (!shape) throw new Error(`tensor '${name}': shape unknown; run shape inference before counting FLOPs`);
    return shape.map((d) => {
      if (typeof d === "number") return d;
      if (d === null) throw new Error(`tensor '${name}': has a dimension of unknown size`);
      return options.symbols?.[d] ?? 1;
    });
  };
}

const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/** FLOPs of one node and its multiply-accumulates. */
function nodeFlops(node: Node, shapeOf: ShapeOf): { flops: number; macs: number } {
  const output = () => product(shapeOf(node.outputs[0] ?? ""));
  const input = (i: number) => shapeOf(node.inputs[i] ?? "");
  switch (node.opType) {
    case "Conv": {
      // Each output element sums C_in/groups · k_h · k_w products.
      const macs = output() * product(input(1).slice(1));
      return { flops: 2 * macs + (node.inputs[2] ? output() : 0), macs };
    }
    case "Gemm":
    case "MatMul": {
      const a = input(0);
      const inner = node.opType === "Gemm" && node.attributes.transA?.kind === "int" && node.attributes.transA.value === 1 ? a[0] : a.at(-1);
      const macs = output() * (inner ?? 1);
      return { flops: 2 * macs + (node.inputs[2] ? output() : 0), macs };
    }
    // Inference-mode BN is a per-channel scale and shift.
    case "BatchNormalization":
      return { flops: 2 * output(), macs: 0 };
    case "MaxPool":
    case "AveragePool": {
      const kernel = node.attributes.kernel_shape;
      return { flops: output() * (kernel?.kind === "ints" ? product(kernel.value) : 1), macs: 0 };
    }
    case "GlobalAveragePool":
    case "GlobalMaxPool":
    case "ReduceMean":
    case "ReduceSum":
      return { flops: product(input(0)), macs: 0 };
  }
  if (FREE_OPS.has(node.opType)) return { flops: 0, macs: 0 };
  const cost = ELEMENTWISE_COST[node.opType];
  if (cost === undefined) throw new Error(`${node.opType} node '${node.name}': no FLOP formula for this op type`);
  return { flops: cost * output(), macs: 0 };
}

export function countFlops(graph: Graph, options: FlopOptions = {}): FlopCount {
  const shapeOf = shapeResolver(graph, options);
  const byOpType: Record<string, number> = {};
  let total = 0;
  let multiplyAccumulates = 0;
  for (const node of graph.nodes) {
    const { flops, macs } = nodeFlops(node, shapeOf);
    byOpType[node.opType] = (byOpType[node.opType] ?? 0) + flops;
    total += flops;
    multiplyAccumulates += macs;
  }
  return { total, multiplyAccumulates, byOpType };
}
