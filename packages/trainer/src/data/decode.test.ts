import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, type DecodeOptions, type FloatImage } from "./decode.ts";
import { Random } from "./random.ts";
import { defaultResizeOptions, type ResizeOptions } from "./resize-plan.ts";
import { encodeImage, truncatedJpeg } from "./testing/images.ts";

function options(width: number, height: number, method: ResizeOptions["method"] = "squish", extra: Partial<DecodeOptions> = {}): DecodeOptions {
  return { size: { width, height }, resize: { ...defaultResizeOptions, method }, alpha: "drop", limits: { maxPixels: 1e8 }, ...extra };
}

function pixel(image: FloatImage, x: number, y: number): number[] {
  const area = image.width * image.height;
  return [0, 1, 2].map((c) => Math.round((image.data[c * area + y * image.width + x] as number) * 255));
}

/** 40×20, red in the top-left 10×10 block, blue elsewhere. */
const marked = { width: 40, height: 20, channels: 3 as const, pixel: (x: number, y: number) => (x < 10 && y < 10 ? [255, 0, 0] : [0, 0, 255]) };

describe("decodeImage", () => {
  it.each([
    [1, 40, 20, [2, 2]],
    [3, 40, 20, [37, 17]], // rotated 180°: the mark ends bottom-right
    [2, 40, 20, [37, 2]], // mirrored: top-right
    [6, 20, 40, [17, 2]], // rotated 90° clockwise: top-right of a portrait image
    [8, 20, 40, [2, 37]], // rotated 90° counter-clockwise: bottom-left
  ])("honours EXIF orientation %i", async (orientation, width, height, [x, y]) => {
    const bytes = await encodeImage(marked, { format: "jpeg", orientation });
    const image = await decodeImage(bytes, options(width, height), false, new Random(0));
    expect([image.width, image.height]).toEqual([width, height]);
    const red = pixel(image, x!, y!);
    expect(red[0]).toBeGreaterThan(200);
    expect(red[2]).toBeLessThan(60);
  });

  it("expands grey to three equal channels", async () => {
    const grey = await encodeImage({ width: 8, height: 8, channels: 1, pixel: (x) => [x * 30] }, { format: "png" });
    const image = await decodeImage(grey, options(8, 8), false, new Random(0));
    for (const x of [0, 3, 7]) expect(pixel(image, x, 4)).toEqual([x * 30, x * 30, x * 30]);
  });

  it("scales 16-bit PNGs to the same [0, 1] range as 8-bit ones", async () => {
    const png16 = await sharp(Buffer.alloc(48, 156), { raw: { width: 4, height: 4, channels: 3 } })
      .toColourspace("rgb16")
      .png()
      .toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe("ushort");
    expect(pixel(await decodeImage(png16, options(4, 4), false, new Random(0)), 1, 1)).toEqual([156, 156, 156]);
  });

  it("drops alpha like PIL's convert('RGB'), or flattens on black or white", async () => {
    const spec = { width: 8, height: 8, channels: 4 as const, pixel: (x: number) => [200, 100, 50, x < 4 ? 0 : 255] };
    const png = await encodeImage(spec, { format: "png" });
    const decode = (alpha: DecodeOptions["alpha"]) => decodeImage(png, options(8, 8, "squish", { alpha }), false, new Random(0));
    expect(pixel(await decode("drop"), 1, 1)).toEqual([200, 100, 50]);
    expect(pixel(await decode("black"), 1, 1)).toEqual([0, 0, 0]);
    expect(pixel(await decode("white"), 1, 1)).toEqual([255, 255, 255]);
    expect(pixel(await decode("white"), 6, 1)).toEqual([200, 100, 50]);
    const greyAlpha = await encodeImage({ width: 4, height: 4, channels: 2, pixel: () => [90, 255] }, { format: "png" });
    expect(pixel(await decodeImage(greyAlpha, options(4, 4), false, new Random(0)), 2, 2)).toEqual([90, 90, 90]);
  });

  it("outputs float CHW in [0, 1] at the requested size for every resize method", async () => {
    const bytes = await encodeImage(marked, { format: "png" });
    for (const method of ["squish", "crop", "pad", "random-resized-crop"] as const) {
      for (const train of [false, true]) {
        const image = await decodeImage(bytes, options(16, 12, method), train, new Random(3));
        expect(image.data).toHaveLength(3 * 16 * 12);
        expect(Math.min(...image.data)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...image.data)).toBeLessThanOrEqual(1);
      }
    }
  });

  it("pads with zeros or by reflection", async () => {
    const bytes = await encodeImage({ width: 40, height: 20, channels: 3, pixel: () => [0, 200, 0] }, { format: "png" });
    const zeros = await decodeImage(
      bytes,
      options(20, 20, "pad", { resize: { ...defaultResizeOptions, method: "pad", padMode: "zeros" } }),
      false,
      new Random(0),
    );
    expect(pixel(zeros, 10, 2)).toEqual([0, 0, 0]);
    expect(pixel(zeros, 10, 10)).toEqual([0, 200, 0]);
    const mirror = await decodeImage(bytes, options(20, 20, "pad"), false, new Random(0));
    expect(pixel(mirror, 10, 2)).toEqual([0, 200, 0]);
  });

  it("fails on corrupt data and on images over the pixel limit", async () => {
    await expect(decodeImage(await truncatedJpeg(), options(8, 8), false, new Random(0))).rejects.toThrow();
    const bytes = await encodeImage(marked, { format: "png" });
    await expect(decodeImage(bytes, options(8, 8, "squish", { limits: { maxPixels: 100 } }), false, new Random(0))).rejects.toThrow(/pixel/i);
  });
});
