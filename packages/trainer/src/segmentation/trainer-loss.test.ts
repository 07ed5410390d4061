/** The Trainer with a segmentation loss: labels per pixel, the loss the graph computes, and what it refuses. */
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { ArrayBatchSource } from "../learner/data.ts";
import { Learner } from "../learner/learner.ts";
import { accuracy } from "../learner/metrics.ts";
import { createSegmenter } from "../models/segmentation/index.ts";
import { mobilenetV2 } from "../models/synthetic/index.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { Trainer } from "../training/trainer.ts";

const session = { intraOpNumThreads: 1 };
const SIZE = 32;
const CLASSES = 3;
const VOID = 9;

const segmenter = () =>
  createSegmenter(mobilenetV2({ resolution: SIZE, widthMultiplier: 0.25, seed: 2 }).model, { classes: CLASSES, channels: [16, 8, 8], seed: 2 });

function batch(count: number): { input: ort.Tensor; labels: ort.Tensor } {
  const input = Float32Array.from({ length: count * 3 * SIZE * SIZE }, (_, i) => Math.sin(i * 0.37));
  const labels = BigInt64Array.from({ length: count * SIZE * SIZE }, (_, i) => BigInt(i % 17 === 0 ? VOID : (i >> 4) % CLASSES));
  return { input: new ort.Tensor("float32", input, [count, 3, SIZE, SIZE]), labels: new ort.Tensor("int64", labels, [count, SIZE, SIZE]) };
}

/** Mean over non-void pixels of −log softmax(scores)[label], from [N, C, H, W] scores. */
function pixelCrossEntropy(scores: Float32Array, labels: BigInt64Array, count: number): number {
  const plane = SIZE * SIZE;
  let sum = 0;
  let pixels = 0;
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < plane; i++) {
      const label = Number(labels[n * plane + i]);
      if (label === VOID) continue;
      const z = Array.from({ length: CLASSES }, (_, c) => scores[(n * CLASSES + c) * plane + i]!);
      const max = Math.max(...z);
      const logSum = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
      sum += logSum - z[label]!;
      pixels++;
    }
  }
  return sum / pixels;
}

