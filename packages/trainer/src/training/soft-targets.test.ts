import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { TrainerConfig } from "./config.ts";
import { tinyBatch, tinyMlp, TINY_CLASSES, TINY_GROUPS } from "./testing/tiny-models.ts";
import { Trainer } from "./trainer.ts";

const session = { intraOpNumThreads: 1 };

function oneHot(labels: ort.Tensor): ort.Tensor {
  const rows = labels.data as BigInt64Array;
  const data = new Float32Array(rows.length * TINY_CLASSES);
  rows.forEach((label, n) => (data[n * TINY_CLASSES + Number(label)] = 1));
  return new ort.Tensor("float32", data, [rows.length, TINY_CLASSES]);
}

function config(targets: "labels" | "soft", labelSmoothing: number): TrainerConfig {
  return {
    optimizer: { kind: "sgd", momentum: 0.9 },
    layerGroups: TINY_GROUPS,
    maxGradientNorm: 1e6,
    loss: { kind: "softmaxCrossEntropy", labelSmoothing, targets },
    session,
  };
}

const bits = (tensor: ort.Tensor) => Buffer.from((tensor.data as Float32Array).buffer.slice(0));

describe("soft targets", () => {
  it.each([0, 0.1])("with one-hot rows give exactly the loss, gradients and weights of the labels (smoothing %s)", async (smoothing) => {
    const [hard, soft] = [new Trainer(tinyMlp(), config("labels", smoothing)), new Trainer(tinyMlp(), config("soft", smoothing))];
    for (let step = 0; step < 3; step++) {
      const { input, labels } = tinyBatch(6, 20 + step);
      const [a, b] = [await hard.step(input, labels, 0.05), await soft.step(input, oneHot(labels), 0.05)];
      expect(b.loss).toBe(a.loss);
      expect(b.gradientNorm).toBe(a.gradientNorm);
    }
    for (const [name, value] of hard.parameterValues()) expect(bits(soft.parameterValues().get(name)!).equals(bits(value))).toBe(true);
    await Promise.all([hard.release(), soft.release()]);
  });

  it("give the mixed loss λ·CE(y) + (1 − λ)·CE(y') of a mixup target", async () => {
    const soft = new Trainer(tinyMlp(), config("soft", 0));
    const { input, labels } = tinyBatch(6);
    const partner = new ort.Tensor(
      "int64",
      BigInt64Array.from(labels.data as BigInt64Array, (y) => (y + 1n) % BigInt(TINY_CLASSES)),
      [6],
    );
    const [own, other] = [await soft.evaluate(input, labels), await soft.evaluate(input, partner)];
    const lambda = 0.7;
    const mixed = (oneHot(labels).data as Float32Array).map((t, i) => lambda * t + (1 - lambda) * (oneHot(partner).data as Float32Array)[i]!);
    const { loss } = await soft.step(input, new ort.Tensor("float32", mixed, [6, TINY_CLASSES]), 0);
    expect(loss).toBeCloseTo(lambda * own.loss + (1 - lambda) * other.loss, 5);
    await soft.release();
  });

  it("validates the targets feed", async () => {
    const soft = new Trainer(tinyMlp(), config("soft", 0));
    const { input, labels } = tinyBatch(6);
    await expect(soft.step(input, labels, 0.1)).rejects.toThrow(/targets must be a float32 tensor \(loss.targets is "soft"\), got int64/);
    await expect(soft.step(input, new ort.Tensor("float32", new Float32Array(12), [6, 2]), 0.1)).rejects.toThrow(/targets must have shape \[6, 3\]/);
    expect(() => new Trainer(tinyMlp(), { ...config("soft", 0), loss: { kind: "softmaxCrossEntropy", targets: "mixed" as "soft" } })).toThrow(
      /loss.targets must be "labels" or "soft", got 'mixed'/,
    );
    await soft.release();
  });
});
