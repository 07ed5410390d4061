import { describe, expect, it } from "vitest";
import { axisPosition, parallelAxes, runPositions, type PcRun } from "./parallel-coordinates.ts";

const RUNS: PcRun[] = [
  {
    id: "a",
    name: "a",
    params: [
      { key: "lr", value: 0.0001 },
      { key: "opt", value: "adamw" },
      { key: "epochs", value: 4 },
      { key: "bs", value: 32 },
    ],
    metric: 0.8,
  },
  {
    id: "b",
    name: "b",
    params: [
      { key: "lr", value: 0.01 },
      { key: "opt", value: "sgd" },
      { key: "epochs", value: 4 },
      { key: "bs", value: 64 },
    ],
    metric: 0.9,
  },
  {
    id: "c",
    name: "c",
    params: [
      { key: "lr", value: 0.001 },
      { key: "opt", value: "adamw" },
      { key: "epochs", value: 4 },
    ],
    metric: null,
  },
];

describe("parallelAxes", () => {
  it("keeps the params that differ, log-scales wide positive ranges and ends with the metric", () => {
    const axes = parallelAxes(RUNS, "valid_accuracy");
    expect(axes.map((axis) => axis.key)).toEqual(["bs", "lr", "opt", "valid_accuracy"]);
    expect(axes[0]).toEqual({ key: "bs", kind: "category", categories: ["32", "64", "null"] });
    expect(axes[1]).toEqual({ key: "lr", kind: "number", min: 0.0001, max: 0.01, log: true });
    expect(axes[3]).toEqual({ key: "valid_accuracy", kind: "number", min: 0.8, max: 0.9, log: false });
  });

  it("places values from bottom (0) to top (1), null where a run has none", () => {
    const axes = parallelAxes(RUNS, "valid_accuracy");
    expect(axisPosition(axes[1]!, 0.001)).toBeCloseTo(0.5, 12);
    expect(runPositions(RUNS[1]!, axes, "valid_accuracy")).toEqual([0.5, 1, 1, 1]);
    expect(runPositions(RUNS[2]!, axes, "valid_accuracy")).toEqual([1, expect.closeTo(0.5, 12), 0, null]);
  });
});
