import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { Nhwc } from "../testing/nhwc-reference.ts";
import { clamp, concatChannels, conv, fullyConnected, meanSpatial, pad, pool, softmaxRows } from "../testing/nhwc-reference.ts";
import { argmaxRows, batchOf, sessionFor, sharedPath } from "../testing/images.ts";
import type { TensorSpec, TfliteSpec } from "../testing/tflite-writer.ts";
import { writeTflite } from "../testing/tflite-writer.ts";
import { readPreprocessing } from "./preprocessing.ts";
import { importTflite, importTfliteFile } from "./tflite-import.ts";
import { BuiltinOperator as Op, TensorType } from "./tflite-schema.ts";
import { transpose4 } from "./tflite-tensors.ts";

let seed = 7;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

/** Random integer codes, and their real values under per-channel (axis 0) or per-tensor scales. */
function quantized(shape: number[], type: number, scale: number[], zeroPoint: number[]) {
  const count = shape.reduce((a, b) => a * b, 1);
  const low = type === TensorType.INT8 ? -127 : 0;
  const codes = Array.from({ length: count }, () => low + Math.floor(random() * 255));
  const perChannel = count / scale.length;
  const real = Float32Array.from(codes, (q, i) => (scale[Math.floor(i / perChannel)] ?? 1) * (q - (zeroPoint[Math.floor(i / perChannel)] ?? 0)));
  const data =
    type === TensorType.INT32
      ? new Uint8Array(Int32Array.from(codes).buffer)
      : type === TensorType.INT8
        ? new Uint8Array(Int8Array.from(codes).buffer)
        : Uint8Array.from(codes);
  return { data, real };
}

function floats(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(0));
}

