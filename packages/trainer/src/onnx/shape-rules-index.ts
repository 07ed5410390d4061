/**
 * Shape rules for ops that select, combine or resize: Concat, Slice, Split, Gather,
 * GatherElements, ScatterElements, Pad, Resize, reductions and ArgMax/ArgMin.
 */
import { getInt, getInts, type Dim } from "./ir.ts";
import { normalizeAxis, sumOfDims } from "./dims.ts";
import type { ShapeContext, ShapeRule } from "./shape-context.ts";
import { axesOf } from "./shape-rules-layout.ts";
import { sameAsInput } from "./shape-rules-elementwise.ts";

const concat: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (!dataType) return;
  const count = ctx.node.inputs.length;
  const shapes = ctx.node.inputs.map((_, i) => ctx.inputShape(i));
  const first = shapes.find((s) => s !== undefined);
  if (!first || shapes.some((s) => s === undefined))
    return ctx.setOutput(
      0,
      dataType,
      first?.map(() => null),
    );
  const known = shapes as Dim[][];
  const axis = normalizeAxis(getInt(ctx.node, "axis", 0), first.length, ctx.where);
  ctx.setOutput(
    0,
    dataType,
    first.map((d, i) => (i === axis ? sumOfDims(known.map((s) => s[i] ?? null)) : (known.find((s) => typeof s[i] === "number")?.[i] ?? d))),
  );
  const values = Array.from({ length: count }, (_, i) => ctx.inputValues(i));
  if (values.every((v) => v !== undefined)) ctx.setOutputValues(0, values.flat());
};

/** Element count and first index of one sliced axis, with ONNX's clamping of start and end. */
function sliceRange(size: number, start: number, end: number, step: number): { first: number; count: number } {
  const from = start < 0 ? start + size : start;
  const to = end < 0 ? end + size : end;
  if (step > 0) {
    const first = Math.min(Math.max(from, 0), size);
    const last = Math.min(Math.max(to, 0), size);
    return { first, count: Math.max(0, Math.ceil((last - first) / step)) };
  }
  const first = Math.min(Math.max(from, 0), size - 1);
  const last = Math.min(Math.max(to, -1), size - 1);
  return { first, count: Math.max(0, Math.ceil((first - last) / -step)) };
}

function sliceDim(dim: Dim, start: number, end: number, step: number): Dim {
  if (typeof dim === "number") return sliceRange(dim, start, end, step).count;
  // The whole axis of an unknown size: [0, INT_MAX) with step 1 keeps it.
  return start === 0 && step === 1 && end >= 2 ** 31 - 1 ? dim : null;
}

interface SliceSpec {
  starts: number[];
  ends: number[];
  axes: number[];
  steps: number[];
}

function sliceSpec(ctx: ShapeContext, rank: number): SliceSpec | undefined {
  const fromInput = ctx.opset >= 10;
  const ints = (input: number, attribute: string): number[] | undefined =>
    fromInput ? (ctx.inputInts(input) ?? ctx.inputConstant(input)) : getInts(ctx.node, attribute);
  const starts = ints(1, "starts");
  const ends = ints(2, "ends");
  if (!starts || !ends) return undefined;
  const axes = (fromInput && !ctx.hasInput(3) ? undefined : ints(3, "axes")) ?? starts.map((_, i) => i);
  const steps = (fromInput && ctx.hasInput(4) ? ints(4, "steps") : undefined) ?? starts.map(() => 1);
  if (fromInput && ctx.hasInput(3) && !ctx.inputInts(3) && !ctx.inputConstant(3)) return undefined;
  return { starts, ends, axes: axes.map((a) => normalizeAxis(a, rank, ctx.where)), steps };
}

const slice: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  if (!x) return ctx.setOutput(0, dataType);
  const spec = sliceSpec(ctx, x.length);
  if (!spec)
    return ctx.setOutput(
      0,
      dataType,
      x.map(() => null),
    );
  const shape = [...x];
  spec.axes.forEach((axis, i) => {
    shape[axis] = sliceDim(x[axis] ?? null, spec.starts[i] ?? 0, spec.ends[i] ?? 0, spec.steps[i] ?? 1);
  });
  ctx.setOutput(0, dataType, shape);
  const values = ctx.inputValues(0);
  if (values && x.length === 1 && spec.axes[0] === 0) {
    const step = spec.steps[0] ?? 1;
    const { first, count } = sliceRange(values.length, spec.starts[0] ?? 0, spec.ends[0] ?? 0, step);
    ctx.setOutputValues(
      0,
      Array.from({ length: count }, (_, i) => values[first + i * step] ?? null),
    );
  }
};

/** Split sizes: the `split` input (opset 13+) or attribute, else equal chunks (the last smaller). */
const split: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  const outputs = ctx.node.outputs.length;
  if (!x) return ctx.node.outputs.forEach((_, i) => ctx.setOutput(i, dataType));
  const axis = normalizeAxis(getInt(ctx.node, "axis", 0), x.length, ctx.where);
  const dim = x[axis] ?? null;
  const sizes = ctx.hasInput(1) ? ctx.inputInts(1) : getInts(ctx.node, "split");
  const chunk = typeof dim === "number" ? Math.ceil(dim / outputs) : null;
  for (let i = 0; i < outputs; i++) {
    const size = sizes ? (sizes[i] ?? null) : chunk === null ? null : Math.min(chunk, (dim as number) - i * chunk);
    ctx.setOutput(
      i,
      dataType,
      x.map((d, j) => (j === axis ? size : d)),
    );
  }
};

