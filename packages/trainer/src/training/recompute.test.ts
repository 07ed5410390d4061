import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildBackward } from "../autodiff/index.ts";
import type { Graph } from "../onnx/ir.ts";
import { attr, createModel, emptyGraph, floatTensor } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { randomValues } from "../optim/testing/reference.ts";
import { pointwiseConvsAsMatMul } from "./pointwise-conv.ts";
import { recomputePointwiseOutputs } from "./recompute.ts";

const [N, C, K, S] = [2, 3, 4, 6];

/** loss = Σ BN(Conv1×1(X, W)) ⊙ G, BN in training mode; gradients for X, W and the BN scale. */
function bnGraph(): { graph: Graph; outputs: string[] } {
  const graph = emptyGraph("pointwise_bn");
  graph.inputs.push(
    { name: "X", dataType: "float32", shape: [N, C, S, S] },
    { name: "W", dataType: "float32", shape: [K, C, 1, 1] },
    { name: "scale", dataType: "float32", shape: [K] },
  );
  graph.initializers.set("shift", floatTensor([K], [0.1, -0.2, 0.3, 0]));
  graph.initializers.set("mean", floatTensor([K], [0, 0, 0, 0]));
  graph.initializers.set("var", floatTensor([K], [1, 1, 1, 1]));
  graph.initializers.set("G", floatTensor([N, K, S, S], randomValues(3, N * K * S * S)));
  graph.nodes.push(
    { name: "conv", opType: "Conv", domain: "", inputs: ["X", "W"], outputs: ["Y"], attributes: { kernel_shape: attr.ints([1, 1]) } },
    {
      name: "bn",
      opType: "BatchNormalization",
      domain: "",
      inputs: ["Y", "scale", "shift", "mean", "var"],
      outputs: ["Z", "mean_next", "var_next"],
      attributes: { training_mode: attr.int(1), momentum: attr.float(0.9) },
    },
    { name: "weighted", opType: "Mul", domain: "", inputs: ["Z", "G"], outputs: ["P"], attributes: {} },
    { name: "loss", opType: "ReduceSum", domain: "", inputs: ["P"], outputs: ["L"], attributes: { keepdims: attr.int(0) } },
  );
  inferShapes(graph);
  pointwiseConvsAsMatMul(graph, new Set(["W"]));
  inferShapes(graph);
  const { gradients } = buildBackward(graph, { loss: "L", wrt: ["X", "W", "scale"] });
  inferShapes(graph);
  const outputs = ["X", "W", "scale"].map((name) => gradients.get(name)!);
  graph.outputs = outputs.map((name) => ({ name, dataType: "float32" as const }));
  return { graph, outputs };
}

async function run(graph: Graph, outputs: string[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: 1 });
  const result = await session.run({
    X: new ort.Tensor("float32", Float32Array.from(randomValues(1, N * C * S * S)), [N, C, S, S]),
    W: new ort.Tensor("float32", Float32Array.from(randomValues(2, K * C)), [K, C, 1, 1]),
    scale: new ort.Tensor("float32", Float32Array.from([1, 0.5, 2, 1.5]), [K]),
  });
  await session.release();
  return outputs.map((name) => result[name]!.data as Float32Array);
}

describe("recomputing pointwise conv outputs in the backward pass", () => {
  it("feeds the BatchNormalization gradient from a second MatMul and gives the same gradients", async () => {
    const reference = bnGraph();
    const { graph, outputs } = bnGraph();
    expect(recomputePointwiseOutputs(graph, S * S)).toBe(1);
    const copies = graph.nodes.filter((n) => n.name.endsWith("/recomputed"));
    expect(copies.map((n) => n.opType)).toEqual(["Reshape", "MatMul", "Reshape"]);
    // the copy reshapes the weight with its own shape constant, so ORT's CSE cannot merge it back
    expect(copies[0]!.inputs[1]).not.toBe(
      graph.nodes.find((n) => n.outputs[0] === graph.nodes.find((m) => m.opType === "MatMul" && !m.name.endsWith("/recomputed"))!.inputs[0])!.inputs[1],
    );
    const readers = graph.nodes.filter((n) => n.name.includes("BatchNormalization_grad") || n.name.startsWith("bn_grad"));
    const recomputedX = copies[2]!.outputs[0]!;
    expect(readers.some((n) => n.inputs.includes(recomputedX))).toBe(true);
    expect(graph.nodes.filter((n) => n.name.includes("_grad/")).some((n) => n.inputs.includes("Y"))).toBe(false);
    // placed before its first reader, after the whole forward pass
    expect(graph.nodes.indexOf(copies[0]!)).toBeGreaterThan(graph.nodes.findIndex((n) => n.name === "loss"));
    const [expected, actual] = [await run(reference.graph, reference.outputs), await run(graph, outputs)];
    actual.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(expected[i]!)));
  });

  it("leaves maps smaller than the threshold alone", () => {
    expect(recomputePointwiseOutputs(bnGraph().graph, S * S + 1)).toBe(0);
  });
});
