import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readImageFolder, resolvePipeline, splitTrainValid, type ImageDataset } from "../data/index.ts";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { learnerData, type LearnerData } from "../learner/data.ts";
import { Learner } from "../learner/learner.ts";
import { createClassifier } from "../models/head/index.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { FeatureCache, extractFeatures, frozenLrFind, selectGroups, selectViews, trainHeadOnFeatures } from "./index.ts";

const SIZE = 16;
const session = { intraOpNumThreads: 1 };
const folder = temporaryFolder("runboard-features-");
let dataset: ImageDataset;
const opened: LearnerData[] = [];

const backbone = resnet18({ resolution: SIZE, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 7 }).model;
const classifierOf = () => createClassifier(backbone, { classes: 3, hidden: [8], dropout: 0, seed: 3 });
const split = () => splitTrainValid(dataset.items, { validPct: 0.25, seed: 1 });
const pipeline = (augment: false | object) => resolvePipeline({ size: SIZE, resize: { method: "squish" }, augment });

function data(augment: false | object): LearnerData {
  const made = learnerData(dataset, { size: SIZE, batchSize: 8, split: split(), seed: 1, workers: 0, augment, resize: { method: "squish" } });
  opened.push(made);
  return made;
}

beforeAll(async () => {
  await writeClassFolders(folder.path, { a: 10, b: 10, c: 10 });
  dataset = await readImageFolder(folder.path);
});
afterAll(async () => {
  for (const made of opened) await made.close?.();
  folder.remove();
});

