import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { encodeModel } from "../../onnx/serialize.ts";
import { Trainer } from "../../training/trainer.ts";
import { resnet18, mobilenetV2 } from "../synthetic/index.ts";
import { createClassifier } from "./classifier.ts";
import { findFeatureTensor } from "./backbone.ts";

const tinyResnet = () => resnet18({ resolution: 32, widthMultiplier: 0.125, seed: 3 }).model;

async function runLogits(model: ort.InferenceSession | Uint8Array, size: number, batch = 2): Promise<ort.Tensor> {
  const session = model instanceof Uint8Array ? await ort.InferenceSession.create(model, { intraOpNumThreads: 1 }) : model;
  const input = new ort.Tensor(
    "float32",
    Float32Array.from({ length: batch * 3 * size * size }, (_, i) => Math.sin(i)),
    [batch, 3, size, size],
  );
  return (await session.run({ input })).logits!;
}

describe("createClassifier", () => {
  it("cuts at the last global pooling and adds fastai's head with [body.0, body.1, head] groups", async () => {
    const backbone = tinyResnet();
    const feature = findFeatureTensor(backbone);
    const classifier = createClassifier(backbone, { classes: 4 });
    expect(classifier.feature).toBe(feature);
    expect(classifier.featureShape).toEqual([64, 1, 1]);
    expect(classifier.layerGroups.map((g) => g.name)).toEqual(["body.0", "body.1", "head"]);
    const ops = classifier.model.graph.nodes.filter((n) => n.name.startsWith("head/")).map((n) => n.opType);
    expect(ops).toEqual(expect.arrayContaining(["GlobalAveragePool", "MaxPool", "Concat", "Flatten", "BatchNormalization", "Dropout", "Gemm", "Relu"]));
    // The old classifier (fc) is gone.
    expect([...classifier.model.graph.initializers.keys()].some((n) => n.startsWith("fc/"))).toBe(false);
    const logits = await runLogits(encodeModel(classifier.model), 32);
    expect(logits.dims).toEqual([2, 4]);
    expect([...(logits.data as Float32Array)].every(Number.isFinite)).toBe(true);
  });

  it("initializes the head from its seed: same seed same weights, Kaiming std", () => {
    const weights = (seed: number) =>
      createClassifier(tinyResnet(), { classes: 3, seed }).model.graph.initializers.get("head/0/linear/weight")!.data as Float32Array;
    expect(weights(1)).toEqual(weights(1));
    expect(weights(1)).not.toEqual(weights(2));
    const w = weights(1);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(Math.sqrt(2 / 128) * 0.9);
    expect(std).toBeLessThan(Math.sqrt(2 / 128) * 1.1);
  });

  it("freezes to the head (and BatchNorm) and trains under the Trainer", async () => {
    const classifier = createClassifier(tinyResnet(), { classes: 3, hidden: [], pooling: "avg" });
    const trainer = new Trainer(classifier.model, {
      optimizer: { kind: "adamw" },
      layerGroups: classifier.layerGroups,
      trainBatchNorm: false,
      session: { intraOpNumThreads: 1 },
    });
    trainer.freeze();
    expect(trainer.trainable).toEqual(["head/0/bn/scale", "head/0/bn/bias", "head/0/linear/weight"]);
    const input = new ort.Tensor(
      "float32",
      Float32Array.from({ length: 4 * 3 * 32 * 32 }, (_, i) => Math.cos(i * 0.37)),
      [4, 3, 32, 32],
    );
    const labels = new ort.Tensor("int64", BigInt64Array.from([0n, 1n, 2n, 0n]), [4]);
    const first = await trainer.step(input, labels, 0.01);
    let last = first;
    for (let i = 0; i < 10; i++) last = await trainer.step(input, labels, 0.01);
    expect(last.loss).toBeLessThan(first.loss);
    await trainer.release();
  });

  it("rebuilds at another input size with the same parameter names (progressive resizing)", async () => {
    const classifier = createClassifier(mobilenetV2({ resolution: 32, widthMultiplier: 0.25, seed: 1 }).model, { classes: 2 });
    const larger = classifier.atSize([64, 64]);
    expect(larger.featureShape[1]).toBe(2 * classifier.featureShape[1]);
    expect([...larger.model.graph.initializers.keys()].sort()).toEqual([...classifier.model.graph.initializers.keys()].sort());
    expect((await runLogits(encodeModel(larger.model), 64)).dims).toEqual([2, 2]);
  });

  it("pools one map per stage of the body for depths 'stages', highest resolution first", () => {
    const backbone = mobilenetV2({ resolution: 64, widthMultiplier: 0.25, seed: 1 }).model;
    const last = createClassifier(backbone, { classes: 2, pooling: "avg" });
    const stages = createClassifier(backbone, { classes: 2, pooling: "avg", depths: "stages" });
    expect(last.taps.map((t) => t.tensor)).toEqual([last.feature]);
    const sides = stages.taps.map((t) => t.shape[1]);
    // MobileNetV2 at 64 px: maps at strides 2, 4, 8, 16, then the feature map at stride 32.
    expect(sides).toEqual([32, 16, 8, 4, 2]);
    expect(stages.taps.at(-1)!.tensor).toBe(stages.feature);
    expect(stages.pooledSize).toBe(stages.taps.reduce((sum, t) => sum + t.shape[0], 0));
    // The pyramid: the whole map and a 2×2 grid of cells per map.
    const pyramid = createClassifier(backbone, { classes: 2, pooling: "pyramid", depths: "stages" });
    expect(pyramid.pooledSize).toBe(5 * stages.pooledSize);
    // The same parameters whatever the head pools, but for the head's own width.
    const params = (c: typeof last) => [...c.model.graph.initializers.keys()].filter((n) => !n.startsWith("head/")).sort();
    expect(params(stages)).toEqual(params(last));
  });

  it.each(["avg", "pyramid"] as const)("the feature extractor and the head model compose to the classifier (depths 'stages', pooling %s)", async (pooling) => {
    const backbone = mobilenetV2({ resolution: 64, widthMultiplier: 0.25, seed: 1 }).model;
    const classifier = createClassifier(backbone, { classes: 3, pooling, depths: "stages", hidden: [], dropout: 0 });
    const input = new ort.Tensor(
      "float32",
      Float32Array.from({ length: 2 * 3 * 64 * 64 }, (_, i) => Math.sin(i * 0.11)),
      [2, 3, 64, 64],
    );
    const extractor = await ort.InferenceSession.create(encodeModel(classifier.featureExtractor()), { intraOpNumThreads: 1 });
    const features = (await extractor.run({ input })).features!;
    expect(features.dims).toEqual([2, classifier.pooledSize]);
    const head = await ort.InferenceSession.create(encodeModel(classifier.headModel().model), { intraOpNumThreads: 1 });
    const composed = (await head.run({ input: new ort.Tensor("float32", features.data as Float32Array, [2, classifier.pooledSize, 1, 1]) })).logits!
      .data as Float32Array;
    const direct = (await (await ort.InferenceSession.create(encodeModel(classifier.model), { intraOpNumThreads: 1 })).run({ input })).logits!
      .data as Float32Array;
    expect(direct.length).toBe(6);
    direct.forEach((v, i) => expect(composed[i]!).toBeCloseTo(v, 4));
  });

  it("trains every layer through a multi-depth pyramid head (gradients reach the stages through their pooling)", async () => {
    const classifier = createClassifier(mobilenetV2({ resolution: 32, widthMultiplier: 0.25, seed: 1 }).model, {
      classes: 3,
      pooling: "pyramid",
      depths: "stages",
      hidden: [],
    });
    const trainer = new Trainer(classifier.model, {
      optimizer: { kind: "adamw" },
      layerGroups: classifier.layerGroups,
      trainBatchNorm: false,
      session: { intraOpNumThreads: 1 },
    });
    trainer.unfreeze();
    const input = new ort.Tensor(
      "float32",
      Float32Array.from({ length: 4 * 3 * 32 * 32 }, (_, i) => Math.cos(i * 0.37)),
      [4, 3, 32, 32],
    );
    const labels = new ort.Tensor("int64", BigInt64Array.from([0n, 1n, 2n, 0n]), [4]);
    const first = await trainer.step(input, labels, 0.003);
    let last = first;
    for (let i = 0; i < 8; i++) last = await trainer.step(input, labels, 0.003);
    expect(last.loss).toBeLessThan(first.loss);
    await trainer.release();
  });

  it("names the problem when there is no pooling or the feature tensor is unknown", () => {
    expect(() => createClassifier(tinyResnet(), { classes: 3, feature: "nope" })).toThrow(/no node produces the feature tensor 'nope'/);
    expect(() => createClassifier(tinyResnet(), { classes: 1 })).toThrow(/head.classes must be an integer ≥ 2/);
    expect(() => createClassifier(tinyResnet(), { classes: 2, depths: "all" as never })).toThrow(/head.depths must be "last" or "stages", got 'all'/);
    expect(() => createClassifier(tinyResnet(), { classes: 2, pooling: "grid" as never })).toThrow(/head.pooling must be "concat", "avg" or "pyramid"/);
  });
});
