import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { readPreprocessing } from "./import/preprocessing.ts";
import { sessionFor } from "./testing/images.ts";
import { availableZooEntries, countParameters, isAvailable, loadZooBackbone, loadZooModel, zooEntries } from "./zoo.ts";

describe("model zoo", () => {
  it("always offers the bundled ImageNet MobileNetV2 first, then the nsfwjs models, with their facts", () => {
    const names = availableZooEntries("/nonexistent-models-folder").map((e) => e.name);
    expect(names).toEqual(["mobilenet-v2-imagenet", "nsfwjs-mobilenet-v2", "nsfwjs-mobilenet-v2-mid", "nsfwjs-inception-v3"]);
    expect(zooEntries().map((e) => [e.name, e.source, e.format])).toEqual([
      ["mobilenet-v2-imagenet", "bundled", "tflite"],
      ["nsfwjs-mobilenet-v2", "npm", "tfjs-layers"],
      ["nsfwjs-mobilenet-v2-mid", "npm", "tfjs-graph"],
      ["nsfwjs-inception-v3", "npm", "tfjs-layers"],
      ["mobilenet-v1-embedding", "shared", "tflite"],
    ]);
    expect(isAvailable("mobilenet-v1-embedding", "/nonexistent-models-folder")).toBe(false);
    expect(() => loadZooModel("mobilenet-v1-embedding", "/nonexistent-models-folder")).toThrow(
      /file mobilenet_v1_1.0_224_quant_embedding_extractor.tflite is not in/,
    );
    expect(() => loadZooModel("resnet-9000")).toThrow(/zoo model 'resnet-9000': unknown; known models: mobilenet-v2-imagenet, nsfwjs-mobilenet-v2/);
  });

  it("loads the bundled MobileNetV2 without the shared models folder", () => {
    expect(isAvailable("mobilenet-v2-imagenet", "/nonexistent-models-folder")).toBe(true);
    const model = loadZooModel("mobilenet-v2-imagenet", "/nonexistent-models-folder");
    expect(model.metadata["runboard.zoo_name"]).toBe("mobilenet-v2-imagenet");
    expect(countParameters(model)).toBe(3_489_097);
    expect(loadZooBackbone("mobilenet-v2-imagenet", "/nonexistent-models-folder").featureSize).toBe(1280);
  });

  // inception_v3 (22 M weights) is checked by the evaluation script, not here.
  const shared = ["mobilenet-v1-embedding"];
  const present = shared.filter((name) => isAvailable(name));
  if (present.length < shared.length) console.warn("skipping the MobileNetV1 embedding extractor: ../shared/models is absent");
  it.each(["mobilenet-v2-imagenet", "nsfwjs-mobilenet-v2", "nsfwjs-mobilenet-v2-mid", ...present])(
    "%s loads with the stated parameter count, preprocessing and feature size",
    async (name) => {
      const entry = zooEntries().find((e) => e.name === name);
      const model = loadZooModel(name);
      expect(countParameters(model)).toBe(entry?.parameterCount);
      const preprocessing = readPreprocessing(model);
      expect(preprocessing?.size).toEqual(entry?.inputSize);
      expect(preprocessing?.mean).toEqual(entry?.normalization.mean);
      const backbone = loadZooBackbone(name);
      expect(backbone.featureSize).toBe(entry?.featureSize);
      const [height, width] = entry?.inputSize ?? [0, 0];
      const session = await sessionFor(backbone.model);
      const out = await session.run({ input: new ort.Tensor("float32", new Float32Array(3 * height * width).fill(0.25), [1, 3, height, width]) });
      expect(out.features?.dims).toEqual([1, entry?.featureSize]);
      expect(Array.from(out.features?.data as Float32Array).every(Number.isFinite)).toBe(true);
    },
  );
});
