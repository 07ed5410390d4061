/**
 * End to end: generated image/mask pairs on disk (coloured squares and discs on a background,
 * a void border), read as a segmentation data set, and a tiny MobileNetV2-shaped encoder with a
 * U-Net decoder trained by the Learner under the segmentation loss.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSegmentationFolder, type SegmentationDataset } from "../data/segmentation/index.ts";
import { temporaryFolder } from "../data/testing/images.ts";
import { Learner } from "../learner/learner.ts";
import type { EpochRecord } from "../learner/recorder.ts";
import { mobilenetV2 } from "../models/synthetic/index.ts";
import { createSegmenter } from "../models/segmentation/index.ts";
import { segmentationLearnerData } from "./data.ts";
import { SCENE_VOID as VOID, writeScenes } from "./testing/scenes.ts";

const session = { intraOpNumThreads: 1 };
const SIZE = 48;
const folder = temporaryFolder("runboard-seg-train-");
afterAll(() => folder.remove());

let dataset: SegmentationDataset;

beforeAll(async () => {
  await writeScenes(folder.path, 40, SIZE, 5, (i) => `${i < 32 ? "train" : "valid"}${String(i).padStart(2, "0")}`);
  dataset = await readSegmentationFolder(folder.path);
}, 60_000);

function learnerFor(seed: number, options: { freezeEncoder?: boolean } = {}) {
  const names = dataset.items.map((item) => item.relativePath);
  const split = {
    train: names.flatMap((n, i) => (n.startsWith("images/train") ? [i] : [])),
    valid: names.flatMap((n, i) => (n.startsWith("images/valid") ? [i] : [])),
  };
  const data = segmentationLearnerData(dataset, { size: SIZE, augment: false, batchSize: 8, split, seed });
  const backbone = mobilenetV2({ resolution: SIZE, widthMultiplier: 0.25, seed }).model;
  const segmenter = createSegmenter(backbone, { classes: 3, channels: [32, 16, 16], seed });
  const learner = new Learner({ data, model: segmenter, loss: { kind: "segmentation", criterion: "crossEntropy" }, session });
  if (options.freezeEncoder) learner.freeze();
  return { learner, segmenter, data };
}

describe("training a segmenter with the Learner", () => {
  it("reads the generated data: 40 pairs, 3 classes, void border", () => {
    expect(dataset.items).toHaveLength(40);
    expect(dataset.skipped).toEqual([]);
    expect(dataset.items[0]!.ignoredPixels).toBe(4 * SIZE - 4);
  });

  it("batches images with per-pixel labels, void kept as the ignore index", async () => {
    const { data } = learnerFor(1);
    expect(data.train.length).toBe(4);
    expect(data.valid.length).toBe(1);
    expect(data.ignoreIndex).toBe(VOID);
    const batches = [];
    for await (const batch of data.valid.epoch(0)) batches.push(batch);
    expect(batches).toHaveLength(1);
    const [batch] = batches;
    expect(batch!.shape).toEqual([8, 3, SIZE, SIZE]);
    expect(batch!.labelShape).toEqual([8, SIZE, SIZE]);
    const values = new Set(Array.from(batch!.labels, Number));
    expect([...values].sort((a, b) => a - b)).toEqual([0, 1, 2, VOID]);
    // Training order is reshuffled per epoch, deterministically.
    const firstLabels = async (epoch: number) => {
      for await (const b of data.train.epoch(epoch)) return Array.from(b.labels, Number);
      return [];
    };
    expect(await firstLabels(0)).toEqual(await firstLabels(0));
    expect(await firstLabels(0)).not.toEqual(await firstLabels(1));
  }, 30_000);

  it("trains end to end: the loss falls and mean IoU rises well above chance", async () => {
    const { learner } = learnerFor(3);
    const before = await learner.validate();
    expect(Object.keys(before.metrics)).toEqual(
      expect.arrayContaining(["pixel_accuracy", "mean_iou", "fw_iou", "mean_class_accuracy", "iou/background", "iou/square", "iou/disc"]),
    );
    await learner.fitOneCycle(6, 1e-2);
    const epochs: EpochRecord[] = learner.recorder.epochs;
    expect(epochs).toHaveLength(6);
    const trainLosses = epochs.map((e) => e.trainLoss);
    expect(trainLosses[5]!).toBeLessThan(0.5 * trainLosses[0]!);
    const last = epochs[5]!;
    expect(last.validLoss).toBeLessThan(before.loss);
    // Chance: the untrained model, or every pixel called background (mean IoU ≈ 0.25 here).
    expect(last.metrics.mean_iou!).toBeGreaterThan(0.7);
    expect(last.metrics.mean_iou!).toBeGreaterThan(before.metrics.mean_iou! + 0.2);
    expect(last.metrics.pixel_accuracy!).toBeGreaterThan(0.85);
    await learner.release();
  }, 300_000);

  it("with the encoder frozen only the decoder trains, and it still learns", async () => {
    const { learner, segmenter } = learnerFor(4, { freezeEncoder: true });
    expect(learner.trainer.layerGroups.map((g) => g.name)).toEqual(["body.0", "body.1", "decoder"]);
    expect(learner.trainer.trainable.length).toBeGreaterThan(0);
    expect(learner.trainer.trainable.every((name) => name.startsWith("decoder/"))).toBe(true);
    const encoder = [...segmenter.model.graph.initializers.keys()].filter((n) => !n.startsWith("decoder/") && learner.trainer.parameterValues().has(n));
    expect(encoder.length).toBeGreaterThan(10);
    const snapshot = new Map(encoder.map((n) => [n, Float32Array.from(learner.trainer.parameterValues().get(n)!.data as Float32Array)]));
    const before = await learner.validate();
    await learner.fitOneCycle(4, 1e-2);
    for (const [name, values] of snapshot) expect(learner.trainer.parameterValues().get(name)!.data).toEqual(values);
    const last = learner.recorder.epochs.at(-1)!;
    expect(last.metrics.mean_iou!).toBeGreaterThan(before.metrics.mean_iou! + 0.2);
    expect(last.metrics.mean_iou!).toBeGreaterThan(0.6);
    await learner.release();
  }, 300_000);
});
