import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildBackward } from "../autodiff/index.ts";
import type { Graph } from "../onnx/ir.ts";
import { attr, createModel, emptyGraph, floatTensor } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { randomValues } from "../optim/testing/reference.ts";
import { clipMasksFromOutputs } from "./clip-mask.ts";

const scalar = (value: number) => floatTensor([], [value]);

/** loss = Σ Clip(X ⊙ S, lo?, hi?) ⊙ G; the gradient of X (through the Clip mask). */
function clipGraph(bounds: { lo?: number; hi?: number }, rewrite: boolean): { graph: Graph; gradient: string; rewritten: number } {
  const graph = emptyGraph("clip");
  graph.inputs.push({ name: "X", dataType: "float32", shape: [2, 3, 4, 5] });
  graph.initializers.set("S", scalar(4));
  graph.initializers.set("G", floatTensor([2, 3, 4, 5], randomValues(3, 120)));
  if (bounds.lo !== undefined) graph.initializers.set("lo", scalar(bounds.lo));
  if (bounds.hi !== undefined) graph.initializers.set("hi", scalar(bounds.hi));
  graph.nodes.push(
    { name: "scaled", opType: "Mul", domain: "", inputs: ["X", "S"], outputs: ["A"], attributes: {} },
    {
      name: "clip",
      opType: "Clip",
      domain: "",
      inputs: ["A", bounds.lo !== undefined ? "lo" : "", bounds.hi !== undefined ? "hi" : ""],
      outputs: ["Y"],
      attributes: {},
    },
    { name: "weighted", opType: "Mul", domain: "", inputs: ["Y", "G"], outputs: ["P"], attributes: {} },
    { name: "loss", opType: "ReduceSum", domain: "", inputs: ["P"], outputs: ["L"], attributes: { keepdims: attr.int(0) } },
  );
  inferShapes(graph);
  const { gradients } = buildBackward(graph, { loss: "L", wrt: ["X"] });
  const rewritten = rewrite ? clipMasksFromOutputs(graph) : 0;
  graph.outputs = [{ name: gradients.get("X")!, dataType: "float32" }];
  return { graph, gradient: gradients.get("X")!, rewritten };
}

async function gradient(graph: Graph, name: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: 1 });
  const x = new ort.Tensor("float32", Float32Array.from(randomValues(1, 120)), [2, 3, 4, 5]);
  const result = await session.run({ X: x });
  await session.release();
  return result[name]!.data as Float32Array;
}

describe("Clip gradient mask from the Clip's output", () => {
  it.each([
    ["ReLU6", { lo: 0, hi: 6 }],
    ["lower bound only", { lo: -0.5 }],
    ["upper bound only", { hi: 0.7 }],
  ])("%s: same gradient, and the backward pass no longer reads the Clip's input", async (_, bounds) => {
    const reference = clipGraph(bounds, false);
    const rewritten = clipGraph(bounds, true);
    expect(rewritten.rewritten).toBe(1);
    const backwardReadersOfInput = rewritten.graph.nodes.filter((n) => n.name.includes("_grad") && n.inputs.includes("A"));
    expect(backwardReadersOfInput).toEqual([]);
    const [expected, actual] = [await gradient(reference.graph, reference.gradient), await gradient(rewritten.graph, rewritten.gradient)];
    expect(expected.some((v) => v === 0) && expected.some((v) => v !== 0)).toBe(true);
    expect(Array.from(actual)).toEqual(Array.from(expected));
  });

  it("leaves a Clip without bounds alone", () => {
    expect(clipGraph({}, true).rewritten).toBe(0);
  });
});
