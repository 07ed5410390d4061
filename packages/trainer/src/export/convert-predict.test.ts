import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertDataset, findConversion } from "../convert/dataset.ts";
import { squareWave, tone } from "../convert/testing/signals.ts";
import { encodeWav } from "../convert/testing/wav-writer.ts";
import { readImageFolder } from "../data/index.ts";
import { accuracy, imageDataLoaders, Learner } from "../learner/index.ts";
import { createClassifier } from "../models/head/index.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { encodeModel, loadModel } from "../onnx/serialize.ts";
import { exportInferenceModel, saveInferenceModel } from "./export-model.ts";
import { readExportMetadata } from "./metadata.ts";
import { predictFiles, type FilePrediction } from "./predict.ts";

const SIZE = 32;
const session = { intraOpNumThreads: 1 };
const preprocessing = { size: SIZE, resize: { method: "squish" as const }, normalization: "imagenet" as const };

/** Tones vs square waves at a few pitches, 8 kHz, a quarter second each. */
function writeClips(folder: string): void {
  for (const [label, make] of [
    ["sine", tone],
    ["square", squareWave],
  ] as const) {
    mkdirSync(join(folder, label), { recursive: true });
    for (let i = 0; i < 6; i++)
      writeFileSync(join(folder, label, `${label}${i}.wav`), encodeWav([make(300 + 60 * i, 8000, 2000)], { sampleRate: 8000, format: "pcm16" }));
  }
}

describe("predict on raw inputs of a model trained on converted audio", () => {
  const dir = mkdtempSync(join(tmpdir(), "convert-predict-"));
  const raw = join(dir, "clips");
  const images = join(dir, "clips-mel");
  const modelPath = join(dir, "model.onnx");

  beforeAll(async () => {
    writeClips(raw);
    await convertDataset({ kind: "audio", source: raw, outDir: images, options: { nFft: 256, hopLength: 64, nMels: 32 } });
    const dataset = await readImageFolder(images);
    const data = imageDataLoaders(dataset, { size: SIZE, batchSize: 4, normalization: "imagenet", seed: 1, workers: 0 });
    const classifier = createClassifier(resnet18({ resolution: SIZE, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 2 }).model, { classes: 2, seed: 3 });
    const learner = new Learner({ data, model: classifier, metrics: [accuracy], session });
    try {
      await learner.fitOneCycle(1, 1e-2);
      const conversion = await findConversion(images);
      const exported = await exportInferenceModel(learner.exportModel(), {
        classes: dataset.classes,
        preprocessing,
        architecture: "resnet18-tiny + head",
        conversion,
      });
      await saveInferenceModel(exported, modelPath);
    } finally {
      await learner.release();
      await data.close?.();
    }
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stores the dataset's conversion in the model metadata", async () => {
    const metadata = readExportMetadata(loadModel(modelPath).metadata);
    expect(metadata.conversion).toEqual(await findConversion(images));
    expect(metadata.conversion).toMatchObject({ kind: "audio", options: { nFft: 256, hopLength: 64, nMels: 32, sampleRate: 8000, durationSeconds: 0.25 } });
    const entries = loadModel(modelPath).metadata;
    expect(() => readExportMetadata({ ...entries, "runboard.conversion": '{"kind":"video"}' }, "m.onnx")).toThrow(
      /m\.onnx: metadata 'runboard.conversion' is invalid: conversion kind must be/,
    );
  });

  it("gives the same probabilities on the raw .wav files as on the converted PNGs", async () => {
    writeFileSync(join(raw, "sine", "truncated.wav"), encodeWav([tone(300, 8000, 2000)], { sampleRate: 8000, format: "pcm16" }).subarray(0, 600));
    const fromRaw = await predictFiles(modelPath, raw, { topK: 2, session });
    const fromImages = await predictFiles(modelPath, images, { topK: 2, session });
    expect(fromRaw.failures).toEqual([
      { path: join(raw, "sine", "truncated.wav"), reason: expect.stringMatching(/cannot be converted \(audio\): .*truncated\.wav/) },
    ]);
    expect(fromRaw.predictions).toHaveLength(12);
    expect(fromImages.predictions).toHaveLength(12);
    const byName = (predictions: FilePrediction[]) => new Map(predictions.map((p) => [basename(p.path).replace(/\.(wav|png)$/, ""), p]));
    const imagesByName = byName(fromImages.predictions);
    for (const [name, prediction] of byName(fromRaw.predictions)) {
      const expected = imagesByName.get(name)!;
      expect(prediction.item).toBe(name);
      expect(prediction.className).toBe(expected.className);
      prediction.top.forEach((entry, i) => expect(entry.probability).toBeCloseTo(expected.top[i]!.probability, 6));
    }
    // Two classes the model separates differently: not one constant answer for every clip.
    const probabilities = fromRaw.predictions.map((p) => p.top.find((t) => t.className === "sine")!.probability);
    expect(Math.max(...probabilities) - Math.min(...probabilities)).toBeGreaterThan(1e-4);
  });

  it("a model trained on plain images does not read .wav files from a folder", async () => {
    const plain = join(dir, "plain.onnx");
    const model = loadModel(modelPath);
    delete model.metadata["runboard.conversion"];
    writeFileSync(plain, encodeModel(model));
    await expect(predictFiles(plain, raw, { session })).rejects.toThrow(/has no image files/);
    expect(readdirSync(join(raw, "sine")).length).toBe(7);
  });
});
