/**
 * One converter per Keras 2 layer class (as TF.js layers models store them), each emitting
 * float32 ONNX nodes on NCHW tensors through the NchwEmitter.
 */
import { attr, floatTensor } from "../../onnx/ir.ts";
import type { NchwEmitter, Value } from "./nchw-emitter.ts";
import { transpose4 } from "./tflite-tensors.ts";
import type { Weight } from "./tfjs-weights.ts";

export interface KerasLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
}

export interface LayerContext {
  emitter: NchwEmitter;
  /** The layer's weight `param` ("kernel", "gamma"), or undefined when the model has none. */
  weight(layer: KerasLayer, param: string): Weight | undefined;
}

type LayerConverter = (ctx: LayerContext, layer: KerasLayer, inputs: Value[]) => Value;

function pair(value: unknown, field: string, layer: KerasLayer): [number, number] {
  const v = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n))) {
    throw new Error(`layer '${layer.name}' (${layer.className}): config.${field} must be an integer or a pair of integers, got ${JSON.stringify(value)}`);
  }
  return v as [number, number];
}

function padding(layer: KerasLayer): "same" | "valid" {
  const p = layer.config.padding;
  if (p !== "same" && p !== "valid")
    throw new Error(`layer '${layer.name}' (${layer.className}): config.padding must be 'same' or 'valid', got ${JSON.stringify(p)}`);
  return p;
}

function requireWeight(ctx: LayerContext, layer: KerasLayer, param: string): Weight {
  const weight = ctx.weight(layer, param);
  if (!weight) throw new Error(`layer '${layer.name}' (${layer.className}): weight '${layer.name}/${param}' is missing from the manifest`);
  if (!(weight.values instanceof Float32Array)) throw new Error(`layer '${layer.name}': weight '${param}' must be float`);
  return weight;
}

function floats(weight: Weight | undefined): Float32Array | undefined {
  return weight?.values instanceof Float32Array ? weight.values : undefined;
}

function only(inputs: Value[], layer: KerasLayer): Value {
  const [x] = inputs;
  if (!x || inputs.length !== 1) throw new Error(`layer '${layer.name}' (${layer.className}): expected one input, got ${inputs.length}`);
  return x;
}

const conv2d: LayerConverter = (ctx, layer, inputs) => {
  const kernel = requireWeight(ctx, layer, "kernel"); // [kh, kw, in, out]
  const bias = layer.config.use_bias === false ? undefined : floats(requireWeight(ctx, layer, "bias"));
  const window = {
    kernel: pair(layer.config.kernel_size, "kernel_size", layer),
    strides: pair(layer.config.strides ?? 1, "strides", layer),
    dilations: pair(layer.config.dilation_rate ?? 1, "dilation_rate", layer),
    padding: padding(layer),
  };
  const y = ctx.emitter.conv(only(inputs, layer), transpose4(kernel.values as Float32Array, kernel.shape, [3, 2, 0, 1]), bias, window, 1, layer.name);
  return ctx.emitter.activation(y, String(layer.config.activation ?? "linear"), layer.name);
};

const depthwiseConv2d: LayerConverter = (ctx, layer, inputs) => {
  const x = only(inputs, layer);
  const kernel = requireWeight(ctx, layer, "depthwise_kernel"); // [kh, kw, in, multiplier]
  const [kh, kw, channels, multiplier] = kernel.shape as [number, number, number, number];
  if (channels !== x.shape[3]) throw new Error(`layer '${layer.name}': depthwise kernel has ${channels} input channels, its input has ${x.shape[3]}`);
  const bias = layer.config.use_bias === false ? undefined : floats(requireWeight(ctx, layer, "bias"));
  const window = {
    kernel: [kh, kw] as [number, number],
    strides: pair(layer.config.strides ?? 1, "strides", layer),
    dilations: pair(layer.config.dilation_rate ?? 1, "dilation_rate", layer),
    padding: padding(layer),
  };
  // Output channel c·M + m is contiguous in TF's kernel: view it as [kh, kw, C·M, 1].
  const oihw = transpose4(kernel.values as Float32Array, [kh, kw, channels * multiplier, 1], [2, 3, 0, 1]);
  const y = ctx.emitter.conv(x, oihw, bias, window, channels, layer.name);
  return ctx.emitter.activation(y, String(layer.config.activation ?? "linear"), layer.name);
};

const batchNormalization: LayerConverter = (ctx, layer, inputs) => {
  const x = only(inputs, layer);
  const axis = Number(layer.config.axis ?? -1);
  if (axis !== -1 && axis !== x.shape.length - 1)
    throw new Error(`layer '${layer.name}': BatchNormalization over axis ${axis} is not supported (only the channel axis)`);
  const mean = requireWeight(ctx, layer, "moving_mean");
  const variance = requireWeight(ctx, layer, "moving_variance");
  const channels = mean.shape[0] ?? 0;
  // scale=False / center=False layers have no gamma / beta: 1 and 0.
  const gamma = layer.config.scale === false ? new Float32Array(channels).fill(1) : floats(requireWeight(ctx, layer, "gamma"));
  const beta = layer.config.center === false ? new Float32Array(channels) : floats(requireWeight(ctx, layer, "beta"));
  const b = ctx.emitter.builder;
  const params = [
    ["scale", gamma],
    ["bias", beta],
    ["mean", mean.values],
    ["var", variance.values],
  ] as const;
  const names = params.map(([param, values]) => b.initializer(`${layer.name}/${param}`, floatTensor([channels], values as Float32Array)));
  const output = b.op(
    "BatchNormalization",
    [x.name, ...names],
    {
      epsilon: attr.float(Number(layer.config.epsilon ?? 1e-3)),
      momentum: attr.float(Number(layer.config.momentum ?? 0.99)),
    },
    { name: layer.name },
  );
  return { name: output, shape: x.shape };
};

