/**
 * Exporting a trained segmenter: the ONNX file alone (class map and probabilities out, classes
 * and colours in its metadata) predicts the masks the Learner predicts on generated scenes.
 */
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planResize, Random } from "../data/index.ts";
import { readSegmentationFolder, type SegmentationDataset } from "../data/segmentation/index.ts";
import { temporaryFolder } from "../data/testing/images.ts";
import { Learner } from "../learner/learner.ts";
import { batchTensors } from "../learner/loop.ts";
import { mobilenetV2 } from "../models/synthetic/index.ts";
import { createSegmenter } from "../models/segmentation/index.ts";
import { loadModel } from "../onnx/serialize.ts";
import { segmentationLearnerData } from "../segmentation/data.ts";
import { argmaxClassMap } from "../segmentation/metrics.ts";
import { SCENE_CLASSES, SCENE_VOID, writeScenes } from "../segmentation/testing/scenes.ts";
import { readExportMetadata } from "./metadata.ts";
import {
  CLASS_MAP_OUTPUT,
  colourMask,
  exportSegmentationModel,
  isSegmentationExport,
  overlayMask,
  readSegmentationMetadata,
  SEGMENTATION_PROBABILITIES,
  SegmentationPredictor,
  saveInferenceModel,
  sourceToModelPixels,
  writePredictionPngs,
} from "./index.ts";

const SIZE = 48;
const folder = temporaryFolder("runboard-seg-export-");
afterAll(() => folder.remove());

let dataset: SegmentationDataset;
let modelPath: string;
let validPaths: string[];
/** The Learner's class maps and probabilities of the validation images, in order. */
let learnerMaps: Uint8Array[];
let learnerProbabilities: Float32Array[];

function softmaxOverClasses(logits: Float32Array, n: number, classes: number, area: number): Float32Array {
  const out = new Float32Array(classes * area);
  for (let p = 0; p < area; p++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[(n * classes + c) * area + p]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[(n * classes + c) * area + p]! - max);
    for (let c = 0; c < classes; c++) out[c * area + p] = Math.exp(logits[(n * classes + c) * area + p]! - max) / sum;
  }
  return out;
}

beforeAll(async () => {
  await writeScenes(folder.path, 24, SIZE, 7, (i) => `${i < 18 ? "train" : "valid"}${String(i).padStart(2, "0")}`);
  dataset = await readSegmentationFolder(folder.path);
  const split = {
    train: dataset.items.flatMap((item, i) => (item.relativePath.startsWith("images/train") ? [i] : [])),
    valid: dataset.items.flatMap((item, i) => (item.relativePath.startsWith("images/valid") ? [i] : [])),
  };
  validPaths = split.valid.map((i) => dataset.items[i]!.path);
  const normalization = { mean: [0.5, 0.4, 0.3] as [number, number, number], std: [0.25, 0.2, 0.3] as [number, number, number] };
  const data = segmentationLearnerData(dataset, { size: SIZE, augment: false, batchSize: 4, split, seed: 3, normalization });
  const segmenter = createSegmenter(mobilenetV2({ resolution: SIZE, widthMultiplier: 0.25, seed: 3 }).model, { classes: 3, channels: [16, 8, 8], seed: 3 });
  const learner = new Learner({ data, model: segmenter, loss: { kind: "segmentation", criterion: "crossEntropy" }, session: { intraOpNumThreads: 1 } });
  try {
    await learner.fitOneCycle(3, 1e-2);
    learnerMaps = [];
    learnerProbabilities = [];
    for await (const batch of data.valid.epoch(0)) {
      const { input, labels } = batchTensors(batch);
      const { logits } = await learner.trainer.evaluate(input, labels);
      const scores = logits.data as Float32Array;
      const count = batch.shape[0];
      const maps = argmaxClassMap(scores, count, 3);
      for (let n = 0; n < count; n++) {
        learnerMaps.push(Uint8Array.from(maps.subarray(n * SIZE * SIZE, (n + 1) * SIZE * SIZE)));
        learnerProbabilities.push(softmaxOverClasses(scores, n, 3, SIZE * SIZE));
      }
    }
    const exported = await exportSegmentationModel(learner.exportModel(), {
      classes: dataset.classes,
      preprocessing: { size: { height: SIZE, width: SIZE }, normalization },
      architecture: "tiny mobilenet + U-Net decoder",
      createdAt: new Date("2026-01-02T03:04:05Z"),
    });
    modelPath = join(folder.path, "model.onnx");
    await saveInferenceModel(exported, modelPath);
  } finally {
    await learner.release();
    await data.close?.();
  }
}, 300_000);

