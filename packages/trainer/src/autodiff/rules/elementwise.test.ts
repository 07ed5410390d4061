import { describe, expect, it } from "vitest";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";

const broadcastShapes: [string, number[], number[]][] = [
  ["same shape", [2, 3], [2, 3]],
  ["row vector", [2, 3], [3]],
  ["column", [2, 3], [2, 1]],
  ["scalar", [2, 3], []],
  ["both ways", [2, 1, 4], [3, 1]],
  ["rank 4 channel", [2, 3, 2, 2], [1, 3, 1, 1]],
];

const binaryCases: OpCase[] = ["Add", "Sub", "Mul", "Div"].flatMap((op) =>
  broadcastShapes.map(([label, a, b]): OpCase => ({
    name: `${op} ${label}`,
    op,
    inputs: [{ dims: a }, { dims: b, values: op === "Div" ? "positive" : "uniform" }],
  })),
);

const otherCases: OpCase[] = [
  { name: "Sum of three, broadcast", op: "Sum", inputs: [{ dims: [2, 3] }, { dims: [3] }, { dims: [2, 1] }] },
  {
    name: "Pow, constant exponent",
    op: "Pow",
    inputs: [
      { dims: [2, 3], values: "positive" },
      { dims: [], constant: true },
    ],
  },
  { name: "Pow, both inputs", op: "Pow", inputs: [{ dims: [2, 3], values: "positive" }, { dims: [3] }] },
  { name: "Neg", op: "Neg", inputs: [{ dims: [2, 3] }] },
  { name: "Exp", op: "Exp", inputs: [{ dims: [2, 3] }] },
  { name: "Log", op: "Log", inputs: [{ dims: [2, 3], values: "positive" }] },
  { name: "Sqrt", op: "Sqrt", inputs: [{ dims: [2, 3], values: "positive" }] },
  { name: "Mean of three, broadcast", op: "Mean", dtype: "float32", inputs: [{ dims: [2, 3] }, { dims: [3] }, { dims: [2, 1] }] },
  { name: "Max of two", op: "Max", inputs: [{ dims: [2, 3] }, { dims: [2, 3] }] },
  { name: "Max of three, broadcast", op: "Max", inputs: [{ dims: [2, 3] }, { dims: [3] }, { dims: [2, 1] }] },
  { name: "Min, broadcast", op: "Min", inputs: [{ dims: [2, 1, 4] }, { dims: [3, 1] }] },
  { name: "Min of one", op: "Min", inputs: [{ dims: [2, 3] }] },
  {
    name: "Where, broadcast branches",
    op: "Where",
    inputs: [{ dims: [2, 3], values: { dataType: "bool", dims: [2, 3], data: Uint8Array.from([1, 0, 1, 1, 0, 0]) } }, { dims: [3] }, { dims: [2, 1] }],
  },
];

describe("elementwise gradients", () => {
  it.each([...binaryCases, ...otherCases].map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
    expect(report.probes).toBeGreaterThan(0);
  });
});