const relu: LayerConverter = (ctx, layer, inputs) => {
  const x = only(inputs, layer);
  const { max_value: max, negative_slope: slope = 0, threshold = 0 } = layer.config;
  if (slope !== 0 || threshold !== 0) throw new Error(`layer '${layer.name}': ReLU with negative_slope or threshold is not supported`);
  if (max === null || max === undefined) return ctx.emitter.activation(x, "relu", layer.name);
  return ctx.emitter.clip(x, 0, Number(max), `${layer.name}/Clip`);
};

const activation: LayerConverter = (ctx, layer, inputs) => ctx.emitter.activation(only(inputs, layer), String(layer.config.activation), layer.name);

/** int, (rows, cols) symmetric, or ((top, bottom), (left, right)). */
function zeroPadding(layer: KerasLayer): [[number, number], [number, number]] {
  const p = layer.config.padding;
  if (typeof p === "number")
    return [
      [p, p],
      [p, p],
    ];
  if (Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "number")) {
    const [rows, cols] = p as [number, number];
    return [
      [rows, rows],
      [cols, cols],
    ];
  }
  if (Array.isArray(p) && p.length === 2) return [pair(p[0], "padding[0]", layer), pair(p[1], "padding[1]", layer)];
  throw new Error(`layer '${layer.name}' (ZeroPadding2D): config.padding must be an int, a pair, or a pair of pairs, got ${JSON.stringify(p)}`);
}

const zeroPadding2d: LayerConverter = (ctx, layer, inputs) => {
  const [rows, cols] = zeroPadding(layer);
  return ctx.emitter.pad(only(inputs, layer), [[0, 0], rows, cols, [0, 0]], layer.name);
};

const add: LayerConverter = (ctx, layer, inputs) => {
  const [first, ...rest] = inputs;
  if (!first || rest.length === 0) throw new Error(`layer '${layer.name}' (Add): needs at least two inputs`);
  let sum = first;
  rest.forEach((x, i) => {
    sum = { name: ctx.emitter.builder.op("Add", [sum.name, x.name], {}, { name: i === 0 ? layer.name : `${layer.name}/${i}` }), shape: first.shape };
  });
  return sum;
};

function pooling(kind: "AveragePool" | "MaxPool"): LayerConverter {
  return (ctx, layer, inputs) => {
    const kernel = pair(layer.config.pool_size ?? 2, "pool_size", layer);
    const strides = layer.config.strides === null || layer.config.strides === undefined ? kernel : pair(layer.config.strides, "strides", layer);
    return ctx.emitter.pool(only(inputs, layer), kind, { kernel, strides, padding: padding(layer) }, layer.name);
  };
}

const dense: LayerConverter = (ctx, layer, inputs) => {
  const kernel = requireWeight(ctx, layer, "kernel"); // [in, out]
  const bias = layer.config.use_bias === false ? undefined : floats(requireWeight(ctx, layer, "bias"));
  const y = ctx.emitter.dense(only(inputs, layer), kernel.values as Float32Array, kernel.shape as [number, number], bias, layer.name);
  return ctx.emitter.activation(y, String(layer.config.activation ?? "linear"), layer.name);
};

const reshape: LayerConverter = (ctx, layer, inputs) => {
  const x = only(inputs, layer);
  const target = layer.config.target_shape;
  if (!Array.isArray(target) || !target.every((d) => Number.isInteger(d) && d > 0))
    throw new Error(`layer '${layer.name}' (Reshape): config.target_shape must be a list of positive integers`);
  return ctx.emitter.reshape(x, [x.shape[0] ?? 1, ...(target as number[])], layer.name);
};

export const KERAS_LAYERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  BatchNormalization: batchNormalization,
  ReLU: relu,
  Activation: activation,
  ZeroPadding2D: zeroPadding2d,
  Add: add,
  Concatenate: (ctx, layer, inputs) => ctx.emitter.concat(inputs, Number(layer.config.axis ?? -1), layer.name),
  GlobalAveragePooling2D: (ctx, layer, inputs) => ctx.emitter.mean(only(inputs, layer), [1, 2], false, layer.name),
  AveragePooling2D: pooling("AveragePool"),
  MaxPooling2D: pooling("MaxPool"),
  Dense: dense,
  Dropout: (_ctx, layer, inputs) => only(inputs, layer),
  Flatten: (ctx, layer, inputs) => ctx.emitter.flatten(only(inputs, layer), layer.name),
  Reshape: reshape,
};
