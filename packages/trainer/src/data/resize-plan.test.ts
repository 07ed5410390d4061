import { describe, expect, it } from "vitest";
import { Random } from "./random.ts";
import { defaultResizeOptions, planResize, type ResizeOptions } from "./resize-plan.ts";

const options = (method: ResizeOptions["method"], extra: Partial<ResizeOptions> = {}) => ({ ...defaultResizeOptions, method, ...extra });
const source = { width: 400, height: 200 };
const target = { width: 100, height: 100 };

describe("planResize", () => {
  it("squish resizes the whole image", () => {
    expect(planResize(source, target, true, new Random(1), options("squish"))).toEqual({ resize: target });
  });

  it("crop keeps the largest box of the target's shape: centered on valid, random on train", () => {
    const valid = planResize(source, target, false, new Random(1), options("crop"));
    expect(valid).toEqual({ crop: { left: 100, top: 0, width: 200, height: 200 }, resize: target });
    const lefts = Array.from({ length: 200 }, (_, seed) => planResize(source, target, true, new Random(seed), options("crop")).crop?.left ?? -1);
    expect(Math.min(...lefts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lefts)).toBeLessThanOrEqual(200);
    expect(new Set(lefts).size).toBeGreaterThan(50);
  });

  it("pad fits the image inside and pads the rest", () => {
    const valid = planResize(source, target, false, new Random(1), options("pad"));
    expect(valid).toEqual({ resize: { width: 100, height: 50 }, pad: { left: 0, top: 25, right: 0, bottom: 25 } });
    const train = planResize(source, target, true, new Random(3), options("pad"));
    expect(train.pad!.top + train.pad!.bottom).toBe(50);
  });

  it("random-resized-crop on train keeps 8%–100% of the area at ratios 3/4–4/3", () => {
    const square = { width: 300, height: 300 };
    const areas: number[] = [];
    for (let seed = 0; seed < 500; seed++) {
      const crop = planResize(square, target, true, new Random(seed), options("random-resized-crop")).crop!;
      const area = (crop.width * crop.height) / (300 * 300);
      areas.push(area);
      expect(area).toBeGreaterThanOrEqual(0.075);
      expect(area).toBeLessThanOrEqual(1);
      expect(crop.width / crop.height).toBeGreaterThanOrEqual(0.74);
      expect(crop.width / crop.height).toBeLessThanOrEqual(1.35);
      expect(crop.left + crop.width).toBeLessThanOrEqual(300);
      expect(crop.top + crop.height).toBeLessThanOrEqual(300);
    }
    expect(Math.min(...areas)).toBeLessThan(0.15);
    expect(Math.max(...areas)).toBeGreaterThan(0.9);
  });

  it("random-resized-crop on valid resizes to size + 14% (multiple of 8) and center crops, as fastai", () => {
    const plan = planResize(source, { width: 224, height: 224 }, false, new Random(1), options("random-resized-crop"));
    expect(plan).toEqual({ resize: { width: 256, height: 256 }, finalCrop: { left: 16, top: 16, width: 224, height: 224 } });
  });

  it("random-resized-crop falls back to a centered crop at the ratio limit when no try fits", () => {
    const thin = { width: 1000, height: 10 };
    const plan = planResize(thin, target, true, new Random(5), options("random-resized-crop", { minScale: 1 }));
    expect(plan.crop).toEqual({ left: 493, top: 0, width: 13, height: 10 });
  });
});
