import { describe, expect, it } from "vitest";
import { attr, type Tensor } from "../../onnx/ir.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";

const scalar = (value: number, dataType: "float32" | "float64"): Tensor => ({
  dataType,
  dims: [],
  data: dataType === "float32" ? Float32Array.from([value]) : Float64Array.from([value]),
});

const dims = [2, 3, 4];
const cases: OpCase[] = [
  { name: "Relu", op: "Relu", inputs: [{ dims, values: "awayFromZero" }] },
  { name: "LeakyRelu", op: "LeakyRelu", inputs: [{ dims, values: "awayFromZero" }], attributes: { alpha: attr.float(0.1) }, dtype: "float32" },
  {
    name: "Clip min and max inputs",
    op: "Clip",
    inputs: [
      { dims, values: "awayFromZero" },
      { dims: [], values: scalar(-0.5, "float64"), constant: true },
      { dims: [], values: scalar(0.6, "float64"), constant: true },
    ],
  },
  {
    name: "Clip (ReLU6 form, max only)",
    op: "Clip",
    inputs: [{ dims, values: "awayFromZero" }, null, { dims: [], values: scalar(0.5, "float64"), constant: true }],
  },
  { name: "Sigmoid", op: "Sigmoid", inputs: [{ dims }] },
  { name: "Tanh", op: "Tanh", inputs: [{ dims }] },
  {
    name: "HardSigmoid",
    op: "HardSigmoid",
    inputs: [{ dims, values: "wide" }],
    attributes: { alpha: attr.float(0.5), beta: attr.float(0.4) },
    dtype: "float32",
    eps: 1e-4,
  },
  { name: "HardSwish", op: "HardSwish", inputs: [{ dims: [4, 8], values: "wide" }], dtype: "float32", eps: 1e-3, coordinates: 12 },
  { name: "Softmax last axis", op: "Softmax", inputs: [{ dims }] },
  { name: "Softmax axis 1", op: "Softmax", inputs: [{ dims }], attributes: { axis: attr.int(1) } },
  { name: "LogSoftmax", op: "LogSoftmax", inputs: [{ dims }] },
  { name: "Erf", op: "Erf", inputs: [{ dims, values: "wide" }], dtype: "float32", eps: 1e-3 },
  { name: "Gelu", op: "Gelu", inputs: [{ dims, values: "wide" }], dtype: "float32", eps: 1e-3, opset: 20 },
  {
    name: "Gelu tanh approximation",
    op: "Gelu",
    inputs: [{ dims, values: "wide" }],
    attributes: { approximate: attr.string("tanh") },
    dtype: "float32",
    eps: 1e-3,
    opset: 20,
  },
  { name: "LogSoftmax axis 0", op: "LogSoftmax", inputs: [{ dims }], attributes: { axis: attr.int(0) } },
];

describe("activation gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });
});
