import { describe, expect, it } from "vitest";
import { groupRuns, interpolate, meanStdBand } from "./groups.ts";

describe("groupRuns", () => {
  it("keeps groups of two or more runs", () => {
    const runs = [
      { id: "a", groupKey: "kf" },
      { id: "b", groupKey: "kf" },
      { id: "c", groupKey: "solo" },
      { id: "d", groupKey: null },
      { id: "e", groupKey: "kf" },
    ];
    expect(groupRuns(runs)).toEqual([{ groupKey: "kf", runIds: ["a", "b", "e"] }]);
  });
});

describe("meanStdBand", () => {
  it("averages runs on shared steps with the sample standard deviation", () => {
    const band = meanStdBand([
      [
        { step: 0, value: 1 },
        { step: 10, value: 3 },
      ],
      [
        { step: 0, value: 3 },
        { step: 10, value: 5 },
      ],
    ]);
    expect(band.mean).toEqual([
      { step: 0, value: 2 },
      { step: 10, value: 4 },
    ]);
    // values 1 and 3: std = sqrt(((1-2)² + (3-2)²) / 1) = √2
    expect(band.upper[0]!.value).toBeCloseTo(2 + Math.SQRT2, 12);
    expect(band.lower[1]!.value).toBeCloseTo(4 - Math.SQRT2, 12);
  });

  it("interpolates runs whose steps differ, inside the range all of them cover", () => {
    const band = meanStdBand([
      [
        { step: 0, value: 0 },
        { step: 4, value: 4 },
        { step: 8, value: 8 },
      ],
      [
        { step: 2, value: 2 },
        { step: 6, value: 2 },
      ],
    ]);
    expect(band.mean.map((point) => point.step)).toEqual([2, 4, 6]);
    expect(band.mean.map((point) => point.value)).toEqual([2, 3, 4]);
    expect(
      interpolate(
        [
          { step: 0, value: 0 },
          { step: 4, value: 8 },
        ],
        1,
      ),
    ).toBe(2);
  });
});
