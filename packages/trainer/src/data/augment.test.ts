import { describe, expect, it } from "vitest";
import { affineOf, applyAugment, defaultAugmentOptions, drawAugment, identityDraw } from "./augment.ts";
import type { FloatImage } from "./decode.ts";
import { applyLighting, lightingCurve } from "./lighting.ts";
import { Random } from "./random.ts";
import { identityAffine, perspectiveCoefficients, warpImage } from "./warp.ts";

function gradientImage(width: number, height: number): FloatImage {
  const data = new Float32Array(3 * width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[y * width + x] = x / (width - 1);
      data[width * height + y * width + x] = y / (height - 1);
      data[2 * width * height + y * width + x] = ((x * 7 + y * 13) % 17) / 16;
    }
  }
  return { data, width, height };
}

const at = (image: FloatImage, c: number, x: number, y: number) => image.data[c * image.width * image.height + y * image.width + x] as number;

describe("drawAugment with fastai's defaults", () => {
  const draws = Array.from({ length: 4000 }, (_, seed) => drawAugment(defaultAugmentOptions, new Random(seed)));
  const rate = (predicate: (d: (typeof draws)[number]) => boolean) => draws.filter(predicate).length / draws.length;

  it("flips half the items and applies each affine and lighting transform to 75%", () => {
    expect(rate((d) => d.flipped)).toBeCloseTo(0.5, 1);
    expect(Math.abs(rate((d) => d.flipped) - 0.5)).toBeLessThan(0.03);
    for (const applied of [
      rate((d) => d.rotateDegrees !== 0),
      rate((d) => d.zoom !== 1),
      rate((d) => d.warp.x !== 0),
      rate((d) => d.lighting.brightness !== 0.5),
      rate((d) => d.lighting.contrast !== 1),
    ]) {
      expect(Math.abs(applied - 0.75)).toBeLessThan(0.03);
    }
  });

  it("draws within fastai's ranges", () => {
    for (const d of draws) {
      expect(Math.abs(d.rotateDegrees)).toBeLessThanOrEqual(10);
      expect(d.zoom).toBeGreaterThanOrEqual(1);
      expect(d.zoom).toBeLessThanOrEqual(1.1);
      expect(Math.max(Math.abs(d.warp.x), Math.abs(d.warp.y))).toBeLessThanOrEqual(0.2);
      expect(d.lighting.brightness).toBeGreaterThanOrEqual(0.4);
      expect(d.lighting.brightness).toBeLessThanOrEqual(0.6);
      expect(d.lighting.contrast).toBeGreaterThanOrEqual(0.8 - 1e-9);
      expect(d.lighting.contrast).toBeLessThanOrEqual(1.25 + 1e-9);
    }
    expect(Math.max(...draws.map((d) => Math.abs(d.rotateDegrees)))).toBeGreaterThan(9.9);
  });

  it("is deterministic for a seed", () => {
    expect(drawAugment(defaultAugmentOptions, new Random(77))).toEqual(drawAugment(defaultAugmentOptions, new Random(77)));
  });

  it("changes nothing when every probability is 0", () => {
    const off = { ...defaultAugmentOptions, doFlip: false, pAffine: 0, pLighting: 0 };
    const image = gradientImage(9, 7);
    for (let seed = 0; seed < 50; seed++) {
      const draw = drawAugment(off, new Random(seed));
      expect(draw).toEqual(identityDraw);
      expect(applyAugment(image, draw).data).toEqual(image.data);
    }
  });
});

