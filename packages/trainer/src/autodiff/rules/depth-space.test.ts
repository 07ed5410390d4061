import { describe, expect, it } from "vitest";
import { attr } from "../../onnx/ir.ts";
import { GraphBuilder } from "../../onnx/builder.ts";
import { shapeMismatches } from "../../onnx/testing/shape-check.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";

const cases: OpCase[] = [
  { name: "DepthToSpace DCR, block 2", op: "DepthToSpace", dtype: "float32", inputs: [{ dims: [2, 8, 2, 3] }], attributes: { blocksize: attr.int(2) } },
  {
    name: "DepthToSpace CRD, block 2",
    op: "DepthToSpace",
    dtype: "float32",
    inputs: [{ dims: [2, 8, 2, 3] }],
    attributes: { blocksize: attr.int(2), mode: attr.string("CRD") },
  },
  { name: "DepthToSpace DCR, block 3", op: "DepthToSpace", dtype: "float32", inputs: [{ dims: [1, 9, 2, 2] }], attributes: { blocksize: attr.int(3) } },
  { name: "SpaceToDepth, block 2", op: "SpaceToDepth", dtype: "float32", inputs: [{ dims: [2, 3, 4, 6] }], attributes: { blocksize: attr.int(2) } },
];

describe("DepthToSpace and SpaceToDepth", () => {
  it.each(cases.map((c) => [c.name, c] as const))("gradient: %s", async (_, testCase) => {
    const report = await checkOpCase({ ...testCase, coordinates: 10 });
    expect(report.failures).toEqual([]);
  });

  it("shape inference agrees with ONNX Runtime, keeping a symbolic batch", async () => {
    const mismatches = await shapeMismatches({
      name: "depth-space",
      build: (b: GraphBuilder) => {
        const x = b.input("x", "float32", ["batch", 12, 4, 6]);
        b.op("DepthToSpace", [x], { blocksize: attr.int(2) });
        b.op("DepthToSpace", [x], { blocksize: attr.int(2), mode: attr.string("CRD") });
        b.op("SpaceToDepth", [x], { blocksize: attr.int(2) });
      },
      bind: { batch: 2 },
    });
    expect(mismatches).toEqual([]);
  });
});
