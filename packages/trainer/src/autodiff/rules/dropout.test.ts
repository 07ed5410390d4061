import { describe, expect, it } from "vitest";
import { attr, type Tensor } from "../../onnx/ir.ts";
import { checkOpCase, sumGradients, type InputSpec, type OpCase } from "../testing/op-case.ts";

const scalar = (value: number): InputSpec => ({ dims: [], values: { dataType: "float64", dims: [], data: Float64Array.from([value]) }, constant: true });
const flag = (on: boolean): InputSpec => ({ dims: [], values: { dataType: "bool", dims: [], data: Uint8Array.from([on ? 1 : 0]) }, constant: true });
const seed = { seed: attr.int(3) };

// In training mode every evaluation runs in a fresh session, so it draws the mask the gradient saw.
const cases: OpCase[] = [
  { name: "inference (no training_mode)", op: "Dropout", inputs: [{ dims: [2, 3] }] },
  { name: "inference (training_mode false)", op: "Dropout", inputs: [{ dims: [2, 3] }, scalar(0.3), flag(false)] },
  { name: "training, ratio 0.3", op: "Dropout", inputs: [{ dims: [4, 6] }, scalar(0.3), flag(true)], attributes: seed, freshSessions: true, coordinates: 10 },
  {
    name: "training, default ratio, mask output used",
    op: "Dropout",
    inputs: [{ dims: [3, 5] }, null, flag(true)],
    attributes: seed,
    outputs: 2,
    freshSessions: true,
    coordinates: 10,
  },
  {
    name: "training, ratio fed at run time",
    op: "Dropout",
    inputs: [{ dims: [4, 4] }, { ...scalar(0.6), constant: false }, flag(true)],
    attributes: seed,
    freshSessions: true,
    coordinates: 10,
  },
];

describe("Dropout gradients", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase(testCase);
    expect(report.failures).toEqual([]);
  });

  it("passes dY / (1 − ratio) where the mask kept X and 0 where it dropped it", async () => {
    const x: InputSpec = { dims: [1, 64], values: { dataType: "float64", dims: [1, 64], data: new Float64Array(64).fill(1) }, wrt: true };
    const gradient = (await sumGradients({ name: "dropout", op: "Dropout", inputs: [x, scalar(0.25), flag(true)], attributes: seed })).get("x0") as Tensor;
    const values = Array.from(gradient.data as Float64Array);
    expect(new Set(values)).toEqual(new Set([0, 1 / 0.75]));
    const dropped = values.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(4);
    expect(dropped).toBeLessThan(32);
  });

  it("refuses a training_mode that is not a constant", async () => {
    const fed: InputSpec = { dims: [], values: { dataType: "bool", dims: [], data: Uint8Array.from([1]) } };
    await expect(checkOpCase({ name: "fed mode", op: "Dropout", inputs: [{ dims: [2, 3] }, scalar(0.5), fed] })).rejects.toThrow(
      /Dropout node 'dropout': the gradient needs a constant training_mode input/,
    );
  });
});
