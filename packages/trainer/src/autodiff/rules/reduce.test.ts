import { describe, expect, it } from "vitest";
import { attr, type Tensor } from "../../onnx/ir.ts";
import { checkOpCase, sumGradients, type OpCase } from "../testing/op-case.ts";
import { intTensor } from "../testing/values.ts";

const ints = (values: number[]) => ({ dims: [values.length], values: intTensor([values.length], values), constant: true });
const distinct = (dims: number[]) => ({ dims, values: "distinct" as const });

const cases: OpCase[] = [
  { name: "ReduceSum keepdims", op: "ReduceSum", inputs: [{ dims: [2, 3, 4] }, ints([1])] },
  { name: "ReduceSum all", op: "ReduceSum", inputs: [{ dims: [2, 3] }], attributes: { keepdims: attr.int(0) } },
  { name: "ReduceMean axes attribute", op: "ReduceMean", inputs: [{ dims: [2, 3, 4] }], attributes: { axes: attr.ints([0, -1]), keepdims: attr.int(0) } },
  { name: "ReduceMean (opset 18 axes input)", op: "ReduceMean", inputs: [{ dims: [2, 3, 4] }, ints([2])], opset: 18 },
  { name: "ReduceMax axes attribute, keepdims", op: "ReduceMax", inputs: [distinct([2, 3, 4])], attributes: { axes: attr.ints([1]) } },
  { name: "ReduceMax two axes, no keepdims", op: "ReduceMax", inputs: [distinct([2, 3, 4])], attributes: { axes: attr.ints([0, -1]), keepdims: attr.int(0) } },
  { name: "ReduceMax all", op: "ReduceMax", inputs: [distinct([3, 4])], attributes: { keepdims: attr.int(0) } },
  { name: "ReduceMax (opset 18 axes input)", op: "ReduceMax", inputs: [distinct([2, 3, 4]), ints([2])], opset: 18 },
  { name: "ReduceMin spatial", op: "ReduceMin", inputs: [distinct([2, 2, 3, 3])], attributes: { axes: attr.ints([2, 3]) } },
];

const values = (dims: number[], data: number[]): Tensor => ({ dataType: "float64", dims, data: Float64Array.from(data) });

describe("reduction gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });

  it("splits dY evenly over tied maxima, per reduced slice", async () => {
    // rows: max 3 twice, max 5 once, all three tied
    const x = { dims: [3, 3], values: values([3, 3], [3, 1, 3, 5, 2, 0, 7, 7, 7]), wrt: true };
    const reduced = await sumGradients({ name: "ReduceMax ties", op: "ReduceMax", inputs: [x], attributes: { axes: attr.ints([1]) } });
    expect(Array.from(reduced.get("x0")!.data as Float64Array)).toEqual([0.5, 0, 0.5, 1, 0, 0, 1 / 3, 1 / 3, 1 / 3]);
  });

  it("splits dY evenly over tied inputs of elementwise Max and over tied GlobalMaxPool cells", async () => {
    const a = { dims: [3], values: values([3], [1, 4, 2]), wrt: true };
    const b = { dims: [3], values: values([3], [1, 3, 2]), wrt: true };
    const elementwise = await sumGradients({ name: "Max ties", op: "Max", inputs: [a, b] });
    expect(Array.from(elementwise.get("x0")!.data as Float64Array)).toEqual([0.5, 1, 0.5]);
    expect(Array.from(elementwise.get("x1")!.data as Float64Array)).toEqual([0.5, 0, 0.5]);
    const cells = { dims: [1, 1, 2, 2], values: { dataType: "float32" as const, dims: [1, 1, 2, 2], data: Float32Array.from([2, 9, 9, 1]) }, wrt: true };
    const pooled = await sumGradients({ name: "GlobalMaxPool ties", op: "GlobalMaxPool", inputs: [cells], dtype: "float32" });
    expect(Array.from(pooled.get("x0")!.data as Float32Array)).toEqual([0, 0.5, 0.5, 0]);
  });
});
