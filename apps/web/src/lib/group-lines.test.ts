import { describe, expect, it } from "vitest";
import { chartLines } from "./group-lines.ts";

describe("chartLines", () => {
  it("keeps ungrouped runs and draws each group as mean, +std and −std with a band", () => {
    const runs = [
      { id: "a", name: "fold0" },
      { id: "b", name: "fold1" },
      { id: "c", name: "other" },
    ];
    const points = new Map([
      [
        "a",
        [
          { step: 0, value: 1 },
          { step: 1, value: 2 },
        ],
      ],
      [
        "b",
        [
          { step: 0, value: 3 },
          { step: 1, value: 4 },
        ],
      ],
      ["c", [{ step: 0, value: 9 }]],
    ]);
    const lines = chartLines(runs, points, [{ groupKey: "kf", runIds: ["a", "b"] }], (i) => ["#000000", "#ff0000"][i]!);
    expect(lines.series.map((one) => one.label)).toEqual(["other", "kf (2 runs) mean", "kf (2 runs) +std", "kf (2 runs) −std"]);
    expect(lines.series[1]!.points).toEqual([
      { step: 0, value: 2 },
      { step: 1, value: 3 },
    ]);
    expect(lines.series.map((one) => one.color)).toEqual(["#000000", "#ff0000", "#ff0000", "#ff0000"]);
    expect(lines.bands).toEqual([{ upper: 2, lower: 3, fill: "#ff000033" }]);
  });
});
