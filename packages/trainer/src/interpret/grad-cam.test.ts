import sharp from "sharp";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolvePipeline } from "../data/index.ts";
import { GraphBuilder } from "../onnx/builder.ts";
import { attr, createModel, floatTensor, type Model } from "../onnx/ir.ts";
import { GradCam } from "./grad-cam.ts";
import { gradCamForFiles } from "./grad-cam-file.ts";
import { renderGradCam } from "./grad-cam-render.ts";

const SIZE = 16;

/**
 * Feature channel 0 is the brightness of each pixel, channel 1 its darkness (1 − brightness);
 * logits = global means of the two, so class 0 is "bright", class 1 "dark". For class 0,
 * ∂y/∂A₀ = 1/HW everywhere and ∂y/∂A₁ = 0, so Grad-CAM is exactly the normalized brightness.
 */
function brightnessModel(): Model {
  const b = new GraphBuilder("brightness");
  const input = b.input("input", "float32", ["batch", 3, SIZE, SIZE]);
  const third = 1 / 3;
  const weight = b.initializer("conv/weight", floatTensor([2, 3, 1, 1], [third, third, third, -third, -third, -third]));
  const bias = b.initializer("conv/bias", floatTensor([2], [0, 1]));
  const features = b.op("Relu", [b.op("Conv", [input, weight, bias])], {}, { name: "features" });
  const pooled = b.op("Flatten", [b.op("GlobalAveragePool", [features])], { axis: attr.int(1) });
  const logits = b.op("Gemm", [pooled, b.initializer("fc/weight", floatTensor([2, 2], [1, 0, 0, 1]))], { transB: attr.int(1) });
  b.output("logits", "float32", ["batch", 2], logits);
  return createModel(b.build());
}

/** An image (NCHW values in [0, 1]) that is black except a white 4×4 square at column `left`. */
function squareImage(left: number): Float32Array {
  const data = new Float32Array(3 * SIZE * SIZE);
  for (let c = 0; c < 3; c++) {
    for (let y = 6; y < 10; y++) for (let x = left; x < left + 4; x++) data[c * SIZE * SIZE + y * SIZE + x] = 1;
  }
  return data;
}

function leftShare(heat: Float32Array, width: number): number {
  let left = 0;
  let total = 0;
  heat.forEach((v, i) => {
    total += v;
    if (i % width < width / 2) left += v;
  });
  return left / total;
}