describe("segmentation export", () => {
  it("is one file: image in, class map and probabilities out, standard ops only", () => {
    const model = loadModel(modelPath);
    expect(model.graph.inputs.map((i) => [i.name, i.dataType, i.shape])).toEqual([["input", "float32", ["batch", 3, SIZE, SIZE]]]);
    expect(model.graph.outputs.map((o) => [o.name, o.dataType, o.shape])).toEqual([
      [CLASS_MAP_OUTPUT, "int64", ["batch", SIZE, SIZE]],
      [SEGMENTATION_PROBABILITIES, "float32", ["batch", 3, SIZE, SIZE]],
    ]);
    expect(model.graph.nodes.every((n) => n.domain === "" || n.domain === "ai.onnx")).toBe(true);
    expect(
      model.graph.nodes.some((n) => n.opType === "BatchNormalization" && (n.attributes.training_mode as { value?: number } | undefined)?.value === 1),
    ).toBe(false);
  });

  it("round-trips its metadata: classes, colours, ignore index and preprocessing", () => {
    const entries = loadModel(modelPath).metadata;
    expect(isSegmentationExport(entries)).toBe(true);
    const metadata = readSegmentationMetadata(entries, "m.onnx");
    expect(metadata).toEqual({
      classes: SCENE_CLASSES,
      colours: dataset.classes.colours,
      ignoreIndex: SCENE_VOID,
      ignoreColour: dataset.classes.ignoreColour,
      inputSize: { height: SIZE, width: SIZE },
      resize: expect.objectContaining({ method: "crop" }),
      normalization: { mean: [0.5, 0.4, 0.3], std: [0.25, 0.2, 0.3] },
      alpha: expect.any(String),
      architecture: "tiny mobilenet + U-Net decoder",
      createdAt: "2026-01-02T03:04:05.000Z",
    });
    expect(entries["runboard.task"]).toBe("segmentation");
    // A classifier reader refuses it by its format; bad colours and ignore indices are named.
    expect(() => readExportMetadata(entries, "m.onnx")).toThrow(
      /'runboard.format' is 'runboard.image-segmenter\/1'; this version reads 'runboard.image-classifier\/1'/,
    );
    expect(() => readSegmentationMetadata({ ...entries, "runboard.colours": "[[1,2,3]]" }, "m.onnx")).toThrow(/3 classes but 1 colours/);
    expect(() => readSegmentationMetadata({ ...entries, "runboard.ignore_index": "1" }, "m.onnx")).toThrow(/ignoreIndex 1 is the index of class "square"/);
  });

  it("predicts from the file alone the masks and probabilities the Learner predicts", async () => {
    const predictor = await SegmentationPredictor.load(modelPath, { intraOpNumThreads: 1 });
    try {
      expect(validPaths).toHaveLength(6);
      for (const [n, path] of validPaths.entries()) {
        const prediction = await predictor.predictFile(path);
        expect(prediction.size).toEqual({ width: SIZE, height: SIZE });
        let same = 0;
        prediction.modelClassMap.forEach((c, p) => (same += c === learnerMaps[n]![p] ? 1 : 0));
        expect(same / (SIZE * SIZE)).toBeGreaterThanOrEqual(0.999);
        // The file is the model's size: the class map is the model's map, pixel for pixel.
        expect(prediction.classMap).toEqual(prediction.modelClassMap);
        let maxDifference = 0;
        prediction.probabilities.forEach((p, i) => (maxDifference = Math.max(maxDifference, Math.abs(p - learnerProbabilities[n]![i]!))));
        expect(maxDifference).toBeLessThan(1e-4);
        expect(prediction.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      }
      // The model learned the scenes: most pixels are right against the true masks.
      const truth = await sharp(dataset.items.find((item) => item.path === validPaths[0])!.maskPath)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const first = await predictor.predictFile(validPaths[0]!);
      let right = 0;
      let labelled = 0;
      first.classMap.forEach((c, p) => {
        const t = truth.data[p * truth.info.channels]!;
        if (t === SCENE_VOID) return;
        labelled++;
        if (t === c) right++;
      });
      expect(right / labelled).toBeGreaterThan(0.6);
    } finally {
      await predictor.release();
    }
  });

  it("writes a colour mask and an overlay PNG at the image's size", async () => {
    const predictor = await SegmentationPredictor.load(modelPath, { intraOpNumThreads: 1 });
    try {
      const prediction = await predictor.predictFile(validPaths[1]!);
      const { mask, overlay } = await writePredictionPngs(prediction, predictor.metadata, folder.path, "v1");
      expect(mask).toBe(join(folder.path, "v1.mask.png"));
      const decoded = await sharp(mask).raw().toBuffer({ resolveWithObject: true });
      expect([decoded.info.width, decoded.info.height, decoded.info.channels]).toEqual([SIZE, SIZE, 3]);
      expect(new Uint8Array(decoded.data)).toEqual(colourMask(prediction.classMap, predictor.metadata));
      const blended = await sharp(overlay).raw().toBuffer({ resolveWithObject: true });
      expect([blended.info.width, blended.info.height]).toEqual([SIZE, SIZE]);
      const image = await sharp(validPaths[1]!).removeAlpha().raw().toBuffer();
      expect(new Uint8Array(blended.data)).toEqual(overlayMask(new Uint8Array(image), prediction.classMap, predictor.metadata));
    } finally {
      await predictor.release();
    }
  });

  it("blends the class colour over the image and leaves ignored pixels alone", () => {
    const metadata = {
      colours: [[200, 0, 0] as [number, number, number], [0, 100, 0] as [number, number, number]],
      ignoreIndex: 255,
      ignoreColour: [1, 2, 3] as [number, number, number],
    };
    const image = Uint8Array.from([100, 100, 100, 10, 20, 30, 50, 60, 70]);
    const map = Uint8Array.from([0, 1, 255]);
    expect(Array.from(colourMask(map, metadata))).toEqual([200, 0, 0, 0, 100, 0, 1, 2, 3]);
    expect(Array.from(overlayMask(image, map, metadata))).toEqual([150, 50, 50, 5, 60, 15, 50, 60, 70]);
  });

  it("maps every source pixel to the model pixel that sees it, or none where a crop cut it", () => {
    const target = { width: 32, height: 32 };
    const crop = sourceToModelPixels(
      { width: 96, height: 64 },
      planResize({ width: 96, height: 64 }, target, false, new Random(0), {
        method: "crop",
        padMode: "zeros",
        minScale: 0.08,
        maxScale: 1,
        ratio: [0.75, 4 / 3],
        validExtra: 0.14,
      }),
      target,
    );
    // A centred 64×64 box (columns 16 to 79) scaled by a half.
    expect(crop[0]).toBe(-1);
    expect(crop[15]).toBe(-1);
    expect(crop[16]).toBe(0);
    expect(crop[17]).toBe(0);
    expect(crop[18]).toBe(1);
    expect(crop[63 * 96 + 79]).toBe(31 * 32 + 31);
    expect(crop[63 * 96 + 80]).toBe(-1);
    const squish = sourceToModelPixels({ width: 64, height: 16 }, { resize: target }, target);
    // Rows stretch by 2 (pixel centres 0.5 → 1, 1.5 → 3), columns shrink by 2.
    expect(squish[0]).toBe(32);
    expect(squish[1]).toBe(32);
    expect(squish[2]).toBe(33);
    expect(squish[64]).toBe(3 * 32);
    expect(squish[15 * 64 + 63]).toBe(31 * 32 + 31);
  });

  it("refuses a model whose scores do not match the class list", async () => {
    const segmenter = createSegmenter(mobilenetV2({ resolution: 32, widthMultiplier: 0.25, seed: 1 }).model, { classes: 4, channels: [8, 8, 8], seed: 1 });
    await expect(
      exportSegmentationModel(segmenter.model, { classes: dataset.classes, preprocessing: { size: { height: 32, width: 32 } }, architecture: "x" }),
    ).rejects.toThrow(/3 names given for a model with 4 class maps/);
  });
});
