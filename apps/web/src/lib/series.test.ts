import { describe, expect, it } from "vitest";
import { alignSeries, mergePoints } from "./series.ts";

const p = (step: number, value: number) => ({ step, value });

describe("mergePoints", () => {
  it("appends points past the end and replaces resent steps", () => {
    expect(mergePoints([p(0, 1), p(1, 2)], [p(3, 4), p(2, 3)])).toEqual([p(0, 1), p(1, 2), p(2, 3), p(3, 4)]);
    expect(mergePoints([p(0, 1), p(2, 3)], [p(1, 9), p(2, 8)])).toEqual([p(0, 1), p(1, 9), p(2, 8)]);
  });
});

describe("alignSeries", () => {
  it("puts every series on the union of steps with gaps as null", () => {
    const aligned = alignSeries([
      { label: "a", points: [p(0, 1), p(10, 2)] },
      { label: "b", points: [p(5, 3), p(10, 4), p(20, 5)] },
    ]);
    expect(aligned).toEqual([
      [0, 5, 10, 20],
      [1, null, 2, null],
      [null, 3, 4, 5],
    ]);
  });

  it("handles no series and empty series", () => {
    expect(alignSeries([])).toEqual([[]]);
    expect(alignSeries([{ label: "a", points: [] }])).toEqual([[], []]);
  });
});
