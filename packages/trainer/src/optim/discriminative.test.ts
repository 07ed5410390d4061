import { describe, expect, it } from "vitest";
import { evenMultiples, learningRatesForGroups, slice } from "./discriminative.ts";

describe("discriminative learning rates (fastai slice semantics)", () => {
  it("spreads slice(start, stop) geometrically over the groups", () => {
    const lrs = learningRatesForGroups(slice(1e-5, 1e-3), 3);
    expect(lrs[0]).toBeCloseTo(1e-5, 15);
    expect(lrs[1]).toBeCloseTo(1e-4, 15);
    expect(lrs[2]).toBeCloseTo(1e-3, 15);
  });

  it("gives slice(stop) stop/10 to all groups but the last", () => {
    expect(learningRatesForGroups(slice(1e-3), 3)).toEqual([1e-4, 1e-4, 1e-3]);
  });

  it("gives a number to every group, and one group the stop", () => {
    expect(learningRatesForGroups(0.01, 2)).toEqual([0.01, 0.01]);
    expect(evenMultiples(1e-5, 1e-3, 1)).toEqual([1e-3]);
  });

  it("rejects non-positive rates", () => {
    expect(() => learningRatesForGroups(slice(0, 1e-3), 2)).toThrow(/learningRate.start must be a finite number > 0/);
    expect(() => learningRatesForGroups(1e-3, 0)).toThrow(/groupCount must be an integer ≥ 1/);
  });
});
