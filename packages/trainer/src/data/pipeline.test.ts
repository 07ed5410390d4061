import { describe, expect, it } from "vitest";
import { resolvePipeline, prepareImage } from "./pipeline.ts";
import { classImage, encodeImage } from "./testing/images.ts";

describe("resolvePipeline", () => {
  it("fills fastai's defaults", () => {
    const pipeline = resolvePipeline({ size: 224, augment: {} });
    expect(pipeline.size).toEqual({ width: 224, height: 224 });
    expect(pipeline.resize).toMatchObject({ method: "crop", padMode: "reflection", minScale: 0.08 });
    expect(pipeline.augment).toMatchObject({ doFlip: true, maxRotate: 10, maxZoom: 1.1, maxLighting: 0.2, maxWarp: 0.2, pAffine: 0.75, pLighting: 0.75 });
    expect(pipeline.normalization.mean).toEqual([0.485, 0.456, 0.406]);
    expect(resolvePipeline(pipeline)).toEqual(pipeline);
    expect(resolvePipeline({ size: 8 }).augment).toBeUndefined();
  });

  it.each([
    [{ size: 0 }, /size\.width must be an integer from 1 to 8192, got 0/],
    [{ size: 8, resize: { padMode: "edge" as never } }, /resize\.padMode must be zeros or reflection/],
    [{ size: 8, resize: { minScale: 0 } }, /resize\.minScale and maxScale/],
    [{ size: 8, augment: { pAffine: 2 } }, /augment\.pAffine must be in \[0, 1\], got 2/],
    [{ size: 8, alpha: "grey" as never }, /alpha must be one of drop, black, white/],
  ])("rejects %j naming the field", (options, error) => {
    expect(() => resolvePipeline(options)).toThrow(error);
  });
});

describe("prepareImage", () => {
  it("is deterministic for a seed, varies across seeds on train, and never augments valid", async () => {
    const bytes = await encodeImage(classImage(1, 3, 48, 40), { format: "png" });
    const pipeline = resolvePipeline({ size: 24, augment: {} });
    const first = await prepareImage(bytes, pipeline, true, 123);
    expect((await prepareImage(bytes, pipeline, true, 123)).data).toEqual(first.data);
    const others = await Promise.all([1, 2, 3, 4].map((seed) => prepareImage(bytes, pipeline, true, seed)));
    expect(others.some((other) => other.data.some((v, i) => v !== first.data[i]))).toBe(true);
    const valid = await Promise.all([1, 2].map((seed) => prepareImage(bytes, pipeline, false, seed)));
    expect(valid[0]!.data).toEqual(valid[1]!.data);
  });
});
