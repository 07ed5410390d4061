import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { Graph } from "../onnx/ir.ts";
import { createModel, emptyGraph, floatTensor } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { inferShapes, shapeOf } from "../onnx/shape-inference.ts";
import { buildSyntheticModel } from "../models/synthetic/index.ts";
import { randomValues } from "../optim/testing/reference.ts";
import { Trainer } from "./trainer.ts";
import { rankMatchedScalars } from "./scalar-broadcast.ts";

const BROADCASTING = new Set(["Add", "Sub", "Mul", "Div", "Pow", "Less", "Greater", "Equal", "And", "Where", "Max", "Min"]);

/** Broadcasting nodes with a one-element operand of lower rank than their widest operand. */
function lowRankScalarUses(graph: Graph): string[] {
  return graph.nodes.flatMap((node) => {
    if (!BROADCASTING.has(node.opType)) return [];
    const shapes = node.inputs.filter((i) => i !== "").map((i) => shapeOf(graph, i));
    const widest = Math.max(...shapes.map((s) => s?.length ?? 0));
    return shapes.some((s) => s !== undefined && s.every((d) => d === 1) && s.length < widest) ? [node.name] : [];
  });
}

/** W ⊙ lr ⊙ 0.9 + ε, with lr a scalar feed and 0.9, ε scalar constants, W [6, 4, 1, 1]. */
function scaledWeight(): Graph {
  const graph = emptyGraph("scaled");
  graph.inputs.push({ name: "W", dataType: "float32", shape: [6, 4, 1, 1] }, { name: "lr", dataType: "float32", shape: [] });
  graph.initializers.set("beta", floatTensor([], [0.9]));
  graph.initializers.set("eps", floatTensor([1], [1e-3]));
  graph.nodes.push(
    { name: "by_lr", opType: "Mul", domain: "", inputs: ["W", "lr"], outputs: ["A"], attributes: {} },
    { name: "by_beta", opType: "Mul", domain: "", inputs: ["A", "beta"], outputs: ["B"], attributes: {} },
    { name: "plus_eps", opType: "Add", domain: "", inputs: ["B", "eps"], outputs: ["C"], attributes: {} },
    { name: "again_lr", opType: "Div", domain: "", inputs: ["C", "lr"], outputs: ["D"], attributes: {} },
  );
  graph.outputs.push({ name: "D", dataType: "float32" });
  inferShapes(graph);
  return graph;
}

async function run(graph: Graph): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: 1 });
  const result = await session.run({
    W: new ort.Tensor("float32", Float32Array.from(randomValues(2, 24)), [6, 4, 1, 1]),
    lr: new ort.Tensor("float32", new Float32Array([0.25]), []),
  });
  await session.release();
  return result.D!.data as Float32Array;
}

describe("scalar operands at the rank of the tensor they broadcast against", () => {
  it("rewrites constant and fed scalars, shares one reshape per (scalar, rank), and gives the same values", async () => {
    const reference = scaledWeight();
    const graph = scaledWeight();
    expect(lowRankScalarUses(graph)).toEqual(["by_lr", "by_beta", "plus_eps", "again_lr"]);
    expect(rankMatchedScalars(graph)).toBe(4);
    expect(lowRankScalarUses(graph)).toEqual([]);
    // the fed lr is reshaped once, before its first reader; constants get a rank-4 copy
    const reshapes = graph.nodes.filter((n) => n.opType === "Reshape");
    expect(reshapes.map((n) => n.inputs[0])).toEqual(["lr"]);
    expect(graph.nodes.indexOf(reshapes[0]!)).toBe(0);
    expect(graph.initializers.get("beta/rank4")?.dims).toEqual([1, 1, 1, 1]);
    expect(Array.from(await run(graph))).toEqual(Array.from(await run(reference)));
  });

  it("leaves operands of the same rank and non-broadcasting ops alone", () => {
    const graph = emptyGraph("plain");
    graph.inputs.push(
      { name: "X", dataType: "float32", shape: [3, 2] },
      { name: "Y", dataType: "float32", shape: [3, 2] },
      { name: "s", dataType: "float32", shape: [1, 1] },
    );
    graph.nodes.push(
      { name: "sum", opType: "Add", domain: "", inputs: ["X", "Y"], outputs: ["Z"], attributes: {} },
      { name: "scaled", opType: "Mul", domain: "", inputs: ["Z", "s"], outputs: ["U"], attributes: {} },
      { name: "clip", opType: "Clip", domain: "", inputs: ["U", "", ""], outputs: ["V"], attributes: {} },
    );
    inferShapes(graph);
    expect(rankMatchedScalars(graph)).toBe(0);
    expect(graph.nodes.map((n) => n.opType)).toEqual(["Add", "Mul", "Clip"]);
  });

  it("leaves no low-rank scalar operand in a MobileNetV2 train step (the AdamW update of its 1×1 conv weights)", () => {
    const { model } = buildSyntheticModel("mobilenet-v2", { resolution: 32, numClasses: 4, seed: 1 });
    const trainer = new Trainer(model, { optimizer: { kind: "adamw" }, weightDecay: 0.01, freezeTo: 0, maxGradientNorm: 1 });
    const step = trainer.trainStepModel(2);
    expect(lowRankScalarUses(step.graph)).toEqual([]);
    const updates = step.graph.nodes.filter((n) => n.name.startsWith("optim/") && n.inputs.some((i) => i.endsWith("/rank4")));
    expect(updates.length).toBeGreaterThan(100);
  });
});
