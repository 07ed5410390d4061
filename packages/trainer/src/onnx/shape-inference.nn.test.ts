import { describe, expect, it } from "vitest";
import { attr, floatTensor, type Tensor } from "./ir.ts";
import { randomTensor, shapeMismatches, type ShapeCase } from "./testing/shape-check.ts";

const weights = (dims: number[]): Tensor => randomTensor("float32", dims, 7);

const convCases: ShapeCase[] = [
  {
    name: "Conv strides, pads, dilations, groups",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 4, 9, 11]);
      const w = b.initializer("w", weights([6, 2, 3, 3]));
      b.op("Conv", [x, w], { group: attr.int(2), strides: attr.ints([2, 3]), pads: attr.ints([1, 0, 2, 1]), dilations: attr.ints([1, 2]) });
    },
  },
  ...["SAME_UPPER", "SAME_LOWER", "VALID"].map((autoPad): ShapeCase => ({
    name: `Conv auto_pad ${autoPad}`,
    build: (b) => {
      const x = b.input("x", "float32", [1, 3, 10, 7]);
      const w = b.initializer("w", weights([5, 3, 3, 2]));
      const bias = b.initializer("bias", weights([5]));
      b.op("Conv", [x, w, bias], { auto_pad: attr.string(autoPad), strides: attr.ints([2, 2]) });
    },
  })),
  {
    name: "Conv 1x1 keeps symbolic spatial dims",
    build: (b) => {
      const x = b.input("x", "float32", ["n", 3, "h", "w"]);
      b.op("Conv", [x, b.initializer("w", weights([8, 3, 1, 1]))]);
    },
    bind: { n: 2, h: 5, w: 6 },
  },
  {
    name: "depthwise Conv with padding 1 keeps symbolic dims",
    build: (b) => {
      const x = b.input("x", "float32", ["n", 4, "h", "w"]);
      b.op("Conv", [x, b.initializer("w", weights([4, 1, 3, 3]))], { group: attr.int(4), pads: attr.ints([1, 1, 1, 1]) });
    },
    bind: { n: 3, h: 7, w: 5 },
  },
  {
    name: "ConvTranspose with strides, pads, output_padding, groups, output_shape",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 4, 3, 5]);
      const w = b.initializer("w", weights([4, 3, 3, 2]));
      b.op("ConvTranspose", [x, w], { strides: attr.ints([2, 3]), pads: attr.ints([1, 0, 0, 1]), output_padding: attr.ints([1, 2]), group: attr.int(2) });
      b.op("ConvTranspose", [x, w], { strides: attr.ints([2, 2]), output_shape: attr.ints([8, 11]) });
      b.op("ConvTranspose", [x, w], { pads: attr.ints([1, 0, 1, 0]), dilations: attr.ints([1, 2]) });
    },
  },
  {
    name: "MaxPool with Indices, ceil_mode and an end-padding window",
    build: (b) => {
      // Width: ⌈(5 + 1 − 2) / 3⌉ + 1 = 3 windows, but the third would start in the end padding.
      const x = b.input("x", "float32", [2, 3, 4, 5]);
      b.node(
        "MaxPool",
        [x],
        { kernel_shape: attr.ints([3, 2]), strides: attr.ints([2, 3]), pads: attr.ints([1, 0, 1, 1]), ceil_mode: attr.int(1) },
        { outputs: 2 },
      );
      b.node("MaxPool", [x], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) }, { outputs: 2 });
    },
  },
  {
    name: "AveragePool count_include_pad and ceil_mode",
    build: (b) => {
      const x = b.input("x", "float32", [1, 2, 7, 8]);
      b.op("AveragePool", [x], {
        kernel_shape: attr.ints([3, 3]),
        strides: attr.ints([2, 2]),
        pads: attr.ints([1, 1, 1, 1]),
        count_include_pad: attr.int(1),
        ceil_mode: attr.int(1),
      });
      b.op("AveragePool", [x], { kernel_shape: attr.ints([2, 2]), auto_pad: attr.string("SAME_UPPER"), strides: attr.ints([3, 3]) });
    },
  },
  {
    name: "global pools, BatchNormalization inference and training",
    build: (b) => {
      const x = b.input("x", "float32", ["batch", 3, 5, 4]);
      const stats = ["scale", "bias", "mean", "var"].map((n) => b.initializer(n, floatTensor([3], [1, 1, 1])));
      b.op("BatchNormalization", [x, ...stats]);
      b.node("BatchNormalization", [x, ...stats], { training_mode: attr.int(1) }, { outputs: 3 });
      b.op("GlobalAveragePool", [x]);
      b.op("GlobalMaxPool", [x]);
    },
  },
];

const matrixCases: ShapeCase[] = [
  {
    name: "Gemm with transA and transB",
    build: (b) => {
      const a = b.input("a", "float32", [4, 3]);
      b.op("Gemm", [a, b.initializer("w", weights([5, 4]))], { transA: attr.int(1), transB: attr.int(1) });
      b.op("Gemm", [b.input("c", "float32", ["batch", 4]), b.initializer("v", weights([4, 2])), b.initializer("bias", weights([2]))]);
    },
  },
  {
    name: "MatMul batched broadcast and 1-D operands",
    build: (b) => {
      const a = b.input("a", "float32", [2, 1, 3, 4]);
      b.op("MatMul", [a, b.input("b", "float32", [5, 4, 6])]);
      b.op("MatMul", [a, b.input("v", "float32", [4])]);
      b.op("MatMul", [b.input("u", "float32", [3]), b.input("m", "float32", [2, 3, 7])]);
    },
  },
];

const tables: [string, ShapeCase[]][] = [
  ["convolution and pooling", convCases],
  ["matrix products", matrixCases],
];

describe.each(tables)("inferShapes agrees with ONNX Runtime: %s", (_, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    expect(await shapeMismatches(c)).toEqual([]);
  });
});
