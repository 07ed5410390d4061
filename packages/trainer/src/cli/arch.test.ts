import { describe, expect, it } from "vitest";
import { createClassifier } from "../models/head/index.ts";
import { readPreprocessing } from "../models/import/preprocessing.ts";
import { syntheticArchitectures } from "../models/synthetic/index.ts";
import { DEFAULT_ARCH, loadBackbone, zooNames } from "./arch.ts";

describe("--arch", () => {
  it("lists the zoo from models/zoo.ts: the bundled default first, the nsfwjs models, then the synthetic architectures", () => {
    const names = zooNames();
    expect(DEFAULT_ARCH).toBe("mobilenet-v2-imagenet");
    expect(names.slice(0, 4)).toEqual(["mobilenet-v2-imagenet", "nsfwjs-mobilenet-v2", "nsfwjs-mobilenet-v2-mid", "nsfwjs-inception-v3"]);
    const synthetic = Object.keys(syntheticArchitectures).map((a) => `synthetic-${a}`);
    expect(names.slice(-synthetic.length)).toEqual(synthetic);
  });

  it("loads the default backbone, bundled with the trainer, when no --arch is given", () => {
    const backbone = loadBackbone();
    expect(backbone.name).toBe("mobilenet-v2-imagenet");
    expect(backbone.model.metadata["runboard.zoo_name"]).toBe("mobilenet-v2-imagenet");
    // The quantized input's (q - 128) / 128: RGB 0..255 to [-1, 1].
    expect(backbone.normalization).toEqual({ mean: [128 / 255, 128 / 255, 128 / 255], std: [128 / 255, 128 / 255, 128 / 255] });
    expect(readPreprocessing(backbone.model)?.size).toEqual([224, 224]);
    const classifier = createClassifier(backbone.model, { classes: 3, seed: 1 });
    expect(classifier.featureShape).toEqual([1280, 7, 7]);
  });

  it("imports the nsfwjs models as it always has (package model name, RGB / 255)", () => {
    const backbone = loadBackbone("nsfwjs-mobilenet-v2");
    expect(backbone.name).toBe("nsfwjs-mobilenet-v2");
    expect(backbone.model.graph.name).toBe("mobilenet_v2");
    expect(backbone.model.metadata["runboard.zoo_name"]).toBeUndefined();
    expect(backbone.normalization).toEqual({ mean: [0, 0, 0], std: [1, 1, 1] });
  });
});
