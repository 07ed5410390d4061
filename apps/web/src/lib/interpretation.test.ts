import { describe, expect, it } from "vitest";
import { lrFindScales, mostConfused, phaseMarkers } from "./interpretation.ts";

describe("phaseMarkers", () => {
  it("starts the first phase at 0 and each next one after the last point of the previous", () => {
    // fine_tune: 1 frozen epoch of 10 steps, then 2 unfrozen epochs (points at each epoch's last step).
    expect(
      phaseMarkers([
        { step: 29, value: 1 },
        { step: 9, value: 0 },
        { step: 19, value: 1 },
      ]),
    ).toEqual([
      { step: 0, label: "frozen" },
      { step: 10, label: "unfrozen" },
    ]);
    expect(phaseMarkers([{ step: 4, value: 1 }])).toEqual([{ step: 0, label: "unfrozen" }]);
    expect(phaseMarkers([])).toEqual([]);
  });
});

describe("lrFindScales", () => {
  const result = { lrs: [1e-6, 1e-4, 1e-2, 1], losses: [2, 1, 0.5, Number.NaN], suggestions: {} };
  const box = { width: 100, height: 60, padding: 10 };

  it("maps learning rates on a log scale and losses linearly, skipping non-finite losses", () => {
    const scales = lrFindScales(result, box);
    expect(scales.count).toBe(3);
    expect([scales.xMin, scales.xMax]).toEqual([-6, -2]);
    expect(scales.x(1e-6)).toBe(10);
    expect(scales.x(1e-4)).toBe(50);
    expect(scales.x(1e-2)).toBe(90);
    expect(scales.y(2)).toBe(10);
    expect(scales.y(0.5)).toBe(50);
    expect(scales.path).toBe("M10.0,10.0 L50.0,36.7 L90.0,50.0");
  });
});

describe("mostConfused", () => {
  it("lists off-diagonal cells, largest first", () => {
    const matrix = {
      classes: ["cat", "dog", "fox"],
      counts: [
        [5, 2, 0],
        [3, 6, 1],
        [0, 2, 4],
      ],
    };
    expect(mostConfused(matrix, 3)).toEqual([
      { actual: "dog", predicted: "cat", count: 3 },
      { actual: "cat", predicted: "dog", count: 2 },
      { actual: "fox", predicted: "dog", count: 2 },
    ]);
  });
});
