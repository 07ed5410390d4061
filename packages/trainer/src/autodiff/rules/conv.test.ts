import { describe, expect, it } from "vitest";
import { attr, type Attribute } from "../../onnx/ir.ts";
import { nchwcBlockSize } from "../../runtime/nchwc.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";

interface ConvRow {
  name: string;
  x: number[];
  w: number[];
  bias?: boolean;
  attributes?: Record<string, Attribute>;
}

// ONNX Runtime's CPU Conv is float32 only, so these check in float32.
const rows: ConvRow[] = [
  { name: "3x3 pad 1 with bias", x: [2, 3, 5, 5], w: [4, 3, 3, 3], bias: true, attributes: { pads: attr.ints([1, 1, 1, 1]) } },
  { name: "stride 2, asymmetric pads", x: [1, 2, 6, 7], w: [3, 2, 3, 3], attributes: { strides: attr.ints([2, 2]), pads: attr.ints([0, 1, 1, 0]) } },
  { name: "stride 2, rows no window reaches", x: [1, 2, 6, 6], w: [2, 2, 3, 3], attributes: { strides: attr.ints([2, 2]) } },
  { name: "dilation 2", x: [1, 2, 7, 7], w: [3, 2, 3, 3], bias: true, attributes: { dilations: attr.ints([2, 2]), pads: attr.ints([2, 2, 2, 2]) } },
  {
    name: "stride 2 and dilation 2",
    x: [1, 2, 9, 8],
    w: [2, 2, 3, 3],
    attributes: { strides: attr.ints([2, 2]), dilations: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) },
  },
  { name: "group 2", x: [2, 4, 5, 5], w: [6, 2, 3, 3], bias: true, attributes: { group: attr.int(2), pads: attr.ints([1, 1, 1, 1]) } },
  {
    name: "depthwise stride 2",
    x: [2, 4, 6, 6],
    w: [4, 1, 3, 3],
    attributes: { group: attr.int(4), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) },
  },
  { name: "depthwise multiplier 2, 5x5", x: [2, 3, 7, 7], w: [6, 1, 5, 5], bias: true, attributes: { group: attr.int(3), pads: attr.ints([2, 2, 2, 2]) } },
  { name: "1x1 pointwise", x: [2, 4, 3, 3], w: [5, 4, 1, 1], bias: true },
  { name: "auto_pad SAME_UPPER stride 2", x: [1, 2, 7, 6], w: [2, 2, 3, 3], attributes: { auto_pad: attr.string("SAME_UPPER"), strides: attr.ints([2, 2]) } },
  { name: "auto_pad SAME_LOWER", x: [1, 2, 6, 6], w: [2, 2, 4, 4], attributes: { auto_pad: attr.string("SAME_LOWER") } },
  { name: "rectangular kernel and strides", x: [1, 2, 5, 8], w: [3, 2, 1, 3], attributes: { strides: attr.ints([2, 1]), pads: attr.ints([0, 1, 0, 1]) } },
  { name: "1-D", x: [2, 3, 9], w: [4, 3, 3], bias: true, attributes: { strides: attr.ints([2]), pads: attr.ints([1, 1]) } },
  // Stride 1 on maps of 28² or more: dX is a Conv with the flipped kernel.
  { name: "28x28 3x3 pad 1 (flipped-kernel dX)", x: [1, 2, 28, 28], w: [3, 2, 3, 3], attributes: { pads: attr.ints([1, 1, 1, 1]) } },
  {
    name: "28x28 group 2, asymmetric pads, dilation 2 (flipped-kernel dX)",
    x: [1, 4, 28, 29],
    w: [6, 2, 3, 2],
    attributes: { group: attr.int(2), dilations: attr.ints([2, 2]), pads: attr.ints([2, 0, 1, 2]) },
  },
  {
    name: "28x28 depthwise multiplier 2 (flipped-kernel dX)",
    x: [1, 2, 28, 28],
    w: [4, 1, 3, 3],
    attributes: { group: attr.int(2), pads: attr.ints([1, 1, 1, 1]) },
  },
  { name: "28x28 SAME_UPPER 4x4 (flipped-kernel dX)", x: [1, 2, 28, 28], w: [2, 2, 4, 4], attributes: { auto_pad: attr.string("SAME_UPPER") } },
  // One group: dW by slices, batched over images on outputs of 28² or more, channel-major below;
  // a kernel of more than 9 taps over few channels keeps the convolution.
  {
    name: "56x56 stride 2 dilation 2, 28x28 output (batched-slices dW)",
    x: [2, 3, 56, 57],
    w: [2, 3, 3, 3],
    bias: true,
    attributes: { strides: attr.ints([2, 2]), dilations: attr.ints([2, 2]), pads: attr.ints([2, 1, 1, 2]) },
  },
  {
    name: "7x7 stride 2 over 3 channels (convolution dW)",
    x: [1, 3, 12, 12],
    w: [2, 3, 7, 7],
    attributes: { strides: attr.ints([2, 2]), pads: attr.ints([3, 3, 3, 3]) },
  },
];

