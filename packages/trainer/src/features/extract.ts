/**
 * Pooled features of the frozen body, once per image per view: view 0 is the plain
 * validation transform (centre crop), views 1…K−1 the training augmentation of data epochs
 * 1…K−1. Head training, the linear probe and lr_find on a frozen body then run on these rows
 * instead of on images: the frozen phase costs K inference passes whatever its length.
 */
import * as ort from "onnxruntime-node";
import type { ImageItem, Pipeline } from "../data/index.ts";
import { DataLoader } from "../data/index.ts";
import type { Model } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import type { FeatureSet as ProbeFeatureSet } from "../probe/index.ts";
import { createSession, type SessionOptions } from "../runtime/index.ts";

/**
 * Feature rows (the probe's FeatureSet), view-major: row v·n + i is view v of the i-th item of
 * the subset, and its group is i, so the views of one image share a group.
 */
export type FeatureSet = ProbeFeatureSet & { groups: Int32Array };

export interface ExtractOptions {
  /** The body cut at its feature map plus the head's pooling: "input" → "features" (Classifier.featureExtractor()). */
  extractor: Model;
  items: readonly Pick<ImageItem, "path" | "relativePath" | "label">[];
  subset: readonly number[];
  classCount: number;
  /** The training pipeline (size, normalization, augmentation); view 0 runs it without augmentation. */
  pipeline: Pipeline;
  views: number;
  /** The first view to extract (views firstView … firstView + views − 1); default 0. */
  firstView?: number;
  seed: number;
  batchSize?: number;
  workers?: number;
  session?: SessionOptions;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export async function extractFeatures(options: ExtractOptions): Promise<FeatureSet> {
  const { extractor, items, subset, views, seed } = options;
  if (!Number.isInteger(views) || views < 1 || views > 64) throw new Error(`views must be an integer from 1 to 64, got ${views}`);
  if (subset.length === 0) throw new Error("extractFeatures: the subset is empty");
  const dim = featureWidth(extractor);
  const n = subset.length;
  const features = new Float32Array(views * n * dim);
  const position = new Map(subset.map((index, i) => [index, i]));
  const session = await createSession(encodeModel(extractor), options.session ?? {});
  let done = 0;
  try {
    const firstView = options.firstView ?? 0;
    for (let view = 0; view < views; view++) {
      const loader = viewLoader(options, firstView + view);
      try {
        for await (const batch of loader.epoch(firstView + view)) {
          options.signal?.throwIfAborted();
          const input = new ort.Tensor("float32", batch.input, batch.shape);
          const output = (await session.session.run({ input }))["features"]!.data as Float32Array;
          batch.indices.forEach((index, row) => features.set(output.subarray(row * dim, (row + 1) * dim), (view * n + position.get(index)!) * dim));
          done += batch.indices.length;
          options.onProgress?.(done, views * n);
        }
      } finally {
        await loader.close();
      }
    }
  } finally {
    await session.release();
  }
  const labels = new Int32Array(views * n);
  const groups = new Int32Array(views * n);
  for (let view = 0; view < views; view++) {
    subset.forEach((index, i) => {
      labels[view * n + i] = items[index]!.label;
      groups[view * n + i] = i;
    });
  }
  return { features, count: views * n, dim, labels, classCount: options.classCount, groups };
}

function viewLoader(options: ExtractOptions, view: number): DataLoader {
  const augmented = view > 0 && options.pipeline.augment !== undefined;
  return new DataLoader({
    items: options.items,
    subset: options.subset,
    seed: options.seed,
    train: augmented,
    shuffle: false,
    dropLast: false,
    pipeline: augmented ? options.pipeline : { ...options.pipeline, augment: false },
    batchSize: options.batchSize ?? 32,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
}

function featureWidth(extractor: Model): number {
  const output = extractor.graph.outputs.find((o) => o.name === "features");
  const width = output?.shape?.[1];
  if (typeof width !== "number") throw new Error(`feature extractor '${extractor.graph.name}': needs a "features" output of shape [batch, width]`);
  return width;
}

/** Rows of the given views only (view-major), e.g. view 0 for the plain features. */
export function selectViews(set: FeatureSet, views: readonly number[]): FeatureSet {
  const n = set.count / viewCount(set);
  const features = new Float32Array(views.length * n * set.dim);
  const labels = new Int32Array(views.length * n);
  const groups = new Int32Array(views.length * n);
  views.forEach((view, k) => {
    features.set(set.features.subarray(view * n * set.dim, (view + 1) * n * set.dim), k * n * set.dim);
    labels.set(set.labels.subarray(view * n, (view + 1) * n), k * n);
    groups.set(set.groups.subarray(view * n, (view + 1) * n), k * n);
  });
  return { ...set, features, count: views.length * n, labels, groups };
}

/** The rows of the items at `positions` (subset positions), every view kept, view-major; groups renumbered to indices into `positions`. */
export function selectGroups(set: FeatureSet, positions: readonly number[]): FeatureSet {
  const n = set.count / viewCount(set);
  const rows: number[] = [];
  for (let view = 0; view < set.count / n; view++) for (const position of positions) rows.push(view * n + position);
  const features = new Float32Array(rows.length * set.dim);
  rows.forEach((row, i) => features.set(set.features.subarray(row * set.dim, (row + 1) * set.dim), i * set.dim));
  return {
    ...set,
    features,
    count: rows.length,
    labels: Int32Array.from(rows, (r) => set.labels[r]!),
    groups: Int32Array.from(rows, (_, i) => i % positions.length),
  };
}

export function viewCount(set: FeatureSet): number {
  let max = -1;
  for (const g of set.groups) if (g > max) max = g;
  return set.count / (max + 1);
}
