/**
 * Layer helpers shared by the synthetic architectures. Each emits the ONNX ops a torchvision
 * export emits for the layer and returns the output feature with its shape.
 */
import { attr } from "../../onnx/ir.ts";
import type { Feature, ModelContext } from "./context.ts";

export type Activation = "relu" | "relu6" | "hardSwish" | "silu" | "none";

export interface ConvSpec {
  outChannels: number;
  /** Square size, or [height, width]. */
  kernel: number | [number, number];
  stride?: number;
  /** Symmetric padding, square or [height, width]; defaults to "same" for odd kernels at stride 1. */
  padding?: number | [number, number];
  groups?: number;
  bias?: boolean;
}

function pair(value: number | [number, number]): [number, number] {
  return typeof value === "number" ? [value, value] : value;
}

/** ⌊(size + 2·pad − kernel) / stride⌋ + 1 (no dilation, floor mode). */
export function pooledSize(size: number, kernel: number, stride: number, pad: number): number {
  const out = Math.floor((size + 2 * pad - kernel) / stride) + 1;
  if (out < 1) throw new Error(`resolution too small: a ${kernel}×${kernel} window with stride ${stride} and pad ${pad} does not fit in ${size} pixels`);
  return out;
}

export function conv(ctx: ModelContext, x: Feature, spec: ConvSpec): Feature {
  const [kh, kw] = pair(spec.kernel);
  const [ph, pw] = pair(spec.padding ?? [Math.floor(kh / 2), Math.floor(kw / 2)]);
  const stride = spec.stride ?? 1;
  const groups = spec.groups ?? 1;
  if (x.channels % groups !== 0 || spec.outChannels % groups !== 0) {
    throw new Error(`conv: groups ${groups} must divide input channels ${x.channels} and output channels ${spec.outChannels}`);
  }
  const fanIn = (x.channels / groups) * kh * kw;
  const b = ctx.builder;
  const inputs = [x.name, ctx.parameter("weight", [spec.outChannels, x.channels / groups, kh, kw], "weight", { kind: "heNormal", fanIn })];
  if (spec.bias) inputs.push(ctx.parameter("bias", [spec.outChannels], "bias", { kind: "constant", value: 0 }));
  const y = b.op("Conv", inputs, {
    dilations: attr.ints([1, 1]),
    group: attr.int(groups),
    kernel_shape: attr.ints([kh, kw]),
    pads: attr.ints([ph, pw, ph, pw]),
    strides: attr.ints([stride, stride]),
  });
  return ctx.feature(y, spec.outChannels, pooledSize(x.height, kh, stride, ph), pooledSize(x.width, kw, stride, pw));
}

export interface NormSpec {
  epsilon?: number;
  /** Typical size of the scale γ; residual branches end with small γ so depth does not blow up activations. */
  scale?: number;
}

/** BatchNormalization in inference mode: y = γ (x − μ) / √(σ² + ε) + β with running μ, σ². */
export function batchNorm(ctx: ModelContext, x: Feature, spec: NormSpec = {}): Feature {
  const c = [x.channels];
  const scale = spec.scale ?? 1;
  const inputs = [
    x.name,
    ctx.parameter("scale", c, "bnScale", { kind: "uniform", low: 0.9 * scale, high: 1.1 * scale }),
    ctx.parameter("bias", c, "bnBias", { kind: "normal", std: 0.05 }),
    ctx.parameter("running_mean", c, "bnMean", { kind: "normal", std: 0.05 }),
    ctx.parameter("running_var", c, "bnVariance", { kind: "uniform", low: 0.8, high: 1.2 }),
  ];
  const y = ctx.builder.op("BatchNormalization", inputs, { epsilon: attr.float(spec.epsilon ?? 1e-5), momentum: attr.float(0.9) });
  return ctx.feature(y, x.channels, x.height, x.width);
}

export function activate(ctx: ModelContext, x: Feature, activation: Activation): Feature {
  const b = ctx.builder;
  let y: string;
  switch (activation) {
    case "none":
      return x;
    case "relu":
      y = b.op("Relu", [x.name]);
      break;
    // ReLU6 exports as Clip(x, 0, 6).
    case "relu6":
      y = b.op("Clip", [x.name, ctx.scalar(0), ctx.scalar(6)]);
      break;
    case "hardSwish":
      y = b.op("HardSwish", [x.name]);
      break;
    // SiLU exports as x · σ(x).
    case "silu":
      y = b.op("Mul", [x.name, ctx.feature(b.op("Sigmoid", [x.name]), x.channels, x.height, x.width).name]);
      break;
  }
  return ctx.feature(y, x.channels, x.height, x.width);
}

/** Conv (no bias) → BatchNormalization → activation, in a named scope. */
export function convBnAct(ctx: ModelContext, scope: string, x: Feature, spec: ConvSpec, activation: Activation, norm: NormSpec = {}): Feature {
  return ctx.builder.scope(scope, () => {
    const y = ctx.builder.scope("conv", () => conv(ctx, x, { ...spec, bias: false }));
    const normalized = ctx.builder.scope("bn", () => batchNorm(ctx, y, norm));
    return activate(ctx, normalized, activation);
  });
}

export function maxPool(ctx: ModelContext, x: Feature, kernel: number, stride: number, pad = 0): Feature {
  const y = ctx.builder.op("MaxPool", [x.name], {
    ceil_mode: attr.int(0),
    kernel_shape: attr.ints([kernel, kernel]),
    pads: attr.ints([pad, pad, pad, pad]),
    strides: attr.ints([stride, stride]),
  });
  return ctx.feature(y, x.channels, pooledSize(x.height, kernel, stride, pad), pooledSize(x.width, kernel, stride, pad));
}

