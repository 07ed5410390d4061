import { describe, expect, it } from "vitest";
import { suggestFrom } from "./lr-find.ts";
import { gradient, minimum, slide, steep, valley } from "./suggestions.ts";

/** n learning rates spread evenly in log space from 1e-6 to 1. */
const logspace = (n: number) => Array.from({ length: n }, (_, i) => 10 ** (-6 + (6 * i) / (n - 1)));

describe("lr_find suggestions (fastai's functions, by value)", () => {
  it("minimum: a tenth of the rate at the lowest loss", () => {
    const lrs = logspace(61); // lrs[30] = 1e-3
    const losses = lrs.map((lr) => (Math.log10(lr) + 3) ** 2 + 1);
    const s = minimum(lrs, losses);
    expect(s.learningRate).toBeCloseTo(1e-4, 12);
    expect(s.point).toEqual([lrs[30], losses[30]]);
  });

  it("steep: the rate where the loss falls fastest per log step", () => {
    const lrs = logspace(7);
    const losses = [3, 2.9, 2.7, 1.5, 1.2, 1.1, 5]; // the biggest drop is from index 2 to 3
    expect(steep(lrs, losses).learningRate).toBe(lrs[2]);
  });

  it("valley: a third-and-a-half into the longest decreasing run (fastai's index arithmetic)", () => {
    const lrs = logspace(16);
    // 10 strictly decreasing points, then a blow-up above every earlier loss.
    const losses = [...Array.from({ length: 10 }, (_, i) => 3 - 0.2 * i), ...Array.from({ length: 6 }, (_, i) => 10 + i)];
    // lds[9] = 10, max_start = 9 − 10 = −1, sections = 10/3, idx = −1 + 3 + 1 = 3
    expect(valley(lrs, losses)).toEqual({ learningRate: lrs[3], point: [lrs[3], losses[3]] });
    // A valley starting later: flat start, then 9 decreasing points from index 5 to 13.
    const later = [5, 5, 5, 5, 5, 4.9, 4.5, 4, 3.5, 3, 2.5, 2, 1.5, 1, 9, 9.5];
    // The run 5(idx 4),4.9,…,1 has lds[13] = 10, max_start = 3, sections = 10/3, idx = 3 + 3 + 1 = 7
    expect(valley(lrs, later).learningRate).toBe(lrs[7]);
  });

  it("slide: the left end of the last 15-point window whose loss gradients differ by more than the threshold", () => {
    const lrs = logspace(50);
    const losses = lrs.map((_, i) => (i < 30 ? 1 : 1 + 0.1 * (i - 30) ** 2));
    // grad[i] = 0 up to i = 29, > 0.005 from i = 30: the last window to move has its right end at 30, left at 15.
    expect(slide(lrs, losses).learningRate).toBe(lrs[15]);
    const linear = lrs.map((_, i) => 2 - 0.01 * i);
    expect(slide(lrs, linear).learningRate).toBe(lrs[50 - 16]);
  });

  it("numpy.gradient: central differences, one-sided at the ends", () => {
    expect(gradient([1, 2, 4, 7])).toEqual([1, 1.5, 2.5, 3]);
  });

  it("suggestFrom drops the first tenth and the last 5 points, and stops at a NaN", () => {
    const lrs = logspace(40);
    const losses = lrs.map((_, i) => (i === 2 ? -100 : i > 30 ? Number.NaN : 10 - 0.1 * i));
    const { minimum: m } = suggestFrom(lrs, losses, 40, ["minimum"]);
    // The outlier at index 2 lies in the skipped first tenth; the NaNs cut the curve after index 30.
    expect(m!.point[0]).toBe(lrs[30]);
    expect(() => suggestFrom(lrs, losses, 40, ["nope" as "valley"])).toThrow(/one of valley, minimum, steep, slide/);
  });
});
