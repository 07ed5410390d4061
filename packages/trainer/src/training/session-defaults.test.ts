import { describe, expect, it } from "vitest";
import { buildSyntheticModel } from "../models/synthetic/index.ts";
import { backwardThroughConvolutions, trainSessionDefaults } from "./session-defaults.ts";
import { tinyMlp, TINY_GROUPS } from "./testing/tiny-models.ts";
import { Trainer } from "./trainer.ts";

const { model: resnet } = buildSyntheticModel("resnet18", { numClasses: 3, resolution: 16, widthMultiplier: 0.125, seed: 5 });

describe("train session defaults", () => {
  it("uses level 'extended' when the backward pass runs through convolutions, and no memory pattern", () => {
    for (const config of [{ freezeTo: 0 }, { freezeTo: -1, trainBatchNorm: true }]) {
      const step = new Trainer(resnet, { optimizer: { kind: "adamw" }, ...config }).trainStepModel(2);
      expect(backwardThroughConvolutions(step.graph)).toBe(true);
      expect(trainSessionDefaults(step)).toEqual({ enableMemPattern: false, graphOptimizationLevel: "extended" });
    }
  });

  it("keeps ONNX Runtime's default level when only the head trains or there is no convolution", () => {
    const headOnly = new Trainer(resnet, { optimizer: { kind: "adamw" }, freezeTo: -1, trainBatchNorm: false }).trainStepModel(2);
    const mlp = new Trainer(tinyMlp(), { optimizer: { kind: "adamw" }, layerGroups: TINY_GROUPS }).trainStepModel(2);
    for (const step of [headOnly, mlp]) {
      expect(backwardThroughConvolutions(step.graph)).toBe(false);
      expect(trainSessionDefaults(step)).toEqual({ enableMemPattern: false });
    }
  });
});
