import { describe, expect, it } from "vitest";
import { checkGradients } from "../autodiff/testing/gradcheck.ts";
import { createSession, runSession } from "../autodiff/testing/ort.ts";
import { intTensor, randomTensor, seededRandom } from "../autodiff/testing/values.ts";
import { emptyGraph, type Tensor } from "../onnx/ir.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { emitSegmentationLoss, type SegmentationLossOptions } from "./loss.ts";

type LossSettings = Omit<SegmentationLossOptions, "scores" | "labels" | "classes">;

function lossGraph(dims: [number, number, number, number], settings: LossSettings, dataType: "float32" | "float64" = "float64") {
  const [n, c, h, w] = dims;
  const graph = emptyGraph("segmentation-loss");
  graph.inputs.push({ name: "scores", dataType, shape: [n, c, h, w] }, { name: "labels", dataType: "int64", shape: [n, h, w] });
  const loss = emitSegmentationLoss(graph, { scores: "scores", labels: "labels", classes: c, ...settings });
  graph.outputs.push({ name: loss, dataType, shape: [] });
  inferShapes(graph);
  return { graph, loss };
}

async function lossValue(scores: Tensor, labels: number[], settings: LossSettings): Promise<number> {
  const [n, c, h, w] = scores.dims as [number, number, number, number];
  const { graph, loss } = lossGraph([n, c, h, w], settings, scores.dataType as "float32" | "float64");
  const feeds = new Map([
    ["scores", scores],
    ["labels", intTensor([n, h, w], labels)],
  ]);
  return Number((await runSession(await createSession(graph), feeds, [loss])).get(loss)!.data[0]);
}

// One image, 2 classes, 1×2 pixels. Pixel 0: logits (0, 0) → p = (½, ½), label 0.
// Pixel 1: logits (ln 3, 0) → p = (¾, ¼), label 1. NCHW order: class 0 plane, then class 1.
const scores = (dataType: "float32" | "float64"): Tensor => ({
  dataType,
  dims: [1, 2, 1, 2],
  data: (dataType === "float32" ? Float32Array : Float64Array).from([0, Math.log(3), 0, 0]),
});

describe("segmentation losses, hand-computed", () => {
  it.each(["float32", "float64"] as const)("cross-entropy: mean of −log p over kept pixels, weighted by class (%s)", async (dataType) => {
    const digits = dataType === "float32" ? 6 : 12;
    // (−ln ½ − ln ¼) / 2 = 1.5 ln 2
    expect(await lossValue(scores(dataType), [0, 1], { kind: "crossEntropy" })).toBeCloseTo(1.5 * Math.LN2, digits);
    // weights (1, 3): (1·ln 2 + 3·ln 4) / (1 + 3) = 7/4 ln 2
    expect(await lossValue(scores(dataType), [0, 1], { kind: "crossEntropy", classWeights: [1, 3] })).toBeCloseTo(1.75 * Math.LN2, digits);
    // pixel 1 void: ln 2 from pixel 0 alone
    expect(await lossValue(scores(dataType), [0, 255], { kind: "crossEntropy" })).toBeCloseTo(Math.LN2, digits);
    expect(await lossValue(scores(dataType), [0, 11], { kind: "crossEntropy", ignoreIndex: 11, classWeights: [2, 5] })).toBeCloseTo(Math.LN2, digits);
  });

  it("Dice: 1 − mean over classes of (2I + 1) / (Σp + Σt + 1)", async () => {
    // class 0: I = ½, Σp = 1¼, Σt = 1 → 2 / 3¼ = 8/13; class 1: I = ¼, Σp = ¾, Σt = 1 → 1½ / 2¾ = 6/11
    // 1 − (8/13 + 6/11) / 2 = 60/143
    expect(await lossValue(scores("float64"), [0, 1], { kind: "dice" })).toBeCloseTo(60 / 143, 12);
    // pixel 1 void: class 0 → 2 / 2½ = 4/5, class 1 → 1 / 1½ = 2/3; 1 − 11/15 = 4/15
    expect(await lossValue(scores("float64"), [0, 255], { kind: "dice" })).toBeCloseTo(4 / 15, 12);
    // smoothing 0: class 0 → 1 / 2¼ = 4/9, class 1 → ½ / 1¾ = 2/7; 1 − (4/9 + 2/7) / 2 = 40/63
    expect(await lossValue(scores("float64"), [0, 1], { kind: "dice", diceSmooth: 0 })).toBeCloseTo(40 / 63, 12);
  });

  it("cross-entropy + Dice: their sum with the Dice weight", async () => {
    const value = await lossValue(scores("float64"), [0, 1], { kind: "crossEntropyDice", diceWeight: 0.5 });
    expect(value).toBeCloseTo(1.5 * Math.LN2 + 0.5 * (60 / 143), 12);
  });

  it("refuses settings that cannot be right, naming the field", () => {
    const graph = emptyGraph();
    const base = { scores: "s", labels: "l", classes: 3 } as const;
    expect(() => emitSegmentationLoss(graph, { ...base, kind: "crossEntropy", ignoreIndex: 2 })).toThrow(
      /loss\.ignoreIndex must be an integer outside the class indices 0-2, got 2/,
    );
    expect(() => emitSegmentationLoss(graph, { ...base, kind: "crossEntropy", classWeights: [1, 2] })).toThrow(/loss\.classWeights must have 3 values/);
    expect(() => emitSegmentationLoss(graph, { ...base, kind: "crossEntropy", classWeights: [0, 0, 0] })).toThrow(/not all 0/);
    expect(() => emitSegmentationLoss(graph, { ...base, kind: "dice", diceSmooth: -1 })).toThrow(/loss\.diceSmooth/);
    expect(() => emitSegmentationLoss(graph, { ...base, kind: "focal" as "dice" })).toThrow(/loss\.kind must be one of crossEntropy, dice, crossEntropyDice/);
  });
});

describe("segmentation loss gradients (finite differences)", () => {
  // 2 images, 3 classes, 2×3 pixels; labels include void (255)
  const labels = [0, 1, 2, 255, 1, 0, 2, 2, 255, 0, 1, 1];
  it.each([
    ["cross-entropy", { kind: "crossEntropy" }],
    ["weighted cross-entropy", { kind: "crossEntropy", classWeights: [0.5, 2, 1] }],
    ["Dice", { kind: "dice" }],
    ["cross-entropy + Dice", { kind: "crossEntropyDice", classWeights: [1, 3, 0.5], diceWeight: 0.7 }],
  ] as [string, LossSettings][])("%s", async (_, settings) => {
    const { graph, loss } = lossGraph([2, 3, 2, 3], settings);
    const feeds = new Map([
      ["scores", randomTensor("wide", [2, 3, 2, 3], "float64", seededRandom(5))],
      ["labels", intTensor([2, 2, 3], labels)],
    ]);
    const report = await checkGradients({ graph, output: loss, feeds, wrt: ["scores"], coordinates: 8, directions: 3 });
    expect(report.failures).toEqual([]);
    expect(report.probes).toBe(11);
  });
});