function ints(values: number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

const SAME = 0;
const VALID = 1;

/** A small network touching every converter, with its weights' real values for the reference. */
function smallNetwork() {
  const convScales = [0.02, 0.03, 0.05, 0.01];
  const convW = quantized([4, 3, 3, 3], TensorType.INT8, convScales, [0, 0, 0, 0]);
  const convB = quantized([4], TensorType.INT32, [0.001, 0.002, 0.001, 0.003], [0, 0, 0, 0]);
  const dwW = quantized([1, 3, 3, 8], TensorType.UINT8, [0.01], [128]);
  const dwB = Float32Array.from({ length: 8 }, () => random() - 0.5);
  const addC = Float32Array.from({ length: 16 }, () => random() - 0.5);
  const fcW = quantized([5, 64], TensorType.INT8, [0.05], [3]);
  const fcB = Float32Array.from({ length: 5 }, () => random());
  const act = (name: string, shape: number[]): TensorSpec => ({ name, shape, type: TensorType.UINT8 });
  const tensors: TensorSpec[] = [
    { name: "input", shape: [1, 6, 6, 3], type: TensorType.UINT8, quantization: { scale: [1 / 128], zeroPoint: [128] } },
    { name: "conv/weights", shape: [4, 3, 3, 3], type: TensorType.INT8, data: convW.data, quantization: { scale: convScales, zeroPoint: [0, 0, 0, 0] } },
    { name: "conv/bias", shape: [4], type: TensorType.INT32, data: convB.data, quantization: { scale: [0.001, 0.002, 0.001, 0.003], zeroPoint: [0, 0, 0, 0] } },
    act("conv/Relu6;conv/fold", [1, 3, 3, 4]),
    { name: "dw/weights", shape: [1, 3, 3, 8], type: TensorType.UINT8, data: dwW.data, quantization: { scale: [0.01], zeroPoint: [128], dimension: 3 } },
    { name: "dw/bias", shape: [8], type: TensorType.FLOAT32, data: floats(dwB) },
    act("dw/Relu", [1, 3, 3, 8]),
    { name: "paddings", shape: [4, 2], type: TensorType.INT32, data: ints([0, 0, 1, 0, 0, 1, 0, 0]) },
    act("pad", [1, 4, 4, 8]),
    act("maxpool", [1, 2, 2, 8]),
    act("avgpool", [1, 2, 2, 8]),
    act("concat", [1, 2, 2, 16]),
    { name: "offset", shape: [16], type: TensorType.FLOAT32, data: floats(addC) },
    act("add", [1, 2, 2, 16]),
    { name: "new_shape", shape: [2], type: TensorType.INT32, data: ints([1, 64]) },
    act("flatten", [1, 64]),
    { name: "fc/weights", shape: [5, 64], type: TensorType.INT8, data: fcW.data, quantization: { scale: [0.05], zeroPoint: [3] } },
    { name: "fc/bias", shape: [5], type: TensorType.FLOAT32, data: floats(fcB) },
    act("fc", [1, 5]),
    act("probabilities", [1, 5]),
    { name: "axes", shape: [2], type: TensorType.INT32, data: ints([1, 2]) },
    act("mean", [1, 16]),
  ];
  const i8 = (slot: number, value: number) => ({ slot, kind: "int8" as const, value });
  const i32 = (slot: number, value: number) => ({ slot, kind: "int32" as const, value });
  const spec: TfliteSpec = {
    tensors,
    inputs: [0],
    outputs: [19, 21],
    operators: [
      { opcode: Op.CONV_2D, inputs: [0, 1, 2], outputs: [3], options: [i8(0, SAME), i32(1, 2), i32(2, 2), i8(3, 3)] },
      { opcode: Op.DEPTHWISE_CONV_2D, inputs: [3, 4, 5], outputs: [6], options: [i8(0, SAME), i32(1, 1), i32(2, 1), i32(3, 2), i8(4, 1)] },
      { opcode: Op.PAD, inputs: [6, 7], outputs: [8] },
      { opcode: Op.MAX_POOL_2D, inputs: [8], outputs: [9], options: [i8(0, VALID), i32(1, 2), i32(2, 2), i32(3, 2), i32(4, 2)] },
      { opcode: Op.AVERAGE_POOL_2D, inputs: [9], outputs: [10], options: [i8(0, SAME), i32(1, 1), i32(2, 1), i32(3, 3), i32(4, 3)] },
      { opcode: Op.CONCATENATION, inputs: [10, 9], outputs: [11], options: [i32(0, 3)] },
      { opcode: Op.ADD, inputs: [11, 12], outputs: [13] },
      { opcode: Op.RESHAPE, inputs: [13, 14], outputs: [15] },
      { opcode: Op.FULLY_CONNECTED, inputs: [15, 16, 17], outputs: [18], options: [i8(0, 0)] },
      { opcode: Op.SOFTMAX, inputs: [18], outputs: [19], options: [{ slot: 0, kind: "float32", value: 1 }] },
      { opcode: Op.MEAN, inputs: [13, 20], outputs: [21], options: [i8(0, 0)] },
    ],
  };
  const reference = (x: Nhwc) => {
    // 6×6, k3, s2 SAME: 1 pixel of padding in total, after (bottom/right) as TF does.
    const c1 = clamp(conv(x, convW.real, 4, convB.real, { kernel: [3, 3], stride: [2, 2], pads: [0, 0, 1, 1] }, false), 0, 6);
    const d1 = clamp(conv(c1, dwW.real, 8, dwB, { kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1] }, true), 0, Infinity);
    const m1 = pool(pad(d1, 1, 0, 0, 1), { kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0] }, "max");
    const a1 = pool(m1, { kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1] }, "average");
    const cat = concatChannels(a1, m1);
    const added: Nhwc = { data: cat.data.map((v, i) => v + (addC[i % 16] ?? 0)), shape: cat.shape };
    const batch = x.shape[0];
    const logits = fullyConnected(added.data, batch, fcW.real, 5, fcB);
    return { probabilities: softmaxRows(logits, 5), mean: meanSpatial(added) };
  };
  return { bytes: writeTflite(spec), reference };
}

