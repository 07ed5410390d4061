import { describe, expect, it } from "vitest";
import type { LrFindResult } from "../learner/index.ts";
import { curveTable, renderPlotPixels, textPlot } from "./plot.ts";

const lrs = Array.from({ length: 50 }, (_, i) => 1e-7 * 10 ** (i / 6));
const losses = lrs.map((lr) => 1 + (Math.log10(lr) + 3) ** 2 / 20);
const result: LrFindResult = { lrs, losses, suggestions: { valley: { learningRate: lrs[20]!, point: [lrs[20]!, losses[20]!] } } };

function count(pixels: Buffer, rgb: [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 3) if (pixels[i] === rgb[0] && pixels[i + 1] === rgb[1] && pixels[i + 2] === rgb[2]) n++;
  return n;
}

describe("lr-find plots", () => {
  it("draws the curve, the axes and the suggestion into RGB pixels", () => {
    const pixels = renderPlotPixels(result, 320, 200);
    expect(pixels.length).toBe(320 * 200 * 3);
    // One curve pixel per column at least, across the plotting width (320 − 2·40 margins).
    expect(count(pixels, [31, 119, 180])).toBeGreaterThanOrEqual(240);
    expect(count(pixels, [214, 39, 40])).toBeGreaterThan(30);
    expect(count(pixels, [120, 120, 120])).toBeGreaterThanOrEqual(240 + 120);
    // The lowest loss (lr 1e-3, index 24) is drawn on the bottom edge of the plotting area.
    const x = Math.round(40 + (24 / 49) * 240);
    const y = 200 - 40;
    expect([...pixels.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3)]).toEqual([31, 119, 180]);
  });

  it("prints a character plot with the suggestion and a table", () => {
    const text = textPlot(result);
    expect(text.split("\n")).toHaveLength(16 + 3);
    expect(text).toContain("O");
    expect(text).toMatch(/1e-7/);
    expect(curveTable(result).split("\n")[0]).toBe(`1.00e-7  ${losses[0]!.toFixed(4)}`);
  });
});