describe("Grad-CAM", () => {
  const cams: GradCam[] = [];
  afterAll(async () => {
    for (const cam of cams) await cam.release();
  });

  it("looks where the class evidence is, and follows it", async () => {
    const gradCam = await GradCam.create(brightnessModel(), { session: { intraOpNumThreads: 1 } });
    cams.push(gradCam);
    expect(gradCam.feature).toContain("features");
    const data = new Float32Array(2 * 3 * SIZE * SIZE);
    data.set(squareImage(2), 0);
    data.set(squareImage(10), 3 * SIZE * SIZE);
    const [left, right] = await gradCam.compute({ data, dims: [2, 3, SIZE, SIZE] }, [0, 0]);
    expect(Array.from(left!.channelWeights)).toEqual([1 / 256, 0].map(Math.fround));
    expect(left!.score).toBeCloseTo(16 / 256, 6);
    // The bright class's map is the brightness itself: 1 on the square, 0 elsewhere.
    expect(Array.from(left!.heat)).toEqual(Array.from(squareImage(2).subarray(0, SIZE * SIZE)));
    expect(leftShare(left!.heat, SIZE)).toBe(1);
    expect(leftShare(right!.heat, SIZE)).toBe(0);
  });

  it("maps the dark class away from the square and defaults to the predicted class", async () => {
    const gradCam = await GradCam.create(brightnessModel(), { session: { intraOpNumThreads: 1 } });
    cams.push(gradCam);
    const [dark] = await gradCam.compute({ data: squareImage(2), dims: [1, 3, SIZE, SIZE] });
    // 16 bright pixels of 256: the dark class wins, and its map is 0 on the square, 1 elsewhere.
    expect(dark!.classIndex).toBe(1);
    expect(dark!.heat[7 * SIZE + 3]).toBe(0);
    expect(dark!.heat[0]).toBe(1);
    await expect(gradCam.compute({ data: squareImage(2), dims: [1, 3, SIZE, SIZE] }, [2])).rejects.toThrow(/classIndices\[0\].*0 to 1/);
  });

  it("differentiates the logit before a softmax, through a head that reads only the left half", async () => {
    // A 3×3 conv feature map; the head reads its left half only: y = W · mean(A[:, :, :, :4]).
    const b = new GraphBuilder("left_half");
    const input = b.input("input", "float32", ["batch", 3, 8, 8]);
    const convWeight = Array.from({ length: 4 * 3 * 9 }, (_, i) => Math.sin(i * 1.7) * 0.5);
    const features = b.op("Relu", [b.op("Conv", [input, b.initializer("w", floatTensor([4, 3, 3, 3], convWeight))], { pads: attr.ints([1, 1, 1, 1]) })]);
    const left = b.op("Slice", [features, b.int64s([0]), b.int64s([4]), b.int64s([3])]);
    const pooled = b.op("Flatten", [b.op("GlobalAveragePool", [left])], { axis: attr.int(1) });
    const headWeight = [0.5, -1, 2, 0.25, -0.5, 1, 0, 3];
    const logits = b.op("Gemm", [pooled, b.initializer("fc", floatTensor([2, 4], headWeight))], { transB: attr.int(1) });
    b.output("probabilities", "float32", ["batch", 2], b.op("Softmax", [logits], { axis: attr.int(1) }));
    const gradCam = await GradCam.create(createModel(b.build()), { feature: features, session: { intraOpNumThreads: 1 } });
    cams.push(gradCam);
    const image = Float32Array.from({ length: 3 * 64 }, (_, i) => Math.cos(i * 0.37));
    const [cam] = await gradCam.compute({ data: image, dims: [1, 3, 8, 8] }, [1]);
    // ∂y₁/∂A[k, i, j] = W[1, k] / 32 on the left half (8 × 4 cells), 0 on the right.
    for (let k = 0; k < 4; k++) {
      for (let p = 0; p < 64; p++) {
        expect(cam!.gradient[k * 64 + p]).toBeCloseTo(p % 8 < 4 ? headWeight[4 + k]! / 32 : 0, 7);
      }
      expect(cam!.channelWeights[k]).toBeCloseTo(headWeight[4 + k]! / 64, 7);
    }
  });
});

describe("Grad-CAM overlays", () => {
  const dir = mkdtempSync(join(tmpdir(), "grad-cam-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders a PNG of the image size with the hot colour on the square", async () => {
    const image = { data: squareImage(2), width: SIZE, height: SIZE };
    const png = await renderGradCam(image, { heat: squareImage(2).subarray(0, SIZE * SIZE), width: SIZE, height: SIZE }, { colormap: "jet", opacity: 1 });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([SIZE, SIZE, 3]);
    const at = (x: number, y: number) => Array.from(data.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3));
    expect(at(3, 7)).toEqual([128, 0, 0]);
    expect(at(14, 1)).toEqual([0, 0, 128]);
  });

  it("maps image files prepared as validation prepares them", async () => {
    const path = join(dir, "square.png");
    const square = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    writeFileSync(
      path,
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#000" } })
        .composite([{ input: square, left: 8, top: 24 }])
        .png()
        .toBuffer(),
    );
    const gradCam = await GradCam.create(brightnessModel(), { session: { intraOpNumThreads: 1 } });
    try {
      const pipeline = resolvePipeline({ size: SIZE, resize: { method: "squish" }, normalization: "unit" });
      const [result] = await gradCamForFiles(gradCam, [path], pipeline, [0]);
      expect(leftShare(result!.cam.heat, SIZE)).toBeGreaterThan(0.95);
      const meta = await sharp(result!.png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["png", SIZE, SIZE]);
      await expect(gradCamForFiles(gradCam, [join(dir, "missing.png")], pipeline)).rejects.toThrow(/missing\.png: cannot be read/);
    } finally {
      await gradCam.release();
    }
  });
});
