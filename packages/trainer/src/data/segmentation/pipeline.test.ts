import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { identityDraw } from "../augment.ts";
import { temporaryFolder } from "../testing/images.ts";
import { classListOf } from "./classes.ts";
import type { Mask } from "./mask.ts";
import { cropMask, padMask, resizeMaskNearest, resizeMaskWithPlan } from "./mask-geometry.ts";
import { augmentPair, preparePair, prepareSegmentationBatch, resolveSegmentationPipeline, type SegmentationPair } from "./pipeline.ts";
import { encodePairImage, maskPixels, pairColours, quadrants, writeMask, writePairImage } from "./testing/masks.ts";
import sharp from "sharp";

const classes = classListOf(["red", "green", "blue", "yellow"]);
const IGNORE = classes.ignoreIndex;

function mask(width: number, height: number, values: number[]): Mask {
  return { data: Uint8Array.from(values), width, height };
}

async function pngMask(width: number, height: number, value: (x: number, y: number) => number): Promise<Buffer> {
  return sharp(Buffer.from(maskPixels(width, height, value)), { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

/** The class whose colour is nearest to the image's colour at pixel p. */
function nearestClass(pair: SegmentationPair, p: number): number {
  const area = pair.image.width * pair.image.height;
  const rgb = [0, 1, 2].map((c) => 255 * pair.image.data[c * area + p]!);
  let best = 0;
  let bestDistance = Infinity;
  pairColours.forEach((colour, c) => {
    const distance = colour.reduce((s, v, i) => s + (v - rgb[i]!) ** 2, 0);
    if (distance < bestDistance) [best, bestDistance] = [c, distance];
  });
  return best;
}

/** Share of interior mask pixels (all 8 neighbours of the same class) where image and mask agree. */
function agreement(pair: SegmentationPair): { agree: number; interior: number } {
  const { width, height, data } = pair.mask;
  let agree = 0;
  let interior = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * width + x;
      const value = data[p]!;
      if (value === IGNORE) continue;
      let uniform = true;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) uniform &&= data[p + dy * width + dx] === value;
      if (!uniform) continue;
      interior++;
      if (nearestClass(pair, p) === value) agree++;
    }
  }
  return { agree, interior };
}

describe("exact mask geometry", () => {
  it("resizes by nearest neighbour with pixel centres aligned", () => {
    const source = mask(2, 2, [0, 1, 2, 3]);
    expect(Array.from(resizeMaskNearest(source, { width: 4, height: 4 }).data)).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
    const big = mask(4, 2, [0, 1, 2, 3, 4, 5, 6, 7]);
    // output x reads ⌊(x + ½)·4/2⌋ = 1, 3
    expect(Array.from(resizeMaskNearest(big, { width: 2, height: 1 }).data)).toEqual([5, 7]);
    expect(Array.from(resizeMaskNearest(big, { width: 3, height: 2 }).data)).toEqual([0, 2, 3, 4, 6, 7]);
  });

  it("crops, pads with the ignore index and follows a resize plan", () => {
    const source = mask(3, 2, [0, 1, 2, 3, 4, 5]);
    expect(Array.from(cropMask(source, { left: 1, top: 0, width: 2, height: 2 }).data)).toEqual([1, 2, 4, 5]);
    expect(() => cropMask(source, { left: 2, top: 0, width: 2, height: 2 })).toThrow(/outside the 3×2 mask/);
    expect(Array.from(padMask(mask(1, 1, [4]), { left: 1, top: 0, right: 0, bottom: 1 }, 9).data)).toEqual([9, 4, 9, 9]);
    const planned = resizeMaskWithPlan(
      source,
      { crop: { left: 1, top: 0, width: 2, height: 2 }, resize: { width: 2, height: 2 }, pad: { left: 0, top: 1, right: 0, bottom: 0 } },
      IGNORE,
    );
    expect(planned).toMatchObject({ width: 2, height: 3 });
    expect(Array.from(planned.data)).toEqual([IGNORE, IGNORE, 1, 2, 4, 5]);
  });
});

