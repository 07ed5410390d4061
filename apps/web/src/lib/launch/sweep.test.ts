import { describe, expect, it } from "vitest";
import type { FieldSpec } from "./sdl-fields.ts";
import { emptyRow, sweepParameters, sweepRunCount } from "./sweep.ts";

const SPECS: FieldSpec[] = [
  { path: "learningRate", kind: "float", defaultValue: 0.002, nullable: true, description: "" },
  { path: "batchSize", kind: "int", defaultValue: 64, nullable: true, description: "" },
  { path: "augmentation.flip", kind: "boolean", defaultValue: true, nullable: true, description: "" },
];

describe("sweepParameters", () => {
  it("types grid values by their field and counts the grid's runs", () => {
    const rows = [
      { ...emptyRow("learningRate"), values: "0.001, 0.01, 3e-2" },
      { ...emptyRow("batchSize"), values: "8,16" },
      { ...emptyRow("augmentation.flip"), values: "true, false" },
    ];
    const { parameters, errors } = sweepParameters(rows, SPECS, "GRID");
    expect(errors).toEqual({});
    expect(parameters).toEqual([
      { key: "learningRate", values: [0.001, 0.01, 0.03] },
      { key: "batchSize", values: [8, 16] },
      { key: "augmentation.flip", values: [true, false] },
    ]);
    expect(sweepRunCount(parameters, "GRID", 10)).toBe(12);
    expect(sweepRunCount(parameters, "RANDOM", 10)).toBe(10);
  });

  it("takes ranges for random sweeps only, and names what is wrong per row", () => {
    const range = { ...emptyRow("learningRate"), min: "1e-4", max: "1e-2" };
    expect(sweepParameters([range], SPECS, "RANDOM").parameters).toEqual([{ key: "learningRate", min: 0.0001, max: 0.01, log: true, integer: false }]);
    expect(sweepParameters([range], SPECS, "GRID").errors).toEqual({ "sweep:learningRate": "needs a list of values (a grid takes no ranges)" });
    expect(sweepParameters([{ ...emptyRow("batchSize"), values: "8, 1.5" }], SPECS, "GRID").errors).toEqual({
      "sweep:batchSize": 'value "1.5" must be a whole number',
    });
    expect(sweepParameters([{ ...range, min: "1", max: "0.5" }], SPECS, "RANDOM").errors["sweep:learningRate"]).toBe("min must not exceed max");
    expect(sweepParameters([], SPECS, "GRID").errors).toEqual({ sweep: "add at least one hyperparameter to sweep" });
  });
});
