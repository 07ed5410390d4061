import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildSyntheticModel } from "../models/synthetic/index.ts";
import type { Graph } from "../onnx/ir.ts";
import { createModel, emptyGraph, floatTensor } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { randomValues } from "../optim/testing/reference.ts";
import { channelAffinesAsFusedConv } from "./channel-affine.ts";
import { Trainer } from "./trainer.ts";

const [N, C, H, W] = [2, 6, 5, 7];

/** out = a·P + b·Q + c with per-channel a, b, c (the BatchNormalization training dX); `extraReader` also outputs a·P + b·Q. */
function affineGraph(options: { extraReader?: boolean; fullSizeC?: boolean } = {}): Graph {
  const graph = emptyGraph("affine");
  const shape = [N, C, H, W];
  graph.inputs.push({ name: "P", dataType: "float32", shape }, { name: "Q", dataType: "float32", shape });
  graph.initializers.set("a", floatTensor([1, C, 1, 1], randomValues(3, C)));
  graph.initializers.set("b", floatTensor([1, C, 1, 1], randomValues(4, C)));
  graph.initializers.set("c", options.fullSizeC ? floatTensor(shape, randomValues(5, N * C * H * W)) : floatTensor([1, C, 1, 1], randomValues(5, C)));
  const op = (opType: string, inputs: string[], output: string) =>
    graph.nodes.push({ name: output, opType, domain: "", inputs, outputs: [output], attributes: {} });
  op("Mul", ["P", "a"], "aP");
  op("Mul", ["b", "Q"], "bQ");
  op("Add", ["aP", "bQ"], "sum");
  op("Add", ["c", "sum"], "out");
  graph.outputs.push({ name: "out", dataType: "float32" });
  if (options.extraReader) graph.outputs.push({ name: "sum", dataType: "float32" });
  inferShapes(graph);
  return graph;
}

async function run(graph: Graph): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { graphOptimizationLevel: "extended" });
  const size = N * C * H * W;
  const { out } = await session.run({
    P: new ort.Tensor("float32", Float32Array.from(randomValues(1, size)), [N, C, H, W]),
    Q: new ort.Tensor("float32", Float32Array.from(randomValues(2, size)), [N, C, H, W]),
  });
  await session.release();
  return out!.data as Float32Array;
}

describe("per-channel affine combinations as ONNX Runtime's FusedConv", () => {
  it("rewrites a·P + b·Q + c into one FusedConv with the same values", async () => {
    const graph = affineGraph();
    expect(channelAffinesAsFusedConv(graph)).toBe(1);
    expect(graph.nodes.map((n) => n.opType)).toEqual(["Mul", "Reshape", "Reshape", "FusedConv"]);
    const [expected, actual] = [await run(affineGraph()), await run(graph)];
    expect(actual.length).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected[i]!)));
  });

  it("leaves the ops when the partial sum has another reader", () => {
    expect(channelAffinesAsFusedConv(affineGraph({ extraReader: true }))).toBe(0);
  });

  it("leaves the ops when the offset is not per channel", () => {
    expect(channelAffinesAsFusedConv(affineGraph({ fullSizeC: true }))).toBe(0);
  });

  it("computes every BatchNormalization input gradient of a MobileNetV2 train step with it on the CPU", () => {
    const { model } = buildSyntheticModel("mobilenet-v2", { resolution: 32, numClasses: 4, seed: 3 });
    const trainer = new Trainer(model, { optimizer: { kind: "adamw" } });
    const step = trainer.trainStepModel(2).graph;
    const batchNorms = step.nodes.filter((n) => n.opType === "BatchNormalization").length;
    expect(batchNorms).toBeGreaterThan(40);
    expect(step.nodes.filter((n) => n.opType === "FusedConv").length).toBe(batchNorms);
    expect(step.nodes.some((n) => n.outputs.some((o) => o.endsWith("BatchNormalization_grad/dX_linear")))).toBe(false);
  });
});
