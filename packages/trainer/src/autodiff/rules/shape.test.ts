import { describe, expect, it } from "vitest";
import { attr } from "../../onnx/ir.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";
import { intTensor } from "../testing/values.ts";

const ints = (values: number[]) => ({ dims: [values.length], values: intTensor([values.length], values), constant: true });

const cases: OpCase[] = [
  { name: "Reshape", op: "Reshape", inputs: [{ dims: [2, 3, 2] }, ints([3, 4])] },
  { name: "Flatten axis 2", op: "Flatten", inputs: [{ dims: [2, 3, 2, 2] }], attributes: { axis: attr.int(2) } },
  { name: "Squeeze (axes input)", op: "Squeeze", inputs: [{ dims: [2, 1, 3] }, ints([1])] },
  { name: "Unsqueeze", op: "Unsqueeze", inputs: [{ dims: [2, 3] }, ints([0, 3])] },
  { name: "Identity", op: "Identity", inputs: [{ dims: [2, 3] }] },
  {
    name: "Cast to float32",
    op: "Cast",
    inputs: [{ dims: [2, 3] }],
    attributes: { to: attr.int(1) },
    outputType: "float32",
    eps: 1e-2,
    rtol: 1e-3,
    atol: 1e-4,
  },
  { name: "CastLike (its type input gets no gradient)", op: "CastLike", inputs: [{ dims: [2, 3] }, { dims: [1], constant: true }] },
  { name: "Transpose default", op: "Transpose", inputs: [{ dims: [2, 3, 4] }] },
  { name: "Transpose perm", op: "Transpose", inputs: [{ dims: [2, 3, 4, 5] }], attributes: { perm: attr.ints([0, 2, 3, 1]) } },
  { name: "Concat axis 1", op: "Concat", inputs: [{ dims: [2, 1, 2] }, { dims: [2, 3, 2] }, { dims: [2, 2, 2] }], attributes: { axis: attr.int(1) } },
  { name: "Concat axis -1", op: "Concat", inputs: [{ dims: [2, 3] }, { dims: [2, 2] }], attributes: { axis: attr.int(-1) } },
];

describe("shape gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });
});
