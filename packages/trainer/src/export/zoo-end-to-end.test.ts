/**
 * The whole workflow once, for real: the nsfwjs MobileNetV2 installed from npm (through the
 * zoo) fine-tuned with fastai's fine_tune on a small generated data set, exported, and the
 * exported file (a fresh ONNX Runtime session, preprocessing from its metadata) predicting
 * what the Learner predicted. Small images and batches keep it within seconds on 2 cores.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageDataset, readImageFolder, splitTrainValid } from "../data/index.ts";
import { type ImageSpec, temporaryFolder, writeImage } from "../data/testing/images.ts";
import { Random } from "../data/random.ts";
import { accuracy, Learner, learnerData, softmaxRows } from "../learner/index.ts";
import { createClassifier } from "../models/head/index.ts";
import { loadZooModel, zooEntries } from "../models/zoo.ts";
import type { Model } from "../onnx/ir.ts";
import { exportInferenceModel, predictFiles, saveInferenceModel } from "./index.ts";

const ARCH = "nsfwjs-mobilenet-v2";
const SIZE = 64;
const PER_CLASS = 12;
const session = { intraOpNumThreads: 2 };

/** "disc": a warm disc on a noisy grey ground; "stripes": cool horizontal stripes on it. Positions and tones vary per image. */
function shapeImage(kind: "disc" | "stripes", seed: number): ImageSpec {
  const random = new Random(seed);
  const [cx, cy, radius] = [random.uniform(28, 52), random.uniform(24, 40), random.uniform(12, 20)];
  const tone = random.uniform(-30, 30);
  const period = Math.round(random.uniform(6, 12));
  const ground = () => 110 + random.uniform(-25, 25);
  return {
    width: 80,
    height: 64,
    channels: 3,
    pixel: (x, y) => {
      if (kind === "disc" && (x - cx) ** 2 + (y - cy) ** 2 < radius ** 2) return [220 + tone / 3, 90 + tone, 40];
      if (kind === "stripes" && Math.floor(y / period) % 2 === 0) return [40, 110 + tone, 210 + tone / 3];
      const g = ground();
      return [g, g, g];
    },
  };
}

function weightChange(before: Model, after: Model): number {
  const conv = before.graph.nodes.find((n) => n.opType === "Conv")!;
  const [original, trained] = [before, after].map((m) => m.graph.initializers.get(conv.inputs[1]!)?.data as Float32Array);
  expect(trained?.length).toBe(original!.length);
  return original!.reduce((max, w, i) => Math.max(max, Math.abs(w - trained![i]!)), 0);
}

const folder = temporaryFolder("runboard-zoo-e2e-");
let dataset: ImageDataset;
let learnerProbabilities: Float32Array;
let validAccuracy = 0;
let validPaths: string[] = [];
let exportPath = "";
let epochLosses: number[] = [];
/** How far the first convolution's weights moved from the pretrained ones (largest |Δ|). */
let firstConvChange = 0;

beforeAll(async () => {
  for (const [c, kind] of (["disc", "stripes"] as const).entries()) {
    for (let i = 0; i < PER_CLASS; i++) await writeImage(join(folder.path, "shapes", kind, `${i}.png`), shapeImage(kind, 100 * c + i), { format: "png" });
  }
  dataset = await readImageFolder(join(folder.path, "shapes"));
  const split = splitTrainValid(dataset.items, { validPct: 0.25, seed: 3 });
  validPaths = split.valid.map((i) => dataset.items[i]!.path);
  const entry = zooEntries().find((e) => e.name === ARCH)!;
  const classifier = createClassifier(loadZooModel(ARCH), { classes: 2, inputSize: [SIZE, SIZE], seed: 3 });
  const data = learnerData(dataset, { size: SIZE, batchSize: 6, split, seed: 3, workers: 0, normalization: entry.normalization });
  const learner = new Learner({ data, model: classifier, metrics: [accuracy], session });
  try {
    // One frozen epoch (the new head), then one with every layer training.
    await learner.fineTune(1, {
      freezeEpochs: 1,
      baseLr: 2e-3,
      callbacks: [{ name: "losses", order: 60, afterEpoch: (s) => void epochLosses.push(s.learner.recorder.epochs.at(-1)!.validLoss) }],
    });
    firstConvChange = weightChange(classifier.model, learner.exportModel());
    const { predictions } = await learner.predictions();
    learnerProbabilities = softmaxRows(predictions.scores, predictions.classes);
    validAccuracy = accuracy.compute(predictions) as number;
    const exported = await exportInferenceModel(learner.exportModel(), {
      classes: dataset.classes,
      preprocessing: { size: { height: SIZE, width: SIZE }, normalization: entry.normalization },
      architecture: `${ARCH} + fastai head`,
    });
    exportPath = join(folder.path, "model.onnx");
    await saveInferenceModel(exported, exportPath);
  } finally {
    await learner.release();
    await data.close?.();
  }
}, 180_000);
afterAll(() => folder.remove());

describe(`${ARCH} from npm: fine_tune → export → predict`, () => {
  it("learns the generated classes", () => {
    expect(epochLosses).toHaveLength(2);
    epochLosses.forEach((loss) => expect(Number.isFinite(loss)).toBe(true));
    expect(validAccuracy).toBeGreaterThanOrEqual(5 / 6);
  });

  it("trains the pretrained body too once unfrozen", () => {
    expect(firstConvChange).toBeGreaterThan(0);
  });

  it("the exported file predicts what the Learner predicted: same classes, probabilities within 1e-4", async () => {
    const { predictions, failures } = await predictFiles(exportPath, validPaths, { session, topK: 2 });
    expect(failures).toEqual([]);
    expect(predictions.map((p) => p.path)).toEqual(validPaths);
    predictions.forEach((prediction, n) => {
      const expected = learnerProbabilities.subarray(n * 2, n * 2 + 2);
      expect(prediction.classIndex).toBe(expected[0]! >= expected[1]! ? 0 : 1);
      for (const { classIndex, probability } of prediction.top) expect(Math.abs(probability - expected[classIndex]!)).toBeLessThan(1e-4);
    });
  });
});
