import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildSyntheticModel } from "../models/synthetic/index.ts";
import { tinyBatch, tinyMlp, TINY_GROUPS } from "./testing/tiny-models.ts";
import { Trainer } from "./trainer.ts";

const session = { intraOpNumThreads: 1 };

describe("BatchNormalization while training", () => {
  it("normalizes with batch statistics and moves running means by momentum 0.1", async () => {
    const model = tinyMlp({ batchNorm: true });
    const trainer = new Trainer(model, { optimizer: { kind: "sgd" }, layerGroups: TINY_GROUPS, session });
    const { input, labels } = tinyBatch(6);
    // fc1 output per feature, averaged over the batch: mean(x)·Wᵀ + b
    const weight = model.graph.initializers.get("fc1/weight")!.data as Float32Array;
    const bias = model.graph.initializers.get("fc1/bias")!.data as Float32Array;
    const pixels = input.data as Float32Array;
    const expected = Array.from(bias, (b, j) => {
      let sum = 0;
      for (let n = 0; n < 6; n++) for (let i = 0; i < 48; i++) sum += pixels[n * 48 + i]! * weight[j * 48 + i]!;
      return 0.1 * (b + sum / 6);
    });
    await trainer.step(input, labels, 0.01);
    const runningMean = Array.from(trainer.parameterValues().get("bn1/running_mean")!.data as Float32Array);
    runningMean.forEach((m, j) => expect(m).toBeCloseTo(expected[j]!, 5));
    await trainer.release();
  });

  it("trains a small ResNet with a frozen body: loss falls, conv weights stay bit-identical", async () => {
    const { model } = buildSyntheticModel("resnet18", { numClasses: 3, resolution: 16, widthMultiplier: 0.125, seed: 5 });
    const trainer = new Trainer(model, { optimizer: { kind: "adamw" }, session, freezeTo: -1 });
    // The head and every BatchNormalization scale and shift train; no convolution weight does.
    expect(trainer.trainable.some((name) => name.includes("conv") && name.endsWith("weight"))).toBe(false);
    expect(trainer.trainable.length).toBeGreaterThan(2);
    const stem = Float32Array.from(trainer.parameterValues().get(trainer.layerGroups[0]!.parameters[0]!)!.data as Float32Array);
    const images = new ort.Tensor(
      "float32",
      new Float32Array(6 * 3 * 16 * 16).map((_, i) => Math.sin(i * 0.1) + (i % 7) * 0.05),
      [6, 3, 16, 16],
    );
    const { labels } = tinyBatch(6);
    const losses: number[] = [];
    for (let i = 0; i < 12; i++) losses.push((await trainer.step(images, labels, 0.01)).loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.7);
    const after = trainer.parameterValues().get(trainer.layerGroups[0]!.parameters[0]!)!.data as Float32Array;
    expect(Buffer.from(after.buffer, after.byteOffset, after.byteLength).equals(Buffer.from(stem.buffer))).toBe(true);
    await trainer.release();
  });
});
