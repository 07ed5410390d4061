import { describe, expect, it } from "vitest";
import { attr } from "../../onnx/ir.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";

const cases: OpCase[] = [
  {
    name: "2×2 stride 2 (U-Net up-convolution) with bias",
    op: "ConvTranspose",
    inputs: [{ dims: [2, 3, 3, 4] }, { dims: [3, 4, 2, 2] }, { dims: [4] }],
    attributes: { strides: attr.ints([2, 2]) },
  },
  {
    name: "3×3 stride 1 with pads",
    op: "ConvTranspose",
    inputs: [{ dims: [1, 2, 4, 4] }, { dims: [2, 3, 3, 3] }],
    attributes: { pads: attr.ints([1, 1, 1, 1]) },
  },
  {
    name: "3×3 stride 2, pads and output_padding",
    op: "ConvTranspose",
    inputs: [{ dims: [2, 2, 3, 3] }, { dims: [2, 2, 3, 3] }, { dims: [2] }],
    attributes: { strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]), output_padding: attr.ints([1, 1]) },
  },
  {
    name: "grouped, dilated",
    op: "ConvTranspose",
    inputs: [{ dims: [1, 4, 3, 3] }, { dims: [4, 1, 2, 2] }],
    attributes: { group: attr.int(2), dilations: attr.ints([2, 1]), strides: attr.ints([1, 2]) },
  },
  {
    name: "depthwise 4×4 stride 2 pads 1",
    op: "ConvTranspose",
    inputs: [{ dims: [1, 3, 3, 3] }, { dims: [3, 1, 4, 4] }],
    attributes: { group: attr.int(3), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) },
  },
];

describe("ConvTranspose gradient", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase({ ...testCase, dtype: "float32", coordinates: 8 });
    expect(report.failures).toEqual([]);
  });

  it("refuses output_shape, naming what it needs instead", async () => {
    await expect(
      checkOpCase({
        name: "output_shape",
        op: "ConvTranspose",
        dtype: "float32",
        inputs: [{ dims: [1, 1, 2, 2] }, { dims: [1, 1, 2, 2] }],
        attributes: { strides: attr.ints([2, 2]), output_shape: attr.ints([4, 4]) },
      }),
    ).rejects.toThrow(/explicit pads and output_padding instead of output_shape/);
  });
});
