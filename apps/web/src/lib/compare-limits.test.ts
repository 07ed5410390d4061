import { describe, expect, it } from "vitest";
import { keyBudget, pointsPerSeries } from "./compare-limits.ts";

describe("compare limits", () => {
  it("keeps runs × keys within 400 series and 20 keys", () => {
    expect([keyBudget(2), keyBudget(20), keyBudget(100), keyBudget(300)]).toEqual([20, 20, 4, 1]);
  });
  it("keeps maxPoints × series within 400,000", () => {
    expect([pointsPerSeries(40), pointsPerSeries(400), pointsPerSeries(400, 500)]).toEqual([1000, 1000, 500]);
    expect(pointsPerSeries(800)).toBe(500);
  });
});
