/**
 * Helpers for checking TF.js imports against TF.js itself: the same inputs in NCHW for ONNX
 * Runtime and NHWC for TF.js, and the largest difference of the outputs.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import type { TfjsArtifacts } from "../import/tfjs-artifacts.ts";
import { importTfjsGraphModel } from "../import/tfjs-graph.ts";
import type { TfjsImportOptions } from "../import/tfjs-layers.ts";
import { importTfjsLayersModel } from "../import/tfjs-layers.ts";
import { transpose4 } from "../import/tflite-tensors.ts";
import { batchOf, sessionFor, sharedPath } from "./images.ts";

/** nsfwjs feeds rgb / 255. */
export const UNIT_INPUT: TfjsImportOptions = { normalization: { mean: [0, 0, 0], std: [1, 1, 1] } };

export async function runImported(artifacts: TfjsArtifacts, kind: "layers" | "graph", nchw: ort.Tensor): Promise<Float32Array> {
  const model = kind === "graph" ? importTfjsGraphModel(artifacts, UNIT_INPUT) : importTfjsLayersModel(artifacts, UNIT_INPUT);
  const session = await sessionFor(model);
  const out = await session.run({ input: nchw });
  return out.output?.data as Float32Array;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`outputs differ in length: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

/** `count` real photos (ants, pugs, bees) when ../shared/datasets is there, else smooth generated images. */
export async function sampleImages(size: number, count: number): Promise<ort.Tensor> {
  const datasets = sharedPath("datasets");
  if (datasets) {
    const dirs = ["hymenoptera_data/val/ants", "oxford_pets_sample/pug", "hymenoptera_data/val/bees"].map((d) => join(datasets, d));
    const files = Array.from({ length: count }, (_, i) => {
      const dir = dirs[i % dirs.length] ?? "";
      return join(dir, readdirSync(dir).sort()[Math.floor(i / dirs.length)] ?? "");
    });
    return batchOf(files, size, [0, 0, 0], [1, 1, 1]);
  }
  const data = Float32Array.from({ length: count * 3 * size * size }, (_, i) => 0.5 + 0.5 * Math.sin(i / 97));
  return new ort.Tensor("float32", data, [count, 3, size, size]);
}

export function toNhwc(nchw: ort.Tensor): tf.Tensor4D {
  const { data, dims } = transpose4(nchw.data as Float32Array, nchw.dims as number[], [0, 2, 3, 1]);
  return tf.tensor4d(data, dims as [number, number, number, number]);
}
