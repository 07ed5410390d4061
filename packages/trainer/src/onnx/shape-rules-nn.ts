/** Shape rules for the neural-network ops: Conv, pooling, normalization, Gemm, MatMul, losses. */
import { getInt, getInts, getString, type Dim } from "./ir.ts";
import { addToDim, broadcastShapes, normalizeAxis } from "./dims.ts";
import type { ShapeContext, ShapeRule } from "./shape-context.ts";
import { sameAsInput } from "./shape-rules-elementwise.ts";

interface WindowOptions {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** [begin_0, begin_1, …, end_0, end_1, …] as in ONNX. */
  pads: number[];
  autoPad: string;
  ceilMode: boolean;
}

function windowOptions(ctx: ShapeContext, kernel: number[]): WindowOptions {
  const n = kernel.length;
  return {
    kernel,
    strides: getInts(ctx.node, "strides") ?? new Array<number>(n).fill(1),
    dilations: getInts(ctx.node, "dilations") ?? new Array<number>(n).fill(1),
    pads: getInts(ctx.node, "pads") ?? new Array<number>(2 * n).fill(0),
    autoPad: getString(ctx.node, "auto_pad", "NOTSET"),
    ceilMode: getInt(ctx.node, "ceil_mode", 0) === 1,
  };
}

/**
 * Output size of one sliding-window axis:
 *   NOTSET: ⌊(in + padBegin + padEnd − d·(k−1) − 1) / s⌋ + 1   (⌈⌉ with ceil_mode)
 *   SAME_*: ⌈in / s⌉        VALID: ⌈(in − d·(k−1)) / s⌉
 * With ceil_mode a last window that would start inside the end padding is dropped.
 */
function windowOutputDim(input: Dim, axis: number, o: WindowOptions): Dim {
  const n = o.kernel.length;
  const stride = o.strides[axis] ?? 1;
  const span = (o.dilations[axis] ?? 1) * ((o.kernel[axis] ?? 1) - 1);
  if (o.autoPad === "SAME_UPPER" || o.autoPad === "SAME_LOWER") {
    if (stride === 1) return input;
    return typeof input === "number" ? Math.ceil(input / stride) : null;
  }
  const padBegin = o.autoPad === "VALID" ? 0 : (o.pads[axis] ?? 0);
  const padTotal = o.autoPad === "VALID" ? 0 : padBegin + (o.pads[axis + n] ?? 0);
  if (typeof input !== "number") return stride === 1 ? addToDim(input, padTotal - span) : null;
  const reach = input + padTotal - span - 1;
  if (!o.ceilMode) return Math.floor(reach / stride) + 1;
  let output = Math.ceil(reach / stride) + 1;
  if ((output - 1) * stride >= input + padBegin) output -= 1;
  return output;
}

function spatialOutput(x: Dim[], o: WindowOptions): Dim[] {
  return x.slice(2).map((d, axis) => windowOutputDim(d, axis, o));
}

const conv: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  const w = ctx.inputShape(1);
  if (!dataType) return;
  const kernel = getInts(ctx.node, "kernel_shape") ?? w?.slice(2).map((d) => (typeof d === "number" ? d : NaN));
  if (!x || !kernel || kernel.some((k) => Number.isNaN(k))) return ctx.setOutput(0, dataType);
  const outChannels = w?.[0] ?? null;
  ctx.setOutput(0, dataType, [x[0] ?? null, outChannels, ...spatialOutput(x, windowOptions(ctx, kernel))]);
};

/**
 * ConvTranspose: out = s·(in − 1) + output_padding + d·(k − 1) + 1 − padBegin − padEnd,
 * or in·s with SAME padding; an explicit output_shape wins.
 */
function transposedOutputDim(input: Dim, axis: number, o: WindowOptions, outputPadding: number): Dim {
  const n = o.kernel.length;
  const stride = o.strides[axis] ?? 1;
  const span = (o.dilations[axis] ?? 1) * ((o.kernel[axis] ?? 1) - 1);
  if (o.autoPad === "SAME_UPPER" || o.autoPad === "SAME_LOWER") return stride === 1 ? input : typeof input === "number" ? input * stride : null;
  const padTotal = o.autoPad === "VALID" ? 0 : (o.pads[axis] ?? 0) + (o.pads[axis + n] ?? 0);
  if (typeof input !== "number") return stride === 1 ? addToDim(input, outputPadding + span - padTotal) : null;
  return stride * (input - 1) + outputPadding + span + 1 - padTotal;
}