describe("importTflite on a generated network", () => {
  it("matches the NHWC reference: quantized weights, SAME/VALID, depth multiplier, pools, concat, flatten", async () => {
    const { bytes, reference } = smallNetwork();
    const model = importTflite(bytes);
    expect(readPreprocessing(model)).toEqual({ input: "input", size: [6, 6], mean: [128 / 255, 128 / 255, 128 / 255], std: [128 / 255, 128 / 255, 128 / 255] });
    const batch = 2;
    const x: Nhwc = { data: Float32Array.from({ length: batch * 6 * 6 * 3 }, () => random() * 2 - 1), shape: [batch, 6, 6, 3] };
    const nchw = transpose4(x.data, x.shape, [0, 3, 1, 2]);
    const session = await sessionFor(model);
    const out = await session.run({ input: new ort.Tensor("float32", nchw.data, nchw.dims) });
    const expected = reference(x);
    expect(out.output?.dims).toEqual([batch, 5]);
    expect(out.output_1?.dims).toEqual([batch, 16]);
    const probabilities = out.output?.data as Float32Array;
    const mean = out.output_1?.data as Float32Array;
    expected.probabilities.forEach((v, i) => expect(probabilities[i]).toBeCloseTo(v, 5));
    expected.mean.forEach((v, i) => expect(mean[i]).toBeCloseTo(v, 4));
  });

  it("rejects corrupt files, unknown operators and bad tensor indices with clear errors", () => {
    const { bytes } = smallNetwork();
    expect(() => importTflite(bytes.subarray(0, 6))).toThrow(/too short/);
    const renamed = bytes.slice();
    renamed.set([0x58, 0x58, 0x58, 0x58], 4);
    expect(() => importTflite(renamed)).toThrow(/file identifier is 'XXXX', expected 'TFL3'/);
    expect(() => importTflite(bytes.subarray(0, bytes.length / 2))).toThrow(/outside the .*-byte file/);
    const input = { name: "x", shape: [1, 2, 2, 1], type: TensorType.FLOAT32 };
    const sub = writeTflite({
      tensors: [input, { ...input, name: "y" }],
      inputs: [0],
      outputs: [1],
      operators: [{ opcode: 41, inputs: [0, 0], outputs: [1] }],
    });
    expect(() => importTflite(sub)).toThrow(/operator 0 \(builtin operator 41\) is not supported/);
    const dangling = writeTflite({ tensors: [input], inputs: [0], outputs: [3], operators: [] });
    expect(() => importTflite(dangling)).toThrow(/outputs: tensor index 3 is outside 0\.\.0/);
  });
});

const modelsDir = sharedPath("models");
const datasetsDir = sharedPath("datasets");
const haveShared = modelsDir !== undefined && datasetsDir !== undefined;
if (!haveShared) console.warn("skipping ImageNet MobileNetV2 check: ../shared/models or ../shared/datasets is absent");

describe.skipIf(!haveShared)("ImageNet MobileNetV2 (TFLite) on real images", () => {
  it("names the right ImageNet class for cats, dogs, ants and bees", async () => {
    const model = importTfliteFile(join(modelsDir ?? "", "mobilenet_v2_1.0_224_quant.tflite"));
    const labels = readFileSync(join(modelsDir ?? "", "imagenet_labels.txt"), "utf8").split("\n");
    const cases: [string, string][] = [
      ["oxford_pets_sample/Persian", "Persian cat"],
      ["oxford_pets_sample/Siamese", "Siamese cat, Siamese"],
      ["oxford_pets_sample/pug", "pug, pug-dog"],
      ["oxford_pets_sample/samoyed", "Samoyed, Samoyede"],
      ["hymenoptera_data/val/ants", "ant, emmet, pismire"],
      ["hymenoptera_data/val/bees", "bee"],
    ];
    const files = cases.flatMap(([dir]) =>
      readdirSync(join(datasetsDir ?? "", dir))
        .sort()
        .slice(0, 3)
        .map((f) => join(datasetsDir ?? "", dir, f)),
    );
    const pre = readPreprocessing(model);
    const session = await sessionFor(model);
    const out = await session.run({ input: await batchOf(files, 224, pre?.mean ?? [], pre?.std ?? []) });
    const predicted = argmaxRows(out.output?.data as Float32Array, 1001).map((i) => labels[i]);
    const expected = cases.flatMap(([, label]) => [label, label, label]);
    const correct = predicted.filter((label, i) => label === expected[i]).length;
    // The model's published top-1 is about 70%; these classes are easy ones.
    expect(correct / expected.length).toBeGreaterThanOrEqual(0.8);
  });
});
