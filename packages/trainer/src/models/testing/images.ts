/**
 * Test and evaluation helpers for the importers: real images as normalized NCHW batches, the
 * shared data folder resolved relative to the repository, ONNX Runtime sessions on IR models.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import type { Model } from "../../onnx/ir.ts";
import { encodeModel } from "../../onnx/serialize.ts";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");

/** `../shared/<relative>` from the repository root, or undefined when it is absent. */
export function sharedPath(relative: string): string | undefined {
  const path = join(REPO_ROOT, "..", "shared", relative);
  return existsSync(path) ? path : undefined;
}

/** Center square crop, bilinear resize, (rgb/255 - mean)/std, planar RGB. */
export async function imageToNchw(path: string, size: number, mean: readonly number[], std: readonly number[]): Promise<Float32Array> {
  const { data } = await sharp(path)
    .rotate()
    .removeAlpha()
    .toColourspace("srgb")
    .resize(size, size, { fit: "cover", kernel: "linear" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = ((data[i * 3 + c] ?? 0) / 255 - (mean[c] ?? 0)) / (std[c] ?? 1);
  }
  return out;
}

export async function batchOf(paths: string[], size: number, mean: readonly number[], std: readonly number[]): Promise<ort.Tensor> {
  const images = await Promise.all(paths.map((p) => imageToNchw(p, size, mean, std)));
  const data = new Float32Array(images.length * 3 * size * size);
  images.forEach((image, i) => data.set(image, i * image.length));
  return new ort.Tensor("float32", data, [paths.length, 3, size, size]);
}

export async function sessionFor(model: Model): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 2, interOpNumThreads: 1 });
}

/** Index of the largest value in each row of a [rows, columns] array. */
export function argmaxRows(values: Float32Array, columns: number): number[] {
  const rows = values.length / columns;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < columns; c++) if ((values[r * columns + c] ?? -Infinity) > (values[r * columns + best] ?? -Infinity)) best = c;
    return best;
  });
}
