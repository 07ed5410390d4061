import { describe, expect, it } from "vitest";
import { attr } from "../../onnx/ir.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";
import { intTensor } from "../testing/values.ts";

const labels = (dims: number[], values: number[]) => ({ dims, values: intTensor(dims, values) });

const cases: OpCase[] = [
  { name: "mean", op: "SoftmaxCrossEntropyLoss", inputs: [{ dims: [4, 3] }, labels([4], [0, 2, 1, 2])] },
  { name: "sum", op: "SoftmaxCrossEntropyLoss", inputs: [{ dims: [4, 3] }, labels([4], [0, 2, 1, 2])], attributes: { reduction: attr.string("sum") } },
  { name: "none", op: "SoftmaxCrossEntropyLoss", inputs: [{ dims: [4, 3] }, labels([4], [0, 2, 1, 2])], attributes: { reduction: attr.string("none") } },
  {
    name: "mean with ignore_index",
    op: "SoftmaxCrossEntropyLoss",
    inputs: [{ dims: [5, 3] }, labels([5], [0, -100, 1, 2, -100])],
    attributes: { ignore_index: attr.int(-100) },
  },
  {
    name: "mean with class weights and ignore_index",
    op: "SoftmaxCrossEntropyLoss",
    inputs: [{ dims: [5, 3] }, labels([5], [0, 1, 1, 2, 1]), { dims: [3], values: "positive", constant: true }],
    attributes: { ignore_index: attr.int(1) },
  },
  { name: "spatial [N, C, d]", op: "SoftmaxCrossEntropyLoss", inputs: [{ dims: [2, 3, 4] }, labels([2, 4], [0, 1, 2, 0, 2, 2, 1, 0])] },
  { name: "log_prob output", op: "SoftmaxCrossEntropyLoss", inputs: [{ dims: [4, 3] }, labels([4], [0, 2, 1, 2])], outputs: 2, checkOutput: 1 },
];

describe("loss gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("SoftmaxCrossEntropyLoss %s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });
});
