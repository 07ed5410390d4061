import { describe, expect, it } from "vitest";
import { classCounts } from "./split-counts.ts";

describe("classCounts", () => {
  it("lays out classes by split, train first, with totals and zeros for gaps", () => {
    const table = classCounts({ valid: { ants: 70, bees: 83 }, train: { ants: 120, bees: 121, wasps: 3 } }, ["ants", "bees"]);
    expect(table).toEqual({
      splits: ["train", "valid"],
      rows: [
        { className: "ants", counts: [120, 70] },
        { className: "bees", counts: [121, 83] },
        { className: "wasps", counts: [3, 0] },
      ],
      totals: [244, 153],
    });
  });

  it("shows the class names alone when counts are missing or malformed", () => {
    expect(classCounts(null, ["a"])).toEqual({ splits: [], rows: [{ className: "a", counts: [] }], totals: [] });
    expect(classCounts([1, 2], [])).toEqual({ splits: [], rows: [], totals: [] });
  });
});
