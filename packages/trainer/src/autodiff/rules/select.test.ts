import { describe, expect, it } from "vitest";
import { attr } from "../../onnx/ir.ts";
import { checkOpCase, sumGradients, type OpCase } from "../testing/op-case.ts";
import { intTensor } from "../testing/values.ts";

const ints = (values: number[], dims = [values.length]) => ({ dims, values: intTensor(dims, values), constant: true });
const mode = (name: string) => ({ mode: attr.string(name) });

const cases: OpCase[] = [
  { name: "Slice steps 1", op: "Slice", inputs: [{ dims: [4, 5] }, ints([1, -4]), ints([3, 100]), ints([0, 1])] },
  { name: "Slice strided", op: "Slice", inputs: [{ dims: [4, 5] }, ints([0, 1]), ints([4, 5]), ints([0, 1]), ints([2, 2])] },
  { name: "Slice reversed", op: "Slice", inputs: [{ dims: [4, 5] }, ints([-1]), ints([-100]), ints([1]), ints([-1])] },
  { name: "Pad constant", op: "Pad", inputs: [{ dims: [2, 3] }, ints([1, 0, 2, 1])] },
  { name: "Pad negative (crop)", op: "Pad", inputs: [{ dims: [3, 4] }, ints([-1, 1, 0, -2])] },
  { name: "Pad constant, axes input (opset 18)", op: "Pad", inputs: [{ dims: [2, 3, 4] }, ints([1, 2, 0, 1]), null, ints([-1, 1])], opset: 18 },
  { name: "Pad reflect", op: "Pad", inputs: [{ dims: [1, 2, 4, 5] }, ints([0, 0, 2, 1, 0, 0, 1, 3])], attributes: mode("reflect") },
  { name: "Pad edge", op: "Pad", inputs: [{ dims: [2, 3, 4] }, ints([0, 2, 1, 0, 3, 2])], attributes: mode("edge") },
  { name: "Pad edge with a crop", op: "Pad", inputs: [{ dims: [3, 4] }, ints([2, -1, 0, 2])], attributes: mode("edge") },
  { name: "Gather axis 0, repeated indices", op: "Gather", inputs: [{ dims: [4, 3] }, ints([1, 3, 1, -1])] },
  { name: "Gather axis 1, scalar index", op: "Gather", inputs: [{ dims: [2, 5, 3] }, ints([2], [])], attributes: { axis: attr.int(1) } },
  { name: "Gather axis -1, 2-D indices", op: "Gather", inputs: [{ dims: [2, 5] }, ints([0, 4, 4, 2, -2, 1], [2, 3])], attributes: { axis: attr.int(-1) } },
  { name: "Gather, indices fed at run time", op: "Gather", inputs: [{ dims: [4, 3] }, { dims: [3], values: intTensor([3], [2, -4, 2]) }] },
];

describe("selection gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });

  it("sends every reflected and repeated edge cell back to its source", async () => {
    const x = { dims: [5], values: { dataType: "float64" as const, dims: [5], data: Float64Array.from([1, 2, 3, 4, 5]) }, wrt: true };
    // reflect by 2 on both sides reads [2, 1 | 0 1 2 3 4 | 3, 2]; edge by 2 reads [0, 0 | … | 4, 4]
    const reflect = await sumGradients({ name: "reflect", op: "Pad", inputs: [x, ints([2, 2])], attributes: mode("reflect") });
    expect(Array.from(reflect.get("x0")!.data as Float64Array)).toEqual([1, 2, 3, 2, 1]);
    const edge = await sumGradients({ name: "edge", op: "Pad", inputs: [x, ints([2, 2])], attributes: mode("edge") });
    expect(Array.from(edge.get("x0")!.data as Float64Array)).toEqual([3, 1, 1, 1, 3]);
  });
});
