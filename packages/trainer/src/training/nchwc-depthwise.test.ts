import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { NCHWC_DOMAIN } from "../autodiff/rules/conv-depthwise.ts";
import { buildSyntheticModel } from "../models/synthetic/index.ts";
import type { Graph } from "../onnx/ir.ts";
import { attr, createModel, emptyGraph, floatTensor } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { randomValues } from "../optim/testing/reference.ts";
import { nchwcBlockSize } from "../runtime/nchwc.ts";
import { depthwiseConvsInNchwc } from "./nchwc-depthwise.ts";
import { Trainer } from "./trainer.ts";

const block = await nchwcBlockSize();

/** Y = DepthwiseConv(X, W, B) (stride 2) followed by a 3×3 dense Conv, which the pass must leave alone. */
function depthwiseGraph(channels: number): Graph {
  const graph = emptyGraph("depthwise");
  graph.inputs.push({ name: "X", dataType: "float32", shape: [2, channels, 9, 9] }, { name: "W", dataType: "float32", shape: [channels, 1, 3, 3] });
  graph.initializers.set("B", floatTensor([channels], randomValues(5, channels)));
  graph.initializers.set("D", floatTensor([4, channels, 3, 3], randomValues(6, 4 * channels * 9)));
  graph.nodes.push(
    {
      name: "depthwise",
      opType: "Conv",
      domain: "",
      inputs: ["X", "W", "B"],
      outputs: ["Y"],
      attributes: { group: attr.int(channels), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) },
    },
    { name: "dense", opType: "Conv", domain: "", inputs: ["Y", "D"], outputs: ["Z"], attributes: { pads: attr.ints([1, 1, 1, 1]) } },
  );
  graph.outputs.push({ name: "Z", dataType: "float32" });
  inferShapes(graph);
  return graph;
}

async function run(graph: Graph, channels: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { graphOptimizationLevel: "extended" });
  const feeds = {
    X: new ort.Tensor("float32", Float32Array.from(randomValues(1, 2 * channels * 81)), [2, channels, 9, 9]),
    W: new ort.Tensor("float32", Float32Array.from(randomValues(2, channels * 9)), [channels, 1, 3, 3]),
  };
  const { Z } = await session.run(feeds);
  await session.release();
  return Z!.data as Float32Array;
}