describe("joint augmentation", () => {
  const W = 48;
  const H = 40;
  const value = quadrants(W, H);

  it("keeps image and mask aligned and the mask's values exact under strong flips, rotations, zooms, warps and crops", async () => {
    const pipeline = resolveSegmentationPipeline({
      size: { width: 32, height: 24 },
      resize: { method: "random-resized-crop", minScale: 0.3 },
      augment: { maxRotate: 30, minZoom: 1, maxZoom: 1.6, maxWarp: 0.3, pAffine: 1, pLighting: 0, padMode: "zeros" },
      normalization: "unit",
      classes,
    });
    const imageBytes = await encodePairImage(W, H, value);
    const maskBytes = await pngMask(W, H, value);
    const plain = await preparePair(imageBytes, maskBytes, { ...pipeline, augment: undefined }, false, 1);
    let moved = 0;
    for (let seed = 0; seed < 12; seed++) {
      const pair = await preparePair(imageBytes, maskBytes, pipeline, true, seed);
      expect(pair.mask).toMatchObject({ width: 32, height: 24 });
      expect(pair.image).toMatchObject({ width: 32, height: 24 });
      expect(new Set(pair.mask.data).size).toBeGreaterThan(0);
      for (const v of new Set(pair.mask.data)) expect([0, 1, 2, 3, IGNORE]).toContain(v);
      const { agree, interior } = agreement(pair);
      expect(interior).toBeGreaterThan(50);
      expect(agree / interior).toBeGreaterThan(0.99);
      if (pair.mask.data.some((v, i) => v !== plain.mask.data[i])) moved++;
    }
    expect(moved).toBeGreaterThan(8);
  });

  it("a horizontal flip mirrors the mask exactly; lighting changes the image only", () => {
    const width = 5;
    const height = 3;
    const data = new Float32Array(3 * width * height).map((_, i) => (i % 7) / 7);
    const pair: SegmentationPair = { image: { data, width, height }, mask: { data: maskPixels(width, height, (x, y) => (x + y) % 4), width, height } };
    const pipeline = { classes, augment: undefined };
    const flipped = augmentPair(pair, { ...identityDraw, flipped: true }, pipeline);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        expect(flipped.mask.data[y * width + x]).toBe(pair.mask.data[y * width + (width - 1 - x)]);
        expect(flipped.image.data[y * width + x]).toBeCloseTo(pair.image.data[y * width + (width - 1 - x)]!, 6);
      }
    }
    const lit = augmentPair(pair, { ...identityDraw, lighting: { brightness: 0.7, contrast: 1.3 } }, pipeline);
    expect(lit.mask.data).toEqual(pair.mask.data);
    expect(lit.image.data).not.toEqual(pair.image.data);
  });

  it("pads the mask with the ignore index where the image is padded", async () => {
    const pipeline = resolveSegmentationPipeline({ size: 32, resize: { method: "pad", padMode: "zeros" }, augment: false, normalization: "unit", classes });
    const pair = await preparePair(await encodePairImage(W, H, value), await pngMask(W, H, value), pipeline, false, 0);
    // 48×40 fits 32×26.67 → 32×27, padded by 2 rows above and 3 below
    const rows = Array.from({ length: 32 }, (_, y) => pair.mask.data[y * 32]);
    expect(rows.slice(0, 2)).toEqual([IGNORE, IGNORE]);
    expect(rows.slice(29)).toEqual([IGNORE, IGNORE, IGNORE]);
    expect(rows.slice(2, 29).every((v) => v === 0 || v === 2)).toBe(true);
    const { agree, interior } = agreement(pair);
    expect(agree).toBe(interior);
  });

  it("refuses a pair whose mask size differs from the image's", async () => {
    const pipeline = resolveSegmentationPipeline({ size: 16, augment: false, classes });
    await expect(preparePair(await encodePairImage(W, H, value), await pngMask(W, H - 1, value), pipeline, false, 0)).rejects.toThrow(
      "mask is 48×39 but the image is 48×40",
    );
  });
});

describe("prepareSegmentationBatch", () => {
  const folder = temporaryFolder("runboard-seg-batch-");
  afterAll(() => folder.remove());

  it("stacks normalized images and int64 labels (ignore index kept)", async () => {
    const items = [];
    for (const name of ["a", "b"]) {
      const path = join(folder.path, `${name}.png`);
      const maskPath = join(folder.path, `${name}_mask.png`);
      await writePairImage(path, 8, 6, quadrants(8, 6));
      await writeMask(maskPath, 8, 6, (x, y) => (y === 0 ? IGNORE : quadrants(8, 6)(x, y)));
      items.push({ path, maskPath });
    }
    const pipeline = resolveSegmentationPipeline({
      size: { width: 8, height: 6 },
      resize: { method: "squish" },
      augment: false,
      normalization: "imagenet",
      classes,
    });
    const batch = await prepareSegmentationBatch(items, pipeline, false, [1, 2]);
    expect(batch.dims).toEqual({ batch: 2, height: 6, width: 8 });
    expect(batch.images).toHaveLength(2 * 3 * 48);
    expect(batch.labels).toHaveLength(2 * 48);
    expect(batch.labels[0]).toBe(BigInt(IGNORE));
    expect(batch.labels[48 + 8]).toBe(0n);
    expect(batch.labels[48 + 47]).toBe(3n);
    // red pixel at (0, 1): (230/255 − 0.485) / 0.229
    expect(batch.images[8]).toBeCloseTo((230 / 255 - 0.485) / 0.229, 4);
  });
});
