import { describe, expect, it } from "vitest";
import { GraphBuilder } from "../onnx/builder.ts";
import { attr, floatTensor } from "../onnx/ir.ts";
import { countFlops } from "./flops.ts";
import type { SyntheticArchitecture } from "./synthetic/index.ts";
import { buildSyntheticModel } from "./synthetic/index.ts";

/** torchvision's published "GFLOPS" per image at the default resolution (these are multiply-accumulates). */
const TORCHVISION_GMACS: Partial<Record<SyntheticArchitecture, number>> = {
  resnet18: 1.81,
  resnet50: 4.09,
  "mobilenet-v2": 0.3,
  "mobilenet-v3-large": 0.22,
  "mobilenet-v3-small": 0.06,
  "efficientnet-b0": 0.39,
  vgg16: 15.47,
  densenet121: 2.83,
  "inception-v3": 5.71,
};

describe("countFlops", () => {
  it.each(Object.entries(TORCHVISION_GMACS))("matches torchvision's figure for %s", (architecture, gmacs) => {
    const { model } = buildSyntheticModel(architecture, { parameterStorage: "inputs" });
    const count = countFlops(model.graph);
    expect(Math.abs(count.multiplyAccumulates / 1e9 - gmacs)).toBeLessThan(0.0051);
    expect(count.total).toBeGreaterThan(2 * count.multiplyAccumulates);
  });

  it("counts a grouped conv, a Gemm, BN and elementwise ops by their formulas, scaled by batch", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", 4, 8, 8]);
    const conv = b.op("Conv", [x, b.initializer("w", floatTensor([6, 2, 3, 3])), b.initializer("b", floatTensor([6]))], {
      group: attr.int(2),
      kernel_shape: attr.ints([3, 3]),
      pads: attr.ints([1, 1, 1, 1]),
      strides: attr.ints([2, 2]),
    });
    b.valueInfo(conv, "float32", ["batch", 6, 4, 4]);
    const relu = b.op("Relu", [conv]);
    b.valueInfo(relu, "float32", ["batch", 6, 4, 4]);
    const flat = b.op("Flatten", [relu]);
    b.valueInfo(flat, "float32", ["batch", 96]);
    const y = b.op("Gemm", [flat, b.initializer("fc", floatTensor([10, 96]))], { transB: attr.int(1) });
    b.output(y, "float32", ["batch", 10]);
    const convMacs = 6 * 4 * 4 * (2 * 3 * 3);
    const one = countFlops(b.build());
    expect(one.multiplyAccumulates).toBe(convMacs + 96 * 10);
    expect(one.byOpType).toEqual({ Conv: 2 * convMacs + 96, Relu: 96, Flatten: 0, Gemm: 2 * 960 });
    expect(countFlops(b.build(), { symbols: { batch: 4 } }).total).toBe(4 * one.total);
  });

  it("names the tensor without a shape and the op without a formula", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 2]);
    b.op("Relu", [x]);
    expect(() => countFlops(b.build())).toThrow(/tensor 'Relu_output_0': shape unknown/);
    const c = new GraphBuilder();
    const y = c.op("Einsum", [c.input("x", "float32", [2])], { equation: attr.string("i->i") });
    c.valueInfo(y, "float32", [2]);
    expect(() => countFlops(c.build())).toThrow(/Einsum node 'Einsum': no FLOP formula/);
  });
});
