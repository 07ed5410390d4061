import { describe, expect, it } from "vitest";
import { attr, type Attribute } from "../../onnx/ir.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";

interface PoolRow {
  name: string;
  x: number[];
  attributes: Record<string, Attribute>;
}

const k = (...sizes: number[]) => attr.ints(sizes);

const maxRows: PoolRow[] = [
  { name: "2x2 stride 2", x: [2, 3, 4, 4], attributes: { kernel_shape: k(2, 2), strides: k(2, 2) } },
  { name: "3x3 stride 2 pad 1 (overlapping windows)", x: [1, 2, 7, 7], attributes: { kernel_shape: k(3, 3), strides: k(2, 2), pads: k(1, 1, 1, 1) } },
  { name: "3x3 stride 1 (heavy overlap)", x: [1, 2, 5, 5], attributes: { kernel_shape: k(3, 3) } },
  { name: "ceil_mode", x: [1, 2, 6, 5], attributes: { kernel_shape: k(3, 3), strides: k(2, 2), ceil_mode: attr.int(1) } },
  { name: "dilation 2", x: [1, 2, 7, 7], attributes: { kernel_shape: k(2, 2), dilations: k(2, 2) } },
];

const averageRows: PoolRow[] = [
  { name: "2x2 stride 2", x: [2, 3, 4, 4], attributes: { kernel_shape: k(2, 2), strides: k(2, 2) } },
  { name: "3x3 stride 1 pad 1, excluding pads", x: [1, 2, 5, 5], attributes: { kernel_shape: k(3, 3), pads: k(1, 1, 1, 1) } },
  {
    name: "3x3 stride 2 pad 1, including pads",
    x: [1, 2, 6, 6],
    attributes: { kernel_shape: k(3, 3), strides: k(2, 2), pads: k(1, 1, 1, 1), count_include_pad: attr.int(1) },
  },
  { name: "ceil_mode excluding pads", x: [1, 2, 6, 5], attributes: { kernel_shape: k(3, 3), strides: k(2, 2), ceil_mode: attr.int(1) } },
  {
    name: "ceil_mode including pads",
    x: [1, 2, 6, 7],
    attributes: { kernel_shape: k(3, 2), strides: k(2, 2), pads: k(1, 0, 1, 0), ceil_mode: attr.int(1), count_include_pad: attr.int(1) },
  },
  { name: "rows no window reaches", x: [1, 1, 7, 7], attributes: { kernel_shape: k(2, 2), strides: k(3, 3) } },
  { name: "SAME_UPPER", x: [1, 2, 5, 5], attributes: { kernel_shape: k(3, 3), strides: k(2, 2), auto_pad: attr.string("SAME_UPPER") } },
];

// MaxPool runs in float64 on ONNX Runtime CPU; AveragePool is float32 only.
const cases: OpCase[] = [
  ...maxRows.map((row): OpCase => ({ name: `MaxPool ${row.name}`, op: "MaxPool", inputs: [{ dims: row.x, values: "distinct" }], attributes: row.attributes })),
  {
    name: "MaxPool with its Indices output used",
    op: "MaxPool",
    inputs: [{ dims: [1, 2, 4, 4], values: "distinct" }],
    attributes: { kernel_shape: k(2, 2) },
    outputs: 2,
  },
  ...averageRows.map((row): OpCase => ({
    name: `AveragePool ${row.name}`,
    op: "AveragePool",
    dtype: "float32",
    inputs: [{ dims: row.x }],
    attributes: row.attributes,
  })),
  { name: "GlobalAveragePool", op: "GlobalAveragePool", dtype: "float32", inputs: [{ dims: [2, 3, 4, 5] }] },
  { name: "GlobalMaxPool", op: "GlobalMaxPool", dtype: "float32", inputs: [{ dims: [2, 3, 4, 5], values: "distinct" }] },
  { name: "GlobalMaxPool 1-D", op: "GlobalMaxPool", dtype: "float32", inputs: [{ dims: [2, 3, 6], values: "distinct" }] },
];

describe("pooling gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });
});
