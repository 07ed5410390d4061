import { describe, expect, it } from "vitest";
import { attr } from "../../onnx/ir.ts";
import { checkOpCase, type InputSpec, type OpCase } from "../testing/op-case.ts";

function batchNormCase(name: string, x: number[], training: boolean, dtype: "float32" | "float64" = "float64"): OpCase {
  const c = [x[1]!];
  const statistics: InputSpec[] = [
    { dims: c, constant: true },
    { dims: c, values: "positive", constant: true },
  ];
  return {
    name,
    op: "BatchNormalization",
    dtype,
    inputs: [{ dims: x }, { dims: c }, { dims: c }, ...statistics],
    attributes: { epsilon: attr.float(1e-3), ...(training ? { training_mode: attr.int(1), momentum: attr.float(0.8) } : {}) },
    outputs: training ? 3 : 1,
  };
}

const cases: OpCase[] = [
  batchNormCase("inference, rank 4", [2, 3, 3, 2], false),
  batchNormCase("inference, rank 2", [4, 3], false),
  batchNormCase("training, rank 4", [2, 3, 3, 2], true),
  batchNormCase("training, rank 3", [3, 2, 5], true),
  batchNormCase("training, float32", [4, 3, 2, 2], true, "float32"),
  // momentum 0.99 keeps too little of the batch to recover its statistics: they are recomputed from X
  {
    ...batchNormCase("training, statistics recomputed (momentum 0.99)", [2, 3, 3, 2], true),
    attributes: { epsilon: attr.float(1e-3), training_mode: attr.int(1), momentum: attr.float(0.99) },
  },
  {
    ...batchNormCase("inference, input only (scale and shift fixed)", [2, 3, 3, 2], false),
    inputs: [
      { dims: [2, 3, 3, 2] },
      { dims: [3], constant: true },
      { dims: [3], constant: true },
      { dims: [3], constant: true },
      { dims: [3], values: "positive", constant: true },
    ],
  },
  {
    ...batchNormCase("training, scale only (input fixed)", [2, 3, 3, 2], true),
    inputs: [
      { dims: [2, 3, 3, 2], wrt: false },
      { dims: [3] },
      { dims: [3], constant: true },
      { dims: [3], constant: true },
      { dims: [3], values: "positive", constant: true },
    ],
  },
  { name: "Reciprocal", op: "Reciprocal", inputs: [{ dims: [2, 3], values: "positive" }] },
];

describe("normalization gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });
});