const gather: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const data = ctx.inputShape(0);
  const indices = ctx.inputShape(1);
  if (!dataType) return;
  if (!data || !indices) return ctx.setOutput(0, dataType);
  const axis = normalizeAxis(getInt(ctx.node, "axis", 0), data.length, ctx.where);
  ctx.setOutput(0, dataType, [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)]);
  const values = ctx.inputValues(0);
  const picks = ctx.inputInts(1);
  if (values && picks && data.length === 1) {
    ctx.setOutputValues(
      0,
      picks.map((p) => values[p < 0 ? p + values.length : p] ?? null),
    );
  }
};

const gatherElements: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (dataType) ctx.setOutput(0, dataType, ctx.inputShape(1));
};

/** Pads from input 1 (opset 11+) or the `pads` attribute: [begin…, end…] per padded axis. */
const pad: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  if (!x) return ctx.setOutput(0, dataType);
  const pads = ctx.opset >= 11 ? ctx.inputInts(1) : getInts(ctx.node, "pads");
  if (!pads)
    return ctx.setOutput(
      0,
      dataType,
      x.map(() => null),
    );
  const axes = ctx.hasInput(3) ? ctx.inputInts(3)?.map((a) => normalizeAxis(a, x.length, ctx.where)) : x.map((_, i) => i);
  if (!axes)
    return ctx.setOutput(
      0,
      dataType,
      x.map(() => null),
    );
  const shape = [...x];
  axes.forEach((axis, i) => {
    const total = (pads[i] ?? 0) + (pads[i + axes.length] ?? 0);
    const d = x[axis] ?? null;
    shape[axis] = total === 0 ? d : typeof d === "number" ? d + total : null;
  });
  ctx.setOutput(0, dataType, shape);
};

/** Resize (opset 11+: X, roi, scales, sizes; opset 10 and Upsample: X, scales). */
const resize: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  if (!x) return ctx.setOutput(0, dataType);
  const legacy = ctx.node.opType === "Upsample" || ctx.opset < 11;
  const sizes = legacy ? undefined : ctx.inputInts(3);
  const scales = ctx.inputConstant(legacy ? 1 : 2);
  const axes = getInts(ctx.node, "axes")?.map((a) => normalizeAxis(a, x.length, ctx.where)) ?? x.map((_, i) => i);
  const shape: Dim[] = [...x];
  axes.forEach((axis, i) => {
    const d = x[axis] ?? null;
    const size = sizes?.[i];
    const scale = sizes && sizes.length > 0 ? undefined : scales?.[i];
    if (size !== undefined) shape[axis] = size;
    else if (scale === 1) shape[axis] = d;
    else shape[axis] = scale !== undefined && typeof d === "number" ? Math.floor(d * scale) : null;
  });
  ctx.setOutput(0, dataType, shape);
};

/** Reductions keep the reduced axes as 1 with keepdims, else drop them; no axes reduces all. */
function reducedShape(ctx: ShapeContext, x: Dim[], axes: number[] | undefined, keepDims: boolean): Dim[] | undefined {
  if (!axes || axes.length === 0) {
    if (axes && getInt(ctx.node, "noop_with_empty_axes", 0) === 1) return x;
    return keepDims ? x.map(() => 1) : [];
  }
  const reduced = new Set(axes.map((a) => normalizeAxis(a, x.length, ctx.where)));
  return keepDims ? x.map((d, i) => (reduced.has(i) ? 1 : d)) : x.filter((_, i) => !reduced.has(i));
}

const reduce: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  const axes = axesOf(ctx, 1);
  const keepDims = getInt(ctx.node, "keepdims", 1) === 1;
  if (!x || axes === "unknown") return ctx.setOutput(0, dataType, x && keepDims ? x.map(() => null) : undefined);
  ctx.setOutput(0, dataType, reducedShape(ctx, x, axes ?? (ctx.hasInput(1) ? undefined : []), keepDims));
};

const argReduce: ShapeRule = (ctx) => {
  const x = ctx.inputShape(0);
  if (!x) return ctx.setOutput(0, "int64");
  const keepDims = getInt(ctx.node, "keepdims", 1) === 1;
  ctx.setOutput(0, "int64", reducedShape(ctx, x, [getInt(ctx.node, "axis", 0)], keepDims));
};

const REDUCE_OPS = [
  "ReduceMean",
  "ReduceSum",
  "ReduceMax",
  "ReduceMin",
  "ReduceProd",
  "ReduceL1",
  "ReduceL2",
  "ReduceLogSum",
  "ReduceLogSumExp",
  "ReduceSumSquare",
];

export const indexRules: Record<string, ShapeRule> = {
  Concat: concat,
  Slice: slice,
  Split: split,
  Gather: gather,
  GatherElements: gatherElements,
  ScatterElements: sameAsInput,
  Scatter: sameAsInput,
  ScatterND: sameAsInput,
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  ArgMax: argReduce,
  ArgMin: argReduce,
  ...Object.fromEntries(REDUCE_OPS.map((op) => [op, reduce])),
};
