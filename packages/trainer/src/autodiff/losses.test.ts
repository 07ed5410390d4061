import { describe, expect, it } from "vitest";
import { emptyGraph, type Tensor } from "../onnx/ir.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { softmaxCrossEntropyWithLabelSmoothing } from "./losses.ts";
import { checkGradients } from "./testing/gradcheck.ts";
import { createSession, runSession } from "./testing/ort.ts";
import { intTensor, randomTensor, seededRandom } from "./testing/values.ts";

/** The smoothed loss written out in plain TypeScript, for [N, C] scores. */
function expectedLoss(scores: Tensor, labels: number[], smoothing: number, ignoreIndex?: number): number {
  const [n, c] = scores.dims as [number, number];
  let total = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === ignoreIndex) continue;
    const row = Array.from({ length: c }, (_, j) => Number(scores.data[i * c + j]));
    const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    row.forEach((v, j) => (total -= ((j === labels[i] ? 1 - smoothing : 0) + smoothing / c) * (v - logSum)));
    kept++;
  }
  return total / kept;
}

function lossGraph(labels: number[], smoothing: number, ignoreIndex?: number) {
  const n = labels.length;
  const graph = emptyGraph("smoothed");
  graph.inputs.push({ name: "scores", dataType: "float64", shape: [n, 4] }, { name: "labels", dataType: "int64", shape: [n] });
  const loss = softmaxCrossEntropyWithLabelSmoothing(graph, { scores: "scores", labels: "labels", classes: 4, smoothing, ignoreIndex });
  graph.outputs.push({ name: loss, dataType: "float64", shape: [] });
  inferShapes(graph);
  const scores = randomTensor("uniform", [n, 4], "float64", seededRandom(3));
  const feeds = new Map([
    ["scores", scores],
    ["labels", intTensor([n], labels)],
  ]);
  return { graph, loss, scores, feeds };
}

describe("softmaxCrossEntropyWithLabelSmoothing", () => {
  it.each([
    ["no smoothing", 0, undefined],
    ["ε = 0.1", 0.1, undefined],
    ["ε = 0.2 with ignore_index", 0.2, -1],
  ] as const)("computes the smoothed loss (%s)", async (_, smoothing, ignoreIndex) => {
    const labels = [0, 3, -1, 2, 1];
    const { graph, loss, scores, feeds } = lossGraph(ignoreIndex === undefined ? labels.map((l) => Math.max(l, 0)) : labels, smoothing, ignoreIndex);
    const value = (await runSession(await createSession(graph), feeds, [loss])).get(loss)!;
    const expected = expectedLoss(scores, ignoreIndex === undefined ? labels.map((l) => Math.max(l, 0)) : labels, smoothing, ignoreIndex);
    expect(Number(value.data[0])).toBeCloseTo(expected, 10);
  });

  it("is differentiable with respect to the scores", async () => {
    const { graph, loss, feeds } = lossGraph([0, 3, -1, 2, 1], 0.1, -1);
    const report = await checkGradients({ graph, output: loss, feeds, wrt: ["scores"], coordinates: 10 });
    expect(report.failures).toEqual([]);
  });

  it("rejects smoothing outside [0, 1)", () => {
    expect(() => softmaxCrossEntropyWithLabelSmoothing(emptyGraph(), { scores: "s", labels: "l", classes: 3, smoothing: 1 })).toThrow(
      /smoothing must be in \[0, 1\)/,
    );
  });
});