describe("Trainer with a segmentation loss", () => {
  it("evaluates the pixel-wise cross-entropy over non-void pixels, and steps lower it", async () => {
    const trainer = new Trainer(segmenter().model, {
      optimizer: { kind: "adamw" },
      loss: { kind: "segmentation", ignoreIndex: VOID },
      layerGroups: segmenter().layerGroups,
      session,
    });
    const { input, labels } = batch(2);
    const first = await trainer.evaluate(input, labels);
    expect(first.logits.dims).toEqual([2, CLASSES, SIZE, SIZE]);
    expect(first.loss).toBeCloseTo(pixelCrossEntropy(first.logits.data as Float32Array, labels.data as BigInt64Array, 2), 4);
    for (let i = 0; i < 5; i++) await trainer.step(input, labels, 3e-3);
    const after = await trainer.evaluate(input, labels);
    expect(after.loss).toBeLessThan(first.loss);
    // The exported model's probabilities are the softmax over the classes at each pixel.
    const exported = await ort.InferenceSession.create(encodeModel(trainer.exportModel()), session);
    const { probabilities } = await exported.run({ input }, ["probabilities"]);
    expect(probabilities!.dims).toEqual([2, CLASSES, SIZE, SIZE]);
    const p = probabilities!.data as Float32Array;
    const z = after.logits.data as Float32Array;
    const plane = SIZE * SIZE;
    for (const pixel of [0, 77, plane + 500]) {
      const n = Math.floor(pixel / plane);
      const i = pixel % plane;
      const at = (c: number) => (n * CLASSES + c) * plane + i;
      const exps = Array.from({ length: CLASSES }, (_, c) => Math.exp(z[at(c)]!));
      const total = exps.reduce((a, b) => a + b, 0);
      for (let c = 0; c < CLASSES; c++) expect(p[at(c)]!).toBeCloseTo(exps[c]! / total, 4);
    }
    await trainer.release();
  }, 120_000);

  it("trains under cross-entropy + Dice", async () => {
    const model = segmenter();
    const trainer = new Trainer(model.model, {
      optimizer: { kind: "adamw" },
      loss: { kind: "segmentation", criterion: "crossEntropyDice", ignoreIndex: VOID, classWeights: [1, 2, 1] },
      layerGroups: model.layerGroups,
      freezeTo: -1,
      trainBatchNorm: false,
      session,
    });
    expect(trainer.trainable.every((n) => n.startsWith("decoder/"))).toBe(true);
    const { input, labels } = batch(2);
    const first = await trainer.step(input, labels, 1e-2);
    expect(Number.isFinite(first.loss)).toBe(true);
    let last = first.loss;
    for (let i = 0; i < 5; i++) last = (await trainer.step(input, labels, 1e-2)).loss;
    expect(last).toBeLessThan(first.loss);
    await trainer.release();
  }, 120_000);

  it("refuses labels of the wrong shape and configurations it cannot train", async () => {
    const model = segmenter();
    const trainer = new Trainer(model.model, { optimizer: { kind: "sgd" }, loss: { kind: "segmentation", ignoreIndex: VOID }, session });
    const { input } = batch(1);
    await expect(trainer.step(input, new ort.Tensor("int64", new BigInt64Array(1), [1]), 0.1)).rejects.toThrow(/labels must have shape \[1,32,32\]/);
    expect(() => new Trainer(model.model, { optimizer: { kind: "sgd" }, loss: { kind: "segmentation", criterion: "focal" as "dice" }, session })).toThrow(
      /loss.criterion must be one of/,
    );
    expect(() => new Trainer(model.model, { optimizer: { kind: "sgd" }, loss: { kind: "segmentation", targets: "soft" as "labels" }, session })).toThrow(
      /no soft targets/,
    );
    const ignoreInsideClasses = new Trainer(model.model, { optimizer: { kind: "sgd" }, loss: { kind: "segmentation", ignoreIndex: 1 }, session });
    await expect(ignoreInsideClasses.step(input, batch(1).labels, 0.1)).rejects.toThrow(/ignoreIndex must be an integer outside the class indices/);
  }, 60_000);

  it("the Learner takes the data's ignore index, refuses a different one and classification metrics", () => {
    const empty = new ArrayBatchSource(new Float32Array(0), [3, SIZE, SIZE], new BigInt64Array(0), 1);
    const data = { train: empty, valid: empty, classes: ["a", "b", "c"], ignoreIndex: VOID };
    const learner = new Learner({ data, model: segmenter(), loss: { kind: "segmentation" }, session });
    expect(learner.segmentation).toBe(true);
    const collector = learner.validationCollector();
    const scores = new Float32Array(CLASSES * 4);
    scores.set([1, 0, 0, 1], 0); // class 0 at pixels 0 and 3
    scores.set([0, 1, 0, 0], 4); // class 1 at pixel 1
    scores.set([0, 0, 1, 0], 8); // class 2 at pixel 2
    collector.add(scores, { input: new Float32Array(0), shape: [1, 3, 2, 2], labels: BigInt64Array.from([0n, 1n, 1n, BigInt(VOID)]) }, 0.5);
    const metrics = collector.metrics();
    expect(metrics.pixel_accuracy).toBeCloseTo(2 / 3);
    expect(metrics["iou/b"]).toBeCloseTo(1 / 2);
    expect(metrics["iou/c"]).toBe(0);
    expect(collector.loss).toBe(0.5);
    expect(() => new Learner({ data, model: segmenter(), loss: { kind: "segmentation", ignoreIndex: 255 }, session })).toThrow(
      /ignoreIndex 255 differs from the data's ignore index 9/,
    );
    expect(() => new Learner({ data, model: segmenter(), loss: { kind: "segmentation" }, metrics: [accuracy], session })).toThrow(/do not apply/);
  });
});
