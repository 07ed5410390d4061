import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataLoader } from "../data/index.ts";
import { createClassifier } from "../models/head/index.ts";
import { readPreprocessing } from "../models/import/preprocessing.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import type { Model } from "../onnx/ir.ts";
import { encodeModel, loadModel } from "../onnx/serialize.ts";
import { Trainer } from "../training/trainer.ts";
import { EXPORT_OUTPUT, exportInferenceModel, saveInferenceModel } from "./export-model.ts";
import { readExportMetadata } from "./metadata.ts";
import { predictFiles } from "./predict.ts";

const SIZE = 32;
const classes = ["ants", "bees", "wasps"];
const preprocessing = { size: SIZE, resize: { method: "squish" as const }, normalization: "imagenet" as const };
const threads = { intraOpNumThreads: 1 };

function seededInput(batch: number, seed: number): Float32Array {
  return Float32Array.from({ length: batch * 3 * SIZE * SIZE }, (_, i) => Math.sin(i * 0.013 + seed) * 1.5);
}

/** A small fine-tuned classifier: random ResNet body, fastai head, a few AdamW steps (BN statistics move too). */
async function fineTuned(): Promise<Model> {
  const classifier = createClassifier(resnet18({ resolution: SIZE, widthMultiplier: 0.125, seed: 3 }).model, { classes: classes.length, seed: 1 });
  const trainer = new Trainer(classifier.model, { optimizer: { kind: "adamw" }, layerGroups: classifier.layerGroups, session: threads });
  const input = new ort.Tensor("float32", seededInput(4, 1), [4, 3, SIZE, SIZE]);
  const labels = new ort.Tensor("int64", BigInt64Array.from([0n, 1n, 2n, 1n]), [4]);
  for (let i = 0; i < 3; i++) await trainer.step(input, labels, 1e-3);
  const model = trainer.exportModel();
  await trainer.release();
  return model;
}