describe("cached-feature head training", () => {
  it("gives the same losses as the frozen fit on images when K = 1 (no augmentation)", async () => {
    const onImages = new Learner({ data: data(false), model: classifierOf(), session });
    onImages.freeze();
    await onImages.fitOneCycle(2, 1e-2);
    const imageLosses = onImages.recorder.epochs.map((e) => e.trainLoss);

    const classifier = classifierOf();
    const cached = new Learner({ data: data(false), model: classifier, session });
    const { train, valid } = split();
    const common = { extractor: classifier.featureExtractor(), items: dataset.items, classCount: 3, pipeline: pipeline(false), seed: 1, session, workers: 0 };
    const trainRows = await extractFeatures({ ...common, subset: train, views: 1 });
    const validRows = await extractFeatures({ ...common, subset: valid, views: 1 });
    await trainHeadOnFeatures({
      learner: cached,
      classifier,
      train: trainRows,
      valid: validRows,
      batchSize: 8,
      seed: 1,
      fit: (head) => head.fitOneCycle(2, 1e-2),
    });
    const cachedLosses = cached.recorder.epochs.map((e) => e.trainLoss);
    expect(cachedLosses).toHaveLength(2);
    cachedLosses.forEach((loss, i) => expect(loss).toBeCloseTo(imageLosses[i]!, 4));
    // The trained head is in the whole classifier: validation on images agrees with the head's own.
    const onImagesValid = await cached.validate();
    expect(onImagesValid.loss).toBeCloseTo(cached.recorder.epochs.at(-1)!.validLoss!, 4);
    await onImages.release();
    await cached.release();
  });

  it("lr_find on cached features: the curve of the frozen test on images, a suggestion, the weights put back", async () => {
    const onImages = new Learner({ data: data(false), model: classifierOf(), session });
    onImages.freeze();
    const imageCurve = await onImages.lrFind({ numIt: 20, suggest: ["valley"] });
    const classifier = classifierOf();
    const cached = new Learner({ data: data(false), model: classifier, session });
    const weight = () => Array.from(cached.trainer.parameterValues().get("head/1/linear/weight")!.data as Float32Array);
    const before = weight();
    let told = 0;
    const curve = await frozenLrFind({
      learner: cached,
      classifier,
      items: dataset.items,
      train: split().train,
      classCount: 3,
      normalization: "imagenet",
      resize: { method: "squish" },
      batchSize: 8,
      seed: 1,
      lrFind: { numIt: 20, suggest: ["valley"] },
      session,
      workers: 0,
      onFeatures: (images) => (told = images),
    });
    expect(told).toBe(split().train.length);
    expect(curve.lrs).toHaveLength(imageCurve.lrs.length);
    curve.losses.forEach((loss, i) => expect(loss).toBeCloseTo(imageCurve.losses[i]!, 3));
    expect(curve.suggestions.valley?.learningRate).toBeGreaterThan(0);
    expect(weight()).toEqual(before);
    await onImages.release();
    await cached.release();
  });

  it("extracts K views per image, view 0 plain, the rest augmented, deterministic for a seed", async () => {
    const classifier = classifierOf();
    const { train } = split();
    const options = {
      extractor: classifier.featureExtractor(),
      items: dataset.items,
      subset: train,
      classCount: 3,
      pipeline: pipeline({}),
      views: 3,
      seed: 5,
      session,
      workers: 0,
    };
    const rows = await extractFeatures(options);
    expect(rows.count).toBe(3 * train.length);
    expect(rows.dim).toBe(classifier.pooledSize);
    expect(Array.from(rows.groups.subarray(0, train.length))).toEqual(train.map((_, i) => i));
    const plain = await extractFeatures({ ...options, views: 1, pipeline: pipeline(false) });
    expect(selectViews(rows, [0]).features).toEqual(plain.features);
    expect(selectViews(rows, [1]).features).not.toEqual(plain.features);
    expect((await extractFeatures(options)).features).toEqual(rows.features);
    const two = selectGroups(rows, [0, 1]);
    expect(two.count).toBe(6);
    expect(Array.from(two.groups)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it("serves cached rows until the body, the views, the seed or the data change", async () => {
    const classifier = classifierOf();
    const cache = new FeatureCache();
    const { train } = split();
    const options = {
      extractor: classifier.featureExtractor(),
      items: dataset.items,
      subset: train,
      classCount: 3,
      pipeline: pipeline({}),
      views: 1,
      seed: 5,
      session,
      workers: 0,
    };
    const first = await cache.features(options);
    expect(await cache.features({ ...options, extractor: classifierOf().featureExtractor() })).toBe(first);
    expect(cache.hits).toBe(1);
    const changedBody = classifierOf().featureExtractor();
    const [name, tensor] = [...changedBody.graph.initializers].find(([, t]) => t.dataType === "float32" && t.dims.length === 4)!;
    changedBody.graph.initializers.set(name, { ...tensor, data: (tensor.data as Float32Array).map((v) => v * 1.5) });
    await cache.features({ ...options, extractor: changedBody });
    // Two views: the first is the cached one, only the second is extracted.
    const two = await cache.features({ ...options, views: 2 });
    expect(two.count).toBe(2 * first.count);
    expect(two.features.subarray(0, first.features.length)).toEqual(first.features);
    await cache.features({ ...options, seed: 6 });
    await cache.features({ ...options, subset: train.slice(1) });
    const relabelled = dataset.items.map((item, i) => (i === train[0] ? { ...item, label: (item.label + 1) % 3 } : item));
    await cache.features({ ...options, items: relabelled });
    expect(cache.misses).toBe(6);
    expect(cache.hits).toBe(2);
  });

  it("spills rows past its byte budget to disk and reads them back exactly; close removes them", async () => {
    const classifier = classifierOf();
    const { train } = split();
    const options = {
      extractor: classifier.featureExtractor(),
      items: dataset.items,
      subset: train,
      classCount: 3,
      pipeline: pipeline({}),
      views: 1,
      seed: 5,
      session,
      workers: 0,
    };
    const probe = await extractFeatures(options);
    // Room for one view's rows: the second pushes the first out to disk.
    const cache = new FeatureCache(probe.features.byteLength + 1);
    const first = await cache.features(options);
    await cache.features({ ...options, seed: 6 });
    expect(cache.size).toBe(1);
    const again = await cache.features(options);
    expect(cache.reloads).toBe(1);
    expect(cache.misses).toBe(2);
    expect(again.features).toEqual(first.features);
    expect(Array.from(again.labels)).toEqual(Array.from(first.labels));
    // The seed-6 rows went to disk in turn; close removes them, and asking again extracts anew.
    cache.close();
    await cache.features({ ...options, seed: 6 });
    expect(cache.misses).toBe(3);
  });
});
