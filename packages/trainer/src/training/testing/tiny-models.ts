/**
 * Tiny models and batches for training tests: a small MLP over 4×4 images (Flatten, Gemm,
 * optional BatchNormalization, Relu), seeded, and a batch whose labels follow the pixels, so
 * it can be learned.
 */
import * as ort from "onnxruntime-node";
import { GraphBuilder } from "../../onnx/builder.ts";
import type { Model } from "../../onnx/ir.ts";
import { attr, createModel, floatTensor } from "../../onnx/ir.ts";
import { SeededRandom } from "../../models/synthetic/index.ts";
import type { LayerGroupOverride } from "../layer-groups.ts";

export const TINY_CLASSES = 3;
const PIXELS = 3 * 4 * 4;

export interface TinyMlpOptions {
  seed?: number;
  batchNorm?: boolean;
}

/** input [batch, 3, 4, 4] → fc1 (16) → [bn1] → relu → fc2 (8) → relu → fc3 (3 logits). */
export function tinyMlp(options: TinyMlpOptions = {}): Model {
  const random = new SeededRandom(options.seed ?? 1);
  const b = new GraphBuilder("tiny_mlp");
  const weight = (name: string, rows: number, cols: number) =>
    b.initializer(
      name,
      floatTensor(
        [rows, cols],
        Array.from({ length: rows * cols }, () => random.normal() * Math.sqrt(2 / cols)),
      ),
    );
  const bias = (name: string, size: number) =>
    b.initializer(
      name,
      floatTensor(
        [size],
        Array.from({ length: size }, () => random.normal() * 0.1),
      ),
    );
  const input = b.input("input", "float32", ["batch", 3, 4, 4]);
  let x = b.op("Flatten", [input], { axis: attr.int(1) });
  x = b.scope("fc1", () => b.op("Gemm", [x, weight("weight", 16, PIXELS), bias("bias", 16)], { transB: attr.int(1) }));
  if (options.batchNorm) {
    x = b.scope("bn1", () => {
      const ones = b.initializer("scale", floatTensor([16], new Array(16).fill(1)));
      const shift = b.initializer("bias", floatTensor([16], new Array(16).fill(0)));
      const mean = b.initializer("running_mean", floatTensor([16], new Array(16).fill(0)));
      const variance = b.initializer("running_var", floatTensor([16], new Array(16).fill(1)));
      return b.op("BatchNormalization", [x, ones, shift, mean, variance], { epsilon: attr.float(1e-5), momentum: attr.float(0.9) });
    });
  }
  x = b.op("Relu", [x]);
  x = b.scope("fc2", () => b.op("Gemm", [x, weight("weight", 8, 16), bias("bias", 8)], { transB: attr.int(1) }));
  x = b.op("Relu", [x]);
  const logits = b.scope("fc3", () => b.op("Gemm", [x, weight("weight", TINY_CLASSES, 8), bias("bias", TINY_CLASSES)], { transB: attr.int(1) }));
  b.output("logits", "float32", ["batch", TINY_CLASSES], logits);
  return createModel(b.build());
}

/** fc1 (+ bn1), fc2 and fc3 as three layer groups. */
export const TINY_GROUPS: LayerGroupOverride[] = [
  { name: "fc1", prefixes: ["fc1/", "bn1/"] },
  { name: "fc2", prefixes: ["fc2/"] },
  { name: "head", prefixes: ["fc3/"] },
];

/** A seeded batch; the label is the colour channel with the largest mean. */
export function tinyBatch(size: number, seed = 7): { input: ort.Tensor; labels: ort.Tensor } {
  const random = new SeededRandom(seed);
  const pixels = new Float32Array(size * PIXELS);
  const labels = new BigInt64Array(size);
  for (let n = 0; n < size; n++) {
    const label = n % TINY_CLASSES;
    for (let i = 0; i < PIXELS; i++) {
      const channel = Math.floor(i / 16);
      pixels[n * PIXELS + i] = random.normal() * 0.5 + (channel === label ? 1 : 0);
    }
    labels[n] = BigInt(label);
  }
  return { input: new ort.Tensor("float32", pixels, [size, 3, 4, 4]), labels: new ort.Tensor("int64", labels, [size]) };
}
