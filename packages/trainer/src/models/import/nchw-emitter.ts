/**
 * Emits ONNX nodes for TensorFlow-style (NHWC) layers on NCHW tensors. Each value carries its
 * TensorFlow shape (NHWC, batch 1) so SAME padding, flattening and axes can be resolved
 * statically; in the ONNX graph every rank-4 tensor is NCHW and the batch is dynamic.
 */
import type { GraphBuilder } from "../../onnx/builder.ts";
import { attr, floatTensor } from "../../onnx/ir.ts";
import { nchwAxis, samePadding, transpose4 } from "./tflite-tensors.ts";

export interface Value {
  /** ONNX tensor name. */
  name: string;
  /** TensorFlow (NHWC) shape with batch 1. */
  shape: number[];
}

export interface ConvWindow {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** "same" (TF's, asymmetric), "valid", or explicit [top, left, bottom, right]. */
  padding: "same" | "valid" | number[];
}

export type ActivationName = "linear" | "relu" | "relu6" | "softmax" | "sigmoid" | "tanh";

export class NchwEmitter {
  constructor(readonly builder: GraphBuilder) {}

  /** Conv with an OIHW kernel already in ONNX order; group > 1 for depthwise. */
  conv(x: Value, kernel: { data: Float32Array; dims: number[] }, bias: Float32Array | undefined, w: ConvWindow, group: number, name: string): Value {
    const [, height, width] = x.shape as [number, number, number, number];
    const pads = padsFor(height, width, w);
    const inputs = [x.name, this.builder.initializer(`${name}/kernel`, floatTensor(kernel.dims, kernel.data))];
    if (bias) inputs.push(this.builder.initializer(`${name}/bias`, floatTensor([bias.length], bias)));
    const output = this.builder.op(
      "Conv",
      inputs,
      {
        kernel_shape: attr.ints(w.kernel),
        strides: attr.ints(w.strides),
        dilations: attr.ints(w.dilations),
        pads: attr.ints(pads),
        group: attr.int(group),
      },
      { name },
    );
    const outputChannels = kernel.dims[0] ?? 0;
    return { name: output, shape: [1, ...outputSize(height, width, pads, w), outputChannels] };
  }

  pool(x: Value, kind: "AveragePool" | "MaxPool", w: Omit<ConvWindow, "dilations">, name: string): Value {
    const [, height, width, channels] = x.shape as [number, number, number, number];
    const window = { ...w, dilations: [1, 1] as [number, number] };
    const pads = padsFor(height, width, window);
    // TF's average pool divides by the real (unpadded) pixel count: count_include_pad 0.
    const output = this.builder.op(kind, [x.name], { kernel_shape: attr.ints(w.kernel), strides: attr.ints(w.strides), pads: attr.ints(pads) }, { name });
    return { name: output, shape: [1, ...outputSize(height, width, pads, window), channels] };
  }

  /** y = x·W + b for W [in, out] (TF's layout; ONNX Gemm reads it as is). */
  dense(x: Value, kernel: Float32Array, kernelDims: [number, number], bias: Float32Array | undefined, name: string): Value {
    const inputs = [this.flatten(x, name).name, this.builder.initializer(`${name}/kernel`, floatTensor(kernelDims, kernel))];
    if (bias) inputs.push(this.builder.initializer(`${name}/bias`, floatTensor([bias.length], bias)));
    return { name: this.builder.op("Gemm", inputs, {}, { name }), shape: [1, kernelDims[1]] };
  }

  activation(x: Value, activation: string, name: string): Value {
    const b = this.builder;
    switch (activation as ActivationName) {
      case "linear":
        return x;
      case "relu":
        return { name: b.op("Relu", [x.name], {}, { name: `${name}/Relu` }), shape: x.shape };
      case "relu6":
        return this.clip(x, 0, 6, `${name}/Relu6`);
      case "sigmoid":
        return { name: b.op("Sigmoid", [x.name], {}, { name: `${name}/Sigmoid` }), shape: x.shape };
      case "tanh":
        return { name: b.op("Tanh", [x.name], {}, { name: `${name}/Tanh` }), shape: x.shape };
      case "softmax":
        return { name: b.op("Softmax", [x.name], { axis: attr.int(x.shape.length === 4 ? 1 : -1) }, { name: `${name}/Softmax` }), shape: x.shape };
      default:
        throw new Error(`${name}: activation '${activation}' is not supported (linear, relu, relu6, softmax, sigmoid, tanh are)`);
    }
  }

  clip(x: Value, min: number, max: number, name: string): Value {
    const low = this.builder.scalar(min, "float32", `${name}/min`);
    const high = this.builder.scalar(max, "float32", `${name}/max`);
    return { name: this.builder.op("Clip", [x.name, low, high], {}, { name }), shape: x.shape };
  }