const depthwiseRows: ConvRow[] = [
  { name: "depthwise 3x3 pad 1", x: [2, 4, 6, 6], w: [4, 1, 3, 3], attributes: { group: attr.int(4), pads: attr.ints([1, 1, 1, 1]) } },
  {
    name: "depthwise 5x5 stride 2 dilation 2",
    x: [2, 3, 11, 9],
    w: [3, 1, 5, 5],
    attributes: { group: attr.int(3), strides: attr.ints([2, 2]), dilations: attr.ints([2, 2]), pads: attr.ints([4, 3, 4, 3]) },
  },
  {
    name: "depthwise stride 2, SAME_UPPER",
    x: [1, 3, 7, 7],
    w: [3, 1, 3, 3],
    attributes: { group: attr.int(3), strides: attr.ints([2, 2]), auto_pad: attr.string("SAME_UPPER") },
  },
];

const toCase = (row: ConvRow): OpCase => ({
  name: row.name,
  op: "Conv",
  dtype: "float32",
  inputs: [{ dims: row.x }, { dims: row.w }, ...(row.bias ? [{ dims: [row.w[0]!] }] : [])],
  attributes: row.attributes,
});

const cases: OpCase[] = [
  ...rows.map(toCase),
  ...depthwiseRows.flatMap((row) =>
    (["grouped-conv", "shifted-slices"] as const).map((strategy) => ({ ...toCase(row), name: `${row.name} (${strategy})`, depthwiseWeightGradient: strategy })),
  ),
];

describe("Conv gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });
});

// dW in ORT's NCHWc layout needs batch·channels to fill whole blocks (16 with AVX-512, 8 with AVX2).
const block = await nchwcBlockSize();
const nchwcRows: ConvRow[] = [
  { name: "depthwise 3x3 pad 1", x: [2, 16, 6, 6], w: [16, 1, 3, 3], attributes: { group: attr.int(16), pads: attr.ints([1, 1, 1, 1]) } },
  {
    name: "depthwise stride 2, rows no window reaches",
    x: [1, 16, 8, 7],
    w: [16, 1, 3, 3],
    bias: true,
    attributes: { group: attr.int(16), strides: attr.ints([2, 2]) },
  },
  {
    name: "depthwise 5x5 stride 2 dilation 2, asymmetric pads",
    x: [2, 8, 11, 9],
    w: [8, 1, 5, 5],
    attributes: { group: attr.int(8), strides: attr.ints([2, 2]), dilations: attr.ints([2, 2]), pads: attr.ints([4, 3, 3, 4]) },
  },
  {
    name: "depthwise on 14x14, stride 1 (flipped-kernel dX at any size)",
    x: [1, 16, 14, 14],
    w: [16, 1, 3, 3],
    attributes: { group: attr.int(16), pads: attr.ints([1, 1, 1, 1]) },
  },
];

describe.skipIf(block <= 1)(`Conv gradients, depthwise dW in ONNX Runtime's NCHWc layout (block ${block})`, () => {
  it.each(nchwcRows.map((row) => [row.name, row] as const))("%s", async (_, row) => {
    const report = await checkOpCase({ ...toCase(row), depthwiseWeightGradient: "nchwc", nchwcBlockSize: block });
    expect(report.failures).toEqual([]);
  });
});