describe("applyAugment geometry", () => {
  const image = gradientImage(8, 8);

  it("a flip mirrors columns exactly", () => {
    const flipped = applyAugment(image, { ...identityDraw, flipped: true });
    for (const [x, y] of [
      [0, 0],
      [3, 5],
      [7, 2],
    ] as const) {
      for (const c of [0, 1, 2]) expect(at(flipped, c, x, y)).toBeCloseTo(at(image, c, 7 - x, y), 5);
    }
  });

  it("a 90° rotation moves pixels as a rigid rotation", () => {
    const rotated = applyAugment(image, { ...identityDraw, rotateDegrees: 90 });
    // fastai's matrix [[cos, sin], [-sin, cos]] samples input (x, y) = (v, -u) for output (u, v).
    for (const [x, y] of [
      [0, 0],
      [2, 5],
      [7, 3],
    ] as const) {
      for (const c of [0, 1, 2]) expect(at(rotated, c, x, y)).toBeCloseTo(at(image, c, y, 7 - x), 5);
    }
  });

  it("zoom 2 around the center samples the middle half", () => {
    const affine = affineOf({ ...identityDraw, zoom: 2 }, 8, 8);
    expect(affine).toEqual([0.5, 0, 0, 0, 0.5, 0]);
    const zoomed = applyAugment(image, { ...identityDraw, zoom: 2 });
    expect(at(zoomed, 0, 0, 0)).toBeCloseTo(0.25, 5);
    expect(at(zoomed, 0, 7, 0)).toBeCloseTo(0.75, 5);
  });

  it("keeps rotations rigid on non-square images (aspect correction)", () => {
    const [a, b, , d, e] = affineOf({ ...identityDraw, rotateDegrees: 30 }, 16, 8);
    expect(b).toBeCloseTo(0.5 * 0.5, 6);
    expect(d).toBeCloseTo(-0.5 * 2, 6);
    expect(a).toBeCloseTo(Math.cos(Math.PI / 6), 6);
    expect(e).toBeCloseTo(Math.cos(Math.PI / 6), 6);
  });

  it("pads by reflection (no black corners) or with zeros", () => {
    const flat: FloatImage = { data: new Float32Array(3 * 64).fill(0.6), width: 8, height: 8 };
    const rotated = applyAugment(flat, { ...identityDraw, rotateDegrees: 10 }, "reflection");
    for (const v of rotated.data) expect(v).toBeCloseTo(0.6, 5);
    const zeros = applyAugment(flat, { ...identityDraw, rotateDegrees: 10 }, "zeros");
    expect(at(zeros, 0, 0, 0)).toBeLessThan(0.55);
  });

  it("the perspective warp sends the moved corners back to the square's corners", () => {
    const warp = { x: 0.15, y: -0.1 };
    const [c0, c1, c2, c3, c4, c5, c6, c7] = perspectiveCoefficients(warp) as number[];
    const moved = [
      [-1 - warp.y, -1 - warp.x],
      [-1 + warp.y, 1 + warp.x],
      [1 + warp.y, -1 + warp.x],
      [1 - warp.y, 1 - warp.x],
    ];
    const square = [
      [-1, -1],
      [-1, 1],
      [1, -1],
      [1, 1],
    ];
    moved.forEach(([x, y], i) => {
      const w = c6! * x! + c7! * y! + 1;
      expect((c0! * x! + c1! * y! + c2!) / w).toBeCloseTo(square[i]![0]!, 9);
      expect((c3! * x! + c4! * y! + c5!) / w).toBeCloseTo(square[i]![1]!, 9);
    });
    expect(perspectiveCoefficients({ x: 0, y: 0 }).map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    const warped = warpImage(image, identityAffine, warp, "reflection");
    expect(warped.data).not.toEqual(image.data);
  });
});

describe("applyLighting", () => {
  const image: FloatImage = { data: Float32Array.from([0.5, 0.2, 0.8]), width: 1, height: 1 };
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  const logit = (p: number) => Math.log(p / (1 - p));

  it("maps x to σ((logit(x) + logit(b)) · c), fastai's brightness then contrast", () => {
    const out = applyLighting(image, { brightness: 0.6, contrast: 1.2 });
    [0.5, 0.2, 0.8].forEach((x, i) => expect(out.data[i]).toBeCloseTo(sigmoid((logit(x) + logit(0.6)) * 1.2), 5));
    expect(applyLighting(image, { brightness: 0.3, contrast: 1 }).data[0]).toBeCloseTo(0.3, 6);
    expect(applyLighting(image, { brightness: 0.5, contrast: 1 })).toBe(image);
  });

  it("its interpolation table stays within 2e-4 (a twentieth of an 8-bit step) of the exact curve", () => {
    const values = Float32Array.from({ length: 10001 }, (_, i) => i / 10000);
    for (const lighting of [
      { brightness: 0.4, contrast: 0.8 },
      { brightness: 0.6, contrast: 1.25 },
    ]) {
      const out = applyLighting({ data: values, width: values.length, height: 1 }, lighting);
      let worst = 0;
      values.forEach((x, i) => (worst = Math.max(worst, Math.abs((out.data[i] as number) - lightingCurve(x, lighting)))));
      expect(worst).toBeLessThan(2e-4);
    }
  });
});