const convTranspose: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  const w = ctx.inputShape(1);
  if (!dataType) return;
  const kernel = getInts(ctx.node, "kernel_shape") ?? w?.slice(2).map((d) => (typeof d === "number" ? d : NaN));
  if (!x || !kernel || kernel.some((k) => Number.isNaN(k))) return ctx.setOutput(0, dataType);
  const group = getInt(ctx.node, "group", 1);
  const perGroup = w?.[1];
  const channels = typeof perGroup === "number" ? perGroup * group : group === 1 ? (perGroup ?? null) : null;
  const outputShape = getInts(ctx.node, "output_shape");
  const outputPadding = getInts(ctx.node, "output_padding") ?? [];
  const options = windowOptions(ctx, kernel);
  const spatial = outputShape?.slice(-kernel.length) ?? x.slice(2).map((d, axis) => transposedOutputDim(d, axis, options, outputPadding[axis] ?? 0));
  ctx.setOutput(0, dataType, [x[0] ?? null, channels, ...spatial]);
};

const pool: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  const kernel = getInts(ctx.node, "kernel_shape");
  if (!dataType) return;
  if (!x || !kernel) return ctx.setOutput(0, dataType);
  const shape = [x[0] ?? null, x[1] ?? null, ...spatialOutput(x, windowOptions(ctx, kernel))];
  ctx.setOutput(0, dataType, shape);
  ctx.setOutput(1, "int64", shape);
};

const globalPool: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (dataType) ctx.setOutput(0, dataType, x ? [x[0] ?? null, x[1] ?? null, ...x.slice(2).map(() => 1)] : undefined);
};

/** Outputs 1… are per-channel statistics (running or saved mean and variance). */
const batchNormalization: ShapeRule = (ctx) => {
  sameAsInput(ctx);
  const channels = ctx.inputShape(1);
  for (let i = 1; i < ctx.node.outputs.length; i++) {
    const dataType = ctx.inputType(i <= 2 ? i + 2 : 1) ?? ctx.inputType(1);
    if (dataType) ctx.setOutput(i, dataType, channels);
  }
};

/** Mean and InvStdDev keep the leading dims and collapse the normalized ones to 1. */
const layerNormalization: ShapeRule = (ctx) => {
  sameAsInput(ctx);
  const x = ctx.inputShape(0);
  const statsType = ctx.inputType(0);
  if (!statsType) return;
  const axis = x ? normalizeAxis(getInt(ctx.node, "axis", -1), x.length, ctx.where) : 0;
  const stats = x?.map((d, i) => (i < axis ? d : 1));
  ctx.setOutput(1, "float32", stats);
  ctx.setOutput(2, "float32", stats);
};

const gemm: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const a = ctx.inputShape(0);
  const b = ctx.inputShape(1);
  if (!dataType) return;
  if (!a || !b || a.length !== 2 || b.length !== 2) return ctx.setOutput(0, dataType);
  const rows = getInt(ctx.node, "transA", 0) ? a[1] : a[0];
  const cols = getInt(ctx.node, "transB", 0) ? b[0] : b[1];
  ctx.setOutput(0, dataType, [rows ?? null, cols ?? null]);
};

/** numpy matmul: 1-D operands are promoted to matrices, then the promoted axis is dropped. */
const matMul: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const a = ctx.inputShape(0);
  const b = ctx.inputShape(1);
  if (!dataType) return;
  if (!a || !b || a.length === 0 || b.length === 0) return ctx.setOutput(0, dataType);
  const left = a.length === 1 ? [1, ...a] : a;
  const right = b.length === 1 ? [...b, 1] : b;
  const batch = broadcastShapes([left.slice(0, -2), right.slice(0, -2)]) ?? [];
  const shape: Dim[] = [...batch];
  if (a.length > 1) shape.push(left[left.length - 2] ?? null);
  if (b.length > 1) shape.push(right[right.length - 1] ?? null);
  ctx.setOutput(0, dataType, shape);
};

/** Scores [N, C, d…], labels [N, d…]; the loss is a scalar unless reduction is "none". */
const crossEntropyLoss: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (!dataType) return;
  const reduction = getString(ctx.node, "reduction", "mean");
  ctx.setOutput(0, dataType, reduction === "none" ? ctx.inputShape(1) : []);
  ctx.setOutput(1, dataType, ctx.inputShape(0));
};

export const nnRules: Record<string, ShapeRule> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Gemm: gemm,
  MatMul: matMul,
  SoftmaxCrossEntropyLoss: crossEntropyLoss,
  NegativeLogLikelihoodLoss: (ctx) => {
    const dataType = ctx.inputType(0);
    const reduction = getString(ctx.node, "reduction", "mean");
    if (dataType) ctx.setOutput(0, dataType, reduction === "none" ? ctx.inputShape(1) : []);
  },
};
