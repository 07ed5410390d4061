import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildBackward } from "../autodiff/index.ts";
import type { Graph } from "../onnx/ir.ts";
import { attr, createModel, emptyGraph, floatTensor } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { randomValues } from "../optim/testing/reference.ts";
import { pointwiseConvsAsMatMul } from "./pointwise-conv.ts";

/** loss = Σ Y ⊙ G with Y = Conv1×1(X, W, B); gradients for X, W and B. */
function convGraph(rewrite: boolean): { graph: Graph; outputs: string[] } {
  const graph = emptyGraph("pointwise");
  graph.inputs.push(
    { name: "X", dataType: "float32", shape: [2, 3, 4, 5] },
    { name: "W", dataType: "float32", shape: [6, 3, 1, 1] },
    { name: "B", dataType: "float32", shape: [6] },
  );
  graph.initializers.set("G", floatTensor([2, 6, 4, 5], randomValues(3, 240)));
  graph.nodes.push(
    { name: "conv", opType: "Conv", domain: "", inputs: ["X", "W", "B"], outputs: ["Y"], attributes: { kernel_shape: attr.ints([1, 1]) } },
    { name: "weighted", opType: "Mul", domain: "", inputs: ["Y", "G"], outputs: ["P"], attributes: {} },
    { name: "loss", opType: "ReduceSum", domain: "", inputs: ["P"], outputs: ["L"], attributes: { keepdims: attr.int(0) } },
  );
  inferShapes(graph);
  if (rewrite) {
    expect(pointwiseConvsAsMatMul(graph, new Set(["W"]))).toBe(1);
    inferShapes(graph);
  }
  const { gradients } = buildBackward(graph, { loss: "L", wrt: ["X", "W", "B"] });
  const outputs = ["Y", ...["X", "W", "B"].map((name) => gradients.get(name)!)];
  graph.outputs = outputs.map((name) => ({ name, dataType: "float32" as const }));
  return { graph, outputs };
}

async function run(rewrite: boolean): Promise<Float32Array[]> {
  const { graph, outputs } = convGraph(rewrite);
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: 1 });
  const feeds = {
    X: new ort.Tensor("float32", Float32Array.from(randomValues(1, 120)), [2, 3, 4, 5]),
    W: new ort.Tensor("float32", Float32Array.from(randomValues(2, 18)), [6, 3, 1, 1]),
    B: new ort.Tensor("float32", Float32Array.from(randomValues(4, 6)), [6]),
  };
  const results = await session.run(feeds);
  await session.release();
  return outputs.map((name) => results[name]!.data as Float32Array);
}

describe("trainable 1×1 convolutions as MatMul", () => {
  it("computes the same output and gradients as the convolution", async () => {
    const [reference, rewritten] = [await run(false), await run(true)];
    reference.forEach((values, i) => values.forEach((v, j) => expect(rewritten[i]![j]!).toBeCloseTo(v, 5)));
  });

  it("rewrites only trainable, unstrided 1×1 convolutions", () => {
    const graph = emptyGraph();
    graph.inputs.push({ name: "X", dataType: "float32", shape: [1, 3, 4, 4] });
    graph.initializers.set("W1", floatTensor([4, 3, 1, 1]));
    graph.initializers.set("W3", floatTensor([4, 3, 3, 3]));
    graph.nodes.push(
      { name: "pointwise", opType: "Conv", domain: "", inputs: ["X", "W1"], outputs: ["A"], attributes: {} },
      { name: "strided", opType: "Conv", domain: "", inputs: ["X", "W1"], outputs: ["B"], attributes: { strides: attr.ints([2, 2]) } },
      { name: "k3", opType: "Conv", domain: "", inputs: ["X", "W3"], outputs: ["C"], attributes: { pads: attr.ints([1, 1, 1, 1]) } },
    );
    inferShapes(graph);
    expect(pointwiseConvsAsMatMul(graph, new Set())).toBe(0);
    expect(pointwiseConvsAsMatMul(graph, new Set(["W3"]))).toBe(0);
    expect(pointwiseConvsAsMatMul(graph, new Set(["W1"]))).toBe(1);
    expect(graph.nodes.filter((n) => n.opType === "Conv").map((n) => n.name)).toEqual(["strided", "k3"]);
  });
});
