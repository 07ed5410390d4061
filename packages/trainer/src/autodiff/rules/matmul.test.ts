import { describe, expect, it } from "vitest";
import { attr } from "../../onnx/ir.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";

const matMulShapes: [string, number[], number[]][] = [
  ["2-D", [3, 4], [4, 5]],
  ["batched", [2, 3, 4], [2, 4, 5]],
  ["batched times matrix", [2, 3, 4], [4, 5]],
  ["broadcast batch", [2, 1, 3, 4], [3, 4, 2]],
  ["vector times matrix", [4], [4, 5]],
  ["matrix times vector", [3, 4], [4]],
  ["vector dot vector", [4], [4]],
  ["vector times batched", [4], [2, 4, 5]],
  ["batched times vector", [2, 3, 4], [4]],
];

const gemmCases: OpCase[] = [
  { name: "Gemm plain, bias row", op: "Gemm", inputs: [{ dims: [3, 4] }, { dims: [4, 5] }, { dims: [5] }] },
  { name: "Gemm transB (linear layer)", op: "Gemm", inputs: [{ dims: [3, 4] }, { dims: [5, 4] }, { dims: [5] }], attributes: { transB: attr.int(1) } },
  { name: "Gemm transA", op: "Gemm", inputs: [{ dims: [4, 3] }, { dims: [4, 5] }, { dims: [3, 1] }], attributes: { transA: attr.int(1) } },
  {
    name: "Gemm both transposed, alpha beta, full bias",
    op: "Gemm",
    inputs: [{ dims: [4, 3] }, { dims: [5, 4] }, { dims: [3, 5] }],
    attributes: { transA: attr.int(1), transB: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) },
  },
  { name: "Gemm scalar bias", op: "Gemm", inputs: [{ dims: [3, 4] }, { dims: [4, 5] }, { dims: [] }], attributes: { beta: attr.float(0.3) } },
  { name: "Gemm without bias", op: "Gemm", inputs: [{ dims: [3, 4] }, { dims: [4, 5] }] },
];

const cases: OpCase[] = [
  ...matMulShapes.map(([label, a, b]): OpCase => ({ name: `MatMul ${label}`, op: "MatMul", inputs: [{ dims: a }, { dims: b }] })),
  ...gemmCases,
];

describe("matrix product gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });
});
