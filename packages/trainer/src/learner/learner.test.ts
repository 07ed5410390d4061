import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readImageFolder } from "../data/index.ts";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { learnerData, type LearnerData } from "./data.ts";
import { labelSmoothingCrossEntropy, Learner } from "./learner.ts";
import { accuracy, errorRate } from "./metrics.ts";
import { MixUp } from "./mixup.ts";
import type { FitState } from "./state.ts";
import { EarlyStopping, SaveBest } from "./tracker.ts";
import { mlpLearner, separableData, session, tinyClassifier } from "./testing/fixtures.ts";

const folder = temporaryFolder("runboard-learner-");
const opened: LearnerData[] = [];
let classes: string[] = [];

async function folderData(size: number): Promise<LearnerData> {
  const dataset = await readImageFolder(folder.path);
  classes = dataset.classes;
  const data = learnerData(dataset, { size, batchSize: 8, validPct: 0.25, seed: 3, workers: 0 });
  opened.push(data);
  return data;
}

beforeAll(async () => {
  await writeClassFolders(folder.path, { circle: 16, square: 16, stripe: 16 });
});
afterAll(async () => {
  for (const data of opened) await data.close?.();
  folder.remove();
});

describe("Learner", () => {
  it("fine-tunes a small classifier on generated images to well above chance", async () => {
    // The body has random weights, so its running statistics mean nothing: its BatchNorm must
    // train on batch statistics (fastai's train_bn), which the Learner leaves off by default.
    const learner = new Learner({ data: await folderData(16), model: tinyClassifier(16), metrics: [accuracy, errorRate], session, trainBatchNorm: true });
    const before = await learner.validate();
    await learner.fineTune(3, { baseLr: 1e-2 });
    const after = await learner.validate();
    expect(classes).toHaveLength(3);
    // Chance is 1/3; 12 validation images, so one image is 8 points: allow two misses.
    expect(after.metrics.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(after.metrics.error_rate).toBeCloseTo(1 - after.metrics.accuracy!, 10);
    expect(after.loss).toBeLessThan(before.loss);
    // Progressive resizing: continue at 24 px with every weight carried over.
    const weight = "layer1/0/conv1/conv/weight";
    const carried = Float32Array.from(learner.trainer.parameterValues().get(weight)!.data as Float32Array);
    await learner.resize([24, 24], await folderData(24));
    expect(Array.from(learner.trainer.parameterValues().get(weight)!.data as Float32Array)).toEqual(Array.from(carried));
    await learner.fit(1, 1e-3);
    expect(learner.recorder.epochs[0]!.metrics.accuracy).toBeGreaterThanOrEqual(0.8);
    // Test-time augmentation: probabilities, as accurate as the plain predictions here.
    const blended = await learner.tta({ n: 2 });
    for (let n = 0; n < blended.labels.length; n++) {
      const row = blended.scores.subarray(n * 3, n * 3 + 3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(accuracy.compute(blended)).toBeGreaterThanOrEqual(0.8);
    await learner.release();
  });

  it("lr_find: exponential rates from 1e-7, stops on divergence, restores every weight", async () => {
    const learner = mlpLearner();
    const before = new Map([...learner.trainer.parameterValues()].map(([k, v]) => [k, Array.from(v.data as Float32Array)]));
    const result = await learner.lrFind({ numIt: 60, suggest: ["valley", "minimum", "steep", "slide"] });
    expect(result.lrs[0]).toBeCloseTo(1e-7, 15);
    for (let i = 1; i < result.lrs.length; i++) expect(result.lrs[i]! / result.lrs[i - 1]!).toBeCloseTo((10 / 1e-7) ** (1 / 60), 8);
    const minLoss = Math.min(...result.losses);
    // Either every step ran, or it stopped at the first smoothed loss above 4× the minimum.
    if (result.lrs.length < 60) expect(result.losses.at(-1)!).toBeGreaterThan(4 * minLoss);
    expect(result.losses.slice(0, -1).every((l) => !(l > 4 * Math.min(...result.losses.slice(0, result.losses.indexOf(l) + 1))))).toBe(true);
    expect(result.suggestions.valley!.learningRate).toBeGreaterThan(1e-7);
    expect(result.suggestions.valley!.learningRate).toBeLessThan(10);
    for (const [name, values] of learner.trainer.parameterValues()) expect(Array.from(values.data as Float32Array)).toEqual(before.get(name));
    await learner.release();
  });

  it("stops the range test early when the loss diverges", async () => {
    const learner = mlpLearner({ data: separableData({ train: 60, batchSize: 6 }) });
    const result = await learner.lrFind({ startLr: 1e-3, endLr: 1e6, numIt: 100 });
    expect(result.lrs.length).toBeLessThan(100);
    expect(result.losses.at(-1)!).toBeGreaterThan(4 * Math.min(...result.losses));
    await learner.release();
  });

  it("lr_find cycles over a small set for all numIt steps, never validates, and suggests", async () => {
    const phases: string[] = [];
    const spy = { name: "spy", beforeEpoch: () => void phases.push("epoch"), beforeValidate: () => void phases.push("validate") };
    // 12 training items in batches of 6: 2 batches per epoch, so 20 steps take 10 epochs.
    const learner = mlpLearner({ data: separableData({ train: 12, batchSize: 6 }), callbacks: [spy] });
    expect(learner.data.train.length).toBe(2);
    const result = await learner.lrFind({ numIt: 20 });
    expect(result.lrs).toHaveLength(20);
    expect(result.losses).toHaveLength(20);
    expect(result.lrs.at(-1)).toBeCloseTo(1e-7 * (10 / 1e-7) ** (19 / 20), 6);
    expect(phases.filter((p) => p === "epoch")).toHaveLength(10);
    expect(phases).not.toContain("validate");
    expect(result.suggestions.valley!.learningRate).toBeGreaterThan(1e-7);
    expect(result.reason).toBeUndefined();
    await learner.release();
  });

  it("lr_find is not cut short by a learner's trackers (nothing to monitor without validation)", async () => {
    // One batch per epoch: EarlyStopping used to see a NaN valid_loss after every step and stop
    // after `patience` of them, and a tracker of a metric threw (no metrics without validation).
    const best = new SaveBest(join(folder.path, "best.safetensors"));
    const callbacks = [new EarlyStopping({ patience: 3 }), new EarlyStopping({ monitor: "accuracy" }), best];
    const learner = mlpLearner({ data: separableData({ train: 6, batchSize: 6 }), callbacks });
    const result = await learner.lrFind({ numIt: 20 });
    expect(result.lrs).toHaveLength(20);
    expect(result.suggestions.valley).toBeDefined();
    expect(best.bestEpoch).toBeUndefined();
    // In an ordinary fit afterwards they follow the validation again.
    await learner.fit(1, 1e-3);
    expect(best.bestEpoch).toBe(0);
    await learner.release();
  });

  it("lr_find says why it cannot suggest", async () => {
    const learner = mlpLearner({ data: separableData({ train: 12, batchSize: 6 }) });
    // Rates this high diverge within a few steps, before the first tenth is even past.
    const diverged = await learner.lrFind({ startLr: 1, endLr: 1e6, numIt: 100 });
    expect(diverged.lrs.length).toBeLessThan(10);
    expect(diverged.suggestions).toEqual({});
    expect(diverged.reason).toMatch(
      new RegExp(
        `^the loss diverged after ${diverged.lrs.length} of 100 steps .*: 0 points left once the first 10 and the last 5 are trimmed, too few to suggest \\(valley needs 2\\)$`,
      ),
    );
    // slide needs 16 points; 20 steps leave at most 13, while valley is still suggested.
    const partial = await learner.lrFind({ numIt: 20, suggest: ["valley", "slide"] });
    expect(partial.suggestions.valley).toBeDefined();
    expect(partial.suggestions.slide).toBeUndefined();
    expect(partial.reason).toMatch(/too few to suggest \(slide needs 16\)$/);
    await learner.release();
  });

  it("trains with label smoothing and mixup (soft targets)", async () => {
    const learner = mlpLearner({ loss: labelSmoothingCrossEntropy(), callbacks: [new MixUp(0.4, 7)] });
    expect(learner.softTargets).toBe(true);
    await learner.fitOneCycle(4, 0.02);
    const { metrics } = await learner.validate();
    expect(metrics.accuracy).toBeGreaterThan(0.6);
    await learner.release();
    const plain = mlpLearner();
    await expect(plain.fit(1, 1e-3, { callbacks: [new MixUp()] })).rejects.toThrow(/give that callback to the Learner's callbacks/);
    await plain.release();
  });

  it("mixup mixes each image with a partner and its target rows by the same λ ≥ 0.5", () => {
    const mixup = new MixUp(0.4, 3);
    const batch = {
      input: Float32Array.from({ length: 4 * 3 }, (_, i) => Math.floor(i / 3)),
      shape: [4, 3, 1, 1] as [number, number, number, number],
      labels: BigInt64Array.from([0n, 1n, 2n, 0n]),
    };
    const mixed = mixup.transformBatch(batch, { learner: { classCount: 3 } } as unknown as FitState);
    for (let i = 0; i < 4; i++) {
      const row = [...mixed.targets!.subarray(i * 3, i * 3 + 3)];
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      // The own label keeps weight λ ≥ 0.5; every pixel of an image mixes with the same λ.
      expect(row[Number(batch.labels[i])]).toBeGreaterThanOrEqual(0.5 - 1e-6);
      expect(mixed.input[i * 3]).toBeCloseTo(mixed.input[i * 3 + 2]!, 6);
    }
    expect(mixed.labels).toEqual(batch.labels);
  });
});