async function run(model: Model | string, input: Float32Array, batch: number, output: string): Promise<Float32Array> {
  const session =
    typeof model === "string" ? await ort.InferenceSession.create(model, threads) : await ort.InferenceSession.create(encodeModel(model), threads);
  try {
    return (await session.run({ [session.inputNames[0]!]: new ort.Tensor("float32", input, [batch, 3, SIZE, SIZE]) }))[output]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

async function writeImage(path: string, colour: string, width = 40, height = 30): Promise<void> {
  const spot = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#fff" } })
    .png()
    .toBuffer();
  writeFileSync(
    path,
    await sharp({ create: { width, height, channels: 3, background: colour } })
      .composite([{ input: spot, left: 3, top: 5 }])
      .png()
      .toBuffer(),
  );
}

describe("export", () => {
  const dir = mkdtempSync(join(tmpdir(), "export-"));
  const modelPath = join(dir, "model.onnx");
  let inMemory: Model;
  let exported: Model;
  const createdAt = new Date("2024-05-01T12:00:00Z");

  beforeAll(async () => {
    inMemory = await fineTuned();
    exported = await exportInferenceModel(inMemory, { classes, preprocessing, architecture: "resnet18-tiny + fastai head", createdAt });
    await saveInferenceModel(exported, modelPath);
    // Trains a small network first: longer than vitest's 10 s hook default on a busy 2-core machine.
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the in-memory model's probabilities from a fresh session, at any batch size", async () => {
    for (const batch of [1, 3]) {
      const input = seededInput(batch, 7 + batch);
      const expected = await run(inMemory, input, batch, "probabilities");
      const actual = await run(modelPath, input, batch, EXPORT_OUTPUT);
      expect(actual.length).toBe(batch * classes.length);
      actual.forEach((p, i) => expect(Math.abs(p - expected[i]!)).toBeLessThan(1e-5));
    }
  });

  it("is one portable graph: one input, one output, initializers only, folded, opset ≤ 17", () => {
    const model = loadModel(modelPath);
    expect(model.graph.inputs).toEqual([{ name: "input", dataType: "float32", shape: ["batch", 3, SIZE, SIZE] }]);
    expect(model.graph.outputs.map((o) => [o.name, o.shape])).toEqual([[EXPORT_OUTPUT, ["batch", 3]]]);
    expect(model.opsetImports).toEqual([{ domain: "", version: 17 }]);
    expect(model.graph.nodes.every((n) => n.domain === "")).toBe(true);
    expect(model.graph.nodes.some((n) => n.opType === "Constant")).toBe(false);
    expect(model.graph.nodes.at(-1)?.opType).toBe("Softmax");
  });

  it("carries classes and preprocessing in its metadata", () => {
    const metadata = readExportMetadata(loadModel(modelPath).metadata);
    expect(metadata).toEqual({
      classes,
      inputSize: { width: SIZE, height: SIZE },
      resize: expect.objectContaining({ method: "squish" }),
      normalization: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      alpha: "drop",
      architecture: "resnet18-tiny + fastai head",
      createdAt: "2024-05-01T12:00:00.000Z",
    });
    // The importers' reader understands the same input keys.
    expect(readPreprocessing(loadModel(modelPath))).toEqual({ input: "input", size: [SIZE, SIZE], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    const entries = loadModel(modelPath).metadata;
    expect(() => readExportMetadata({ ...entries, "runboard.classes": "[]" }, "m.onnx")).toThrow(
      /m\.onnx: metadata 'runboard.classes' must be a non-empty JSON array/,
    );
    expect(() => readExportMetadata({ ...entries, "runboard.input_size": "[0, 3]" }, "m.onnx")).toThrow(/'runboard.input_size' must be \[height, width\]/);
  });

  it("refuses what it cannot export", async () => {
    await expect(exportInferenceModel(inMemory, { classes: ["a", "b"], preprocessing, architecture: "x" })).rejects.toThrow(
      /classes: 2 names given for a model with 3 outputs/,
    );
    await expect(exportInferenceModel(inMemory, { classes, preprocessing: { ...preprocessing, size: 48 }, architecture: "x" })).rejects.toThrow(
      /preprocessing.size: 48×48 does not match/,
    );
    await expect(exportInferenceModel(inMemory, { classes: ["a", "a", "b"], preprocessing, architecture: "x" })).rejects.toThrow(/duplicate/);
    const withFeed = {
      ...inMemory,
      graph: { ...inMemory.graph, inputs: [...inMemory.graph.inputs, { name: "lr_0", dataType: "float32" as const, shape: [] }] },
    };
    await expect(exportInferenceModel(withFeed, { classes, preprocessing, architecture: "x" })).rejects.toThrow(/exactly one input .*'lr_0'/);
  });

  it("predicts a folder as validation prepares it, reporting unreadable files", async () => {
    const folder = join(dir, "images");
    mkdirSync(join(folder, "nested"), { recursive: true });
    const colours = ["#d22", "#2a2", "#22d", "#dd2"];
    const paths = [join(folder, "a.png"), join(folder, "b.png"), join(folder, "nested", "c.png"), join(folder, "nested", "d.png")];
    await Promise.all(paths.map((path, i) => writeImage(path, colours[i]!, 40 + i * 7, 30)));
    writeFileSync(join(folder, "broken.jpg"), "not a jpeg");
    writeFileSync(join(folder, "notes.txt"), "ignored");

    const result = await predictFiles(modelPath, folder, { topK: 2, session: threads });
    expect(result.failures).toEqual([{ path: join(folder, "broken.jpg"), reason: expect.stringMatching(/cannot be decoded/) }]);
    expect(result.predictions.map((p) => p.path)).toEqual(paths);

    // The validation loader's batch through the in-memory model gives the same probabilities.
    const loader = new DataLoader({
      items: paths.map((path) => ({ path, relativePath: path, label: 0 })),
      pipeline: preprocessing,
      train: false,
      batchSize: 4,
      workers: 0,
    });
    let expected: Float32Array = new Float32Array();
    for await (const batch of loader.epoch(0)) expected = await run(inMemory, batch.input, 4, "probabilities");
    await loader.close();
    result.predictions.forEach((prediction, n) => {
      const row = Array.from(expected.subarray(n * 3, n * 3 + 3));
      const best = row.indexOf(Math.max(...row));
      expect(prediction.classIndex).toBe(best);
      expect(prediction.className).toBe(classes[best]);
      expect(Math.abs(prediction.probability - row[best]!)).toBeLessThan(1e-5);
      expect(prediction.top).toHaveLength(2);
      expect(prediction.top[0]!.probability).toBeGreaterThanOrEqual(prediction.top[1]!.probability);
    });
  });

  it("errors clearly on bad model files and paths", async () => {
    const image = join(dir, "one.png");
    await writeImage(image, "#888");
    const single = await predictFiles(modelPath, [image, join(dir, "missing.png")], { session: threads });
    expect(single.predictions).toHaveLength(1);
    expect(single.failures).toEqual([{ path: join(dir, "missing.png"), reason: "no such file" }]);
    await expect(predictFiles(join(dir, "absent.onnx"), [image])).rejects.toThrow(/modelPath: cannot read .*absent\.onnx.*ENOENT/);
    const notOnnx = join(dir, "text.onnx");
    writeFileSync(notOnnx, "hello");
    await expect(predictFiles(notOnnx, [image])).rejects.toThrow(/text\.onnx: not an ONNX model/);
    const plain = join(dir, "plain.onnx");
    writeFileSync(plain, encodeModel(inMemory));
    await expect(predictFiles(plain, [image])).rejects.toThrow(/plain\.onnx: metadata 'runboard.format' is missing/);
    await expect(predictFiles(modelPath, join(dir, "nowhere"))).rejects.toThrow(/'.*nowhere' is neither a file nor a folder/);
    const empty = join(dir, "empty");
    mkdirSync(empty);
    await expect(predictFiles(modelPath, empty)).rejects.toThrow(/has no image files/);
  });
});