describe.skipIf(block <= 1)(`depthwise convolutions on ONNX Runtime's NCHWc kernels (block ${block})`, () => {
  it("rewrites a depthwise Conv with a fed weight and gives the same output", async () => {
    const channels = 2 * block;
    const graph = depthwiseGraph(channels);
    expect(depthwiseConvsInNchwc(graph, block)).toBe(1);
    expect(graph.nodes.filter((n) => n.domain === NCHWC_DOMAIN).map((n) => n.opType)).toEqual(["ReorderInput", "Conv", "ReorderOutput"]);
    expect(graph.nodes.filter((n) => n.opType === "Conv" && n.domain === "").map((n) => n.name)).toEqual(["dense"]);
    const [expected, actual] = [await run(depthwiseGraph(channels), channels), await run(graph, channels)];
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 4);
  });

  it.each([
    ["leaves a constant-weight conv before an inference BatchNormalization to ORT", 0, 0],
    ["rewrites a constant-weight conv before a training-mode BatchNormalization", 1, 1],
  ])("%s", (_, trainingMode, expected) => {
    const channels = block;
    const graph = emptyGraph("frozen");
    graph.inputs.push({ name: "X", dataType: "float32", shape: [2, channels, 6, 6] });
    graph.initializers.set("W", floatTensor([channels, 1, 3, 3], randomValues(2, channels * 9)));
    for (const name of ["scale", "shift", "mean", "var"]) graph.initializers.set(name, floatTensor([channels], new Array(channels).fill(1)));
    graph.nodes.push(
      {
        name: "depthwise",
        opType: "Conv",
        domain: "",
        inputs: ["X", "W"],
        outputs: ["Y"],
        attributes: { group: attr.int(channels), pads: attr.ints([1, 1, 1, 1]) },
      },
      {
        name: "bn",
        opType: "BatchNormalization",
        domain: "",
        inputs: ["Y", "scale", "shift", "mean", "var"],
        outputs: ["Z"],
        attributes: { training_mode: attr.int(trainingMode) },
      },
    );
    inferShapes(graph);
    expect(depthwiseConvsInNchwc(graph, block)).toBe(expected);
  });

  it("leaves depthwise convolutions whose channels do not fill whole blocks", () => {
    expect(depthwiseConvsInNchwc(depthwiseGraph(block + 4), block)).toBe(0);
  });

  it("trains MobileNetV2 with the same losses as the NCHW formulation", async () => {
    // 64² and 8 images: at 32² and 4 images the last BatchNormalizations see 4 values per channel
    // and amplify the two layouts' rounding differences to 3e-3 in the loss by the second step
    const { model } = buildSyntheticModel("mobilenet-v2", { resolution: 64, numClasses: 4, seed: 3 });
    const input = new ort.Tensor("float32", Float32Array.from(randomValues(9, 8 * 3 * 64 * 64)), [8, 3, 64, 64]);
    const labels = new ort.Tensor(
      "int64",
      BigInt64Array.from({ length: 8 }, (_, i) => BigInt(i % 4)),
      [8],
    );
    const losses: number[][] = [];
    for (const depthwiseWeightGradient of [undefined, "grouped-conv"] as const) {
      // SGD: the update is linear in the gradient, so rounding differences stay at rounding size (Adam's first steps are sign-like)
      const trainer = new Trainer(model, { optimizer: { kind: "sgd" }, freezeTo: 0, depthwiseWeightGradient });
      const run: number[] = [];
      for (let step = 0; step < 3; step++) run.push((await trainer.step(input, labels, 0.002)).loss);
      const domains = new Set(trainer.trainStepModel(8).graph.nodes.map((n) => n.domain));
      expect(domains.has(NCHWC_DOMAIN)).toBe(depthwiseWeightGradient === undefined);
      await trainer.release();
      losses.push(run);
    }
    expect(losses[0]![2]).not.toBe(losses[0]![0]);
    losses[0]!.forEach((loss, i) => expect(loss).toBeCloseTo(losses[1]![i]!, 4));
  });

  it("reorders each stride-1 depthwise layer's incoming gradient once, for dX and dW, and its input twice", () => {
    const { model } = buildSyntheticModel("mobilenet-v2", { resolution: 32, numClasses: 4, seed: 3 });
    const graph = new Trainer(model, { optimizer: { kind: "sgd" } }).trainStepModel(2).graph;
    const producers = new Map(graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    const kernels = graph.nodes.filter((n) => n.name.endsWith("Conv_grad/dY_kernels"));
    expect(kernels.length).toBe(17);
    const dYReorders = kernels.map((node) => {
      const blocked = producers.get(node.inputs[0]!)!;
      return blocked.opType === "Reshape" ? producers.get(blocked.inputs[0]!)! : blocked;
    });
    // the 13 stride-1 layers share the dX convolution's reorder; the 4 stride-2 ones (dX by ConvTranspose in NCHW) keep their own
    expect(dYReorders.every((n) => n.opType === "ReorderInput")).toBe(true);
    expect(dYReorders.filter((n) => /Conv_grad\/dX\/nchwc\/input$/.test(n.name)).length).toBe(13);
    expect(dYReorders.filter((n) => /Conv_grad\/dY_blocked$/.test(n.name)).length).toBe(4);
    const inputReorders = graph.nodes.filter((n) => n.opType === "ReorderInput" && /Conv_grad\/X_nchwc$|Conv\/nchwc\/input$/.test(n.name));
    expect(inputReorders.length).toBe(2 * 17);
  });
});
