import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./builder.ts";
import { evaluateGraph } from "./evaluate.ts";
import { foldConstants } from "./fold-constants.ts";
import { bindSymbolicDims } from "./graph-tools.ts";
import { attr, floatTensor, type Graph, type Tensor } from "./ir.ts";
import { shapeOf } from "./shape-inference.ts";
import { randomTensor } from "./testing/shape-check.ts";

/** Conv features flattened the way torch.onnx exports `x.view(x.size(0), -1)`. */
function exportedClassifier(inputShape: (number | string)[]): Graph {
  const b = new GraphBuilder("exported");
  const x = b.input("x", "float32", inputShape);
  const conv = b.op("Conv", [x, b.initializer("conv.weight", randomTensor("float32", [4, 3, 3, 3], 2))], { pads: attr.ints([1, 1, 1, 1]) });
  const shape = b.op("Shape", [conv]);
  const batch = b.op("Unsqueeze", [b.op("Gather", [shape, b.int64Scalar(0)], { axis: attr.int(0) }), b.int64s([0])]);
  const target = b.op("Concat", [batch, b.int64s([-1])], { axis: attr.int(0) });
  const flat = b.op("Reshape", [conv, target]);
  // A weight stored transposed, as some exporters do: Transpose(W) is a constant too.
  const weight = b.op("Transpose", [b.initializer("fc.weight", randomTensor("float32", [5, 64], 3))]);
  b.output("logits", "float32", undefined, b.op("MatMul", [flat, weight]));
  return b.build();
}

async function logits(graph: Graph, x: Tensor): Promise<Float32Array> {
  const result = await evaluateGraph(graph, new Map([["x", x]]), [{ name: "logits", dataType: "float32" }]);
  return result.get("logits")?.data as Float32Array;
}

describe("foldConstants", () => {
  it("folds a torchvision-style shape chain and a weight transpose; ORT outputs stay the same", async () => {
    const graph = exportedClassifier([2, 3, 4, 4]);
    const x = randomTensor("float32", [2, 3, 4, 4], 11);
    const before = await logits(graph, x);
    const { folded } = await foldConstants(graph);
    expect(folded.length).toBe(8);
    expect(graph.nodes.map((n) => n.opType)).toEqual(["Conv", "Reshape", "MatMul", "Identity"]);
    const reshape = graph.nodes[1] as Graph["nodes"][number];
    expect(graph.initializers.get(reshape.inputs[1] ?? "")?.data).toEqual(BigInt64Array.of(2n, -1n));
    expect(graph.initializers.has("fc.weight")).toBe(false);
    expect(shapeOf(graph, reshape.outputs[0] ?? "")).toEqual([2, 64]);
    expect(await logits(graph, x)).toEqual(before);
  });

  it("keeps the shape chain when the batch dim is symbolic, folding only what is constant", async () => {
    const graph = exportedClassifier(["batch", 3, 4, 4]);
    await foldConstants(graph);
    expect(graph.nodes.map((n) => n.opType)).toEqual(["Conv", "Shape", "Gather", "Unsqueeze", "Concat", "Reshape", "MatMul", "Identity"]);
    const x = randomTensor("float32", [3, 3, 4, 4], 5);
    expect((await logits(graph, x)).length).toBe(15);
  });

  it("folds the chain once the symbolic batch dim is bound", async () => {
    const graph = exportedClassifier(["batch", 3, 4, 4]);
    const x = randomTensor("float32", [3, 3, 4, 4], 5);
    const before = await logits(graph, x);
    bindSymbolicDims(graph, { batch: 3 });
    await foldConstants(graph);
    expect(graph.nodes.map((n) => n.opType)).toEqual(["Conv", "Reshape", "MatMul", "Identity"]);
    expect(await logits(graph, x)).toEqual(before);
  });

  it("never folds through variables (trainable initializers)", async () => {
    const graph = exportedClassifier([1, 3, 4, 4]);
    await foldConstants(graph, { variables: new Set(["fc.weight"]) });
    expect(graph.nodes.map((n) => n.opType)).toContain("Transpose");
    expect(graph.initializers.has("fc.weight")).toBe(true);
  });

  it("does not fold random ops, nor ops whose result is much larger than their inputs", async () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [1]);
    const noise = b.op("RandomNormal", [], { shape: attr.ints([1]), dtype: attr.int(1) });
    const big = b.op("ConstantOfShape", [b.int64s([512, 512])], { value: attr.tensor(floatTensor([1], [1])) });
    const small = b.op("Expand", [b.initializer("one", floatTensor([1], [2])), b.int64s([4])]);
    const sum = b.op("Add", [
      b.op("Add", [x, noise]),
      b.op("ReduceSum", [b.op("Add", [big, b.op("ReduceSum", [small], { keepdims: attr.int(0) })])], { keepdims: attr.int(0) }),
    ]);
    b.output("y", "float32", undefined, sum);
    const graph = b.build();
    const { folded } = await foldConstants(graph, { maxNewElements: 1000 });
    const left = graph.nodes.map((n) => n.opType);
    expect(left).toContain("RandomNormal");
    expect(left).toContain("ConstantOfShape");
    expect(left).not.toContain("Expand");
    expect(folded).toHaveLength(4);
    const y = (await evaluateGraph(graph, new Map([["x", floatTensor([1], [0])]]), graph.outputs)).get("y")?.data as Float32Array;
    // Σ over 512·512 of (1 + 8), plus a standard normal sample.
    expect(Math.abs((y[0] as number) - 512 * 512 * 9)).toBeLessThan(10);
  });

  it("leaves a graph with nothing constant untouched", async () => {
    const b = new GraphBuilder();
    b.output("y", "float32", undefined, b.op("Relu", [b.input("x", "float32", [2])]));
    const graph = b.build();
    expect(await foldConstants(graph)).toEqual({ folded: [] });
    expect(graph.nodes).toHaveLength(2);
  });
});