  /**
   * Reshape with TF semantics (row-major over NHWC) on an NCHW tensor: back to NHWC first
   * unless that is a no-op in memory (C = 1, or H = W = 1); NCHW again for a rank-4 result.
   */
  reshape(x: Value, to: number[], name: string): Value {
    const from = x.shape;
    let source = x.name;
    if (from.length === 4 && from[3] !== 1 && !(from[1] === 1 && from[2] === 1)) {
      source = this.builder.op("Transpose", [x.name], { perm: attr.ints([0, 2, 3, 1]) }, { name: `${name}/ToNhwc` });
    }
    // The batch stays dynamic: -1 where TF keeps it, the rest as given.
    const target = to.length > 0 && to[0] === from[0] ? [-1, ...to.slice(1)] : to;
    const reshaped = this.builder.op("Reshape", [source, this.builder.int64s(target, `${name}/shape`)], {}, { name });
    if (to.length !== 4) return { name: reshaped, shape: to };
    return { name: this.builder.op("Transpose", [reshaped], { perm: attr.ints([0, 3, 1, 2]) }, { name: `${name}/ToNchw` }), shape: to };
  }

  flatten(x: Value, name: string): Value {
    if (x.shape.length === 2) return x;
    const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return this.reshape(x, [x.shape[0] ?? 1, features], `${name}/Flatten`);
  }

  /** A constant operand of an elementwise op on `like`, broadcast NHWC-style and moved to NCHW. */
  constant(values: Float32Array, dims: number[], like: Value, name: string): string {
    if (like.shape.length !== 4 || dims.length > 4) return this.builder.initializer(name, floatTensor(dims, values));
    const padded = [...Array<number>(4 - dims.length).fill(1), ...dims];
    const { data, dims: nchw } = transpose4(values, padded, [0, 3, 1, 2]);
    return this.builder.initializer(name, floatTensor(nchw, data));
  }

  /** Pads given per NHWC axis as [before, after] pairs. */
  pad(x: Value, paddings: [number, number][], name: string): Value {
    const rank = x.shape.length;
    const order = rank === 4 ? [0, 3, 1, 2] : Array.from({ length: rank }, (_, i) => i);
    const pads = [...order.map((a) => paddings[a]?.[0] ?? 0), ...order.map((a) => paddings[a]?.[1] ?? 0)];
    const output = this.builder.op("Pad", [x.name, this.builder.int64s(pads, `${name}/pads`)], { mode: attr.string("constant") }, { name });
    return { name: output, shape: x.shape.map((d, a) => d + (paddings[a]?.[0] ?? 0) + (paddings[a]?.[1] ?? 0)) };
  }

  concat(values: Value[], axis: number, name: string): Value {
    const first = values[0];
    if (!first) throw new Error(`${name}: nothing to concatenate`);
    const rank = first.shape.length;
    const tfAxis = axis < 0 ? axis + rank : axis;
    const output = this.builder.op(
      "Concat",
      values.map((v) => v.name),
      { axis: attr.int(nchwAxis(tfAxis, rank)) },
      { name },
    );
    const shape = [...first.shape];
    shape[tfAxis] = values.reduce((total, v) => total + (v.shape[tfAxis] ?? 0), 0);
    return { name: output, shape };
  }

  /** Mean over TF axes; without keepdims the remaining axes must keep their relative order. */
  mean(x: Value, axes: number[], keepDims: boolean, name: string): Value {
    const rank = x.shape.length;
    const positive = axes.map((a) => (a < 0 ? a + rank : a));
    const remaining = [1, 2, 3].filter((a) => !positive.includes(a));
    if (rank === 4 && !keepDims && remaining.includes(3) && remaining.length > 1) {
      throw new Error(`${name}: a mean over axes [${axes}] without keepdims has a layout-dependent result; not supported`);
    }
    const output = this.builder.op(
      "ReduceMean",
      [x.name],
      { axes: attr.ints(positive.map((a) => nchwAxis(a, rank))), keepdims: attr.int(keepDims ? 1 : 0) },
      { name },
    );
    const shape = keepDims ? x.shape.map((d, a) => (positive.includes(a) ? 1 : d)) : x.shape.filter((_, a) => !positive.includes(a));
    return { name: output, shape };
  }
}

function padsFor(height: number, width: number, w: ConvWindow): number[] {
  if (Array.isArray(w.padding)) return w.padding;
  if (w.padding === "valid") return [0, 0, 0, 0];
  const [top, bottom] = samePadding(height, w.kernel[0], w.strides[0], w.dilations[0]);
  const [left, right] = samePadding(width, w.kernel[1], w.strides[1], w.dilations[1]);
  return [top, left, bottom, right];
}

function outputSize(height: number, width: number, pads: number[], w: ConvWindow): [number, number] {
  const size = (input: number, before: number, after: number, kernel: number, stride: number, dilation: number) =>
    Math.floor((input + before + after - ((kernel - 1) * dilation + 1)) / stride) + 1;
  return [
    size(height, pads[0] ?? 0, pads[2] ?? 0, w.kernel[0], w.strides[0], w.dilations[0]),
    size(width, pads[1] ?? 0, pads[3] ?? 0, w.kernel[1], w.strides[1], w.dilations[1]),
  ];
}