export function averagePool(ctx: ModelContext, x: Feature, kernel: number, stride: number, pad = 0, countIncludePad = false): Feature {
  const y = ctx.builder.op("AveragePool", [x.name], {
    ceil_mode: attr.int(0),
    count_include_pad: attr.int(countIncludePad ? 1 : 0),
    kernel_shape: attr.ints([kernel, kernel]),
    pads: attr.ints([pad, pad, pad, pad]),
    strides: attr.ints([stride, stride]),
  });
  return ctx.feature(y, x.channels, pooledSize(x.height, kernel, stride, pad), pooledSize(x.width, kernel, stride, pad));
}

export function add(ctx: ModelContext, a: Feature, b: Feature): Feature {
  return ctx.feature(ctx.builder.op("Add", [a.name, b.name]), a.channels, a.height, a.width);
}

/** Concatenation along channels. */
export function concat(ctx: ModelContext, parts: Feature[]): Feature {
  const first = parts[0];
  if (!first) throw new Error("concat: needs at least one feature");
  const channels = parts.reduce((sum, p) => sum + p.channels, 0);
  return ctx.feature(
    ctx.builder.op(
      "Concat",
      parts.map((p) => p.name),
      { axis: attr.int(1) },
    ),
    channels,
    first.height,
    first.width,
  );
}

export interface SqueezeExciteSpec {
  squeezeChannels: number;
  pool: "globalAveragePool" | "reduceMean";
  activation: "relu" | "silu";
  gate: "sigmoid" | "hardSigmoid";
}

/** x · gate(W₂ act(W₁ mean_hw(x))), the 1×1 "fully connected" layers as Convs with bias. */
export function squeezeExcite(ctx: ModelContext, x: Feature, spec: SqueezeExciteSpec): Feature {
  return ctx.builder.scope("se", () => {
    const b = ctx.builder;
    const pooledName =
      spec.pool === "globalAveragePool"
        ? b.op("GlobalAveragePool", [x.name])
        : b.op("ReduceMean", [x.name], { axes: attr.ints([2, 3]), keepdims: attr.int(1) });
    const pooled = ctx.feature(pooledName, x.channels, 1, 1);
    const squeezed = activate(
      ctx,
      b.scope("fc1", () => conv(ctx, pooled, { outChannels: spec.squeezeChannels, kernel: 1, bias: true })),
      spec.activation,
    );
    const expanded = b.scope("fc2", () => conv(ctx, squeezed, { outChannels: x.channels, kernel: 1, bias: true }));
    const gate =
      spec.gate === "sigmoid" ? b.op("Sigmoid", [expanded.name]) : b.op("HardSigmoid", [expanded.name], { alpha: attr.float(1 / 6), beta: attr.float(0.5) });
    ctx.feature(gate, x.channels, 1, 1);
    return ctx.feature(b.op("Mul", [x.name, gate]), x.channels, x.height, x.width);
  });
}

/** A flat activation vector [batch, size]. */
export interface Vector {
  name: string;
  size: number;
}

/** GlobalAveragePool → Flatten, as AdaptiveAvgPool2d(1) + flatten export. */
export function globalPoolFlatten(ctx: ModelContext, x: Feature): Vector {
  const pooled = ctx.feature(ctx.builder.op("GlobalAveragePool", [x.name]), x.channels, 1, 1);
  return flatten(ctx, pooled);
}

export function flatten(ctx: ModelContext, x: Feature): Vector {
  const size = x.channels * x.height * x.width;
  const name = ctx.builder.op("Flatten", [x.name], { axis: attr.int(1) });
  ctx.builder.valueInfo(name, "float32", ["batch", size]);
  return { name, size };
}

/** Linear layer as Gemm(x, Wᵀ) + b with W of shape [out, in], like PyTorch's export. */
export function gemm(ctx: ModelContext, scope: string, x: Vector, outFeatures: number, weightStd?: number): Vector {
  return ctx.builder.scope(scope, () => {
    const init = weightStd === undefined ? { kind: "heNormal" as const, fanIn: x.size } : { kind: "normal" as const, std: weightStd };
    const w = ctx.parameter("weight", [outFeatures, x.size], "weight", init);
    const bias = ctx.parameter("bias", [outFeatures], "bias", { kind: "constant", value: 0 });
    const name = ctx.builder.op("Gemm", [x.name, w, bias], { alpha: attr.float(1), beta: attr.float(1), transB: attr.int(1) });
    ctx.builder.valueInfo(name, "float32", ["batch", outFeatures]);
    return { name, size: outFeatures };
  });
}

export function vectorActivation(ctx: ModelContext, x: Vector, activation: "relu" | "hardSwish"): Vector {
  const name = ctx.builder.op(activation === "relu" ? "Relu" : "HardSwish", [x.name]);
  ctx.builder.valueInfo(name, "float32", ["batch", x.size]);
  return { name, size: x.size };
}

/** Dropout as it appears in an inference graph: identity unless a training graph sets training_mode. */
export function dropout(ctx: ModelContext, x: Vector, ratio: number): Vector {
  const name = ctx.builder.op("Dropout", [x.name, ctx.scalar(ratio)]);
  ctx.builder.valueInfo(name, "float32", ["batch", x.size]);
  return { name, size: x.size };
}
