/**
 * Shape rules for ops that rearrange or create tensors: Reshape, Flatten, Transpose, Squeeze,
 * Unsqueeze, Expand, Tile, Shape, Size, Constant, ConstantOfShape, Range, DepthToSpace,
 * SpaceToDepth.
 */
import { getInt, getInts, type Dim, type Node, type Tensor } from "./ir.ts";
import { broadcastShapes, normalizeAxis, productOfDims } from "./dims.ts";
import type { ShapeContext, ShapeRule } from "./shape-context.ts";

/** The size a Reshape -1 stands for: input elements ÷ the other target dims, symbols cancelling. */
function inferredDim(input: readonly Dim[] | undefined, others: readonly Dim[]): Dim {
  if (!input || input.includes(null) || others.includes(null)) return null;
  const symbols = input.filter((d): d is string => typeof d === "string");
  let quotient = input.reduce<number>((p, d) => (typeof d === "number" ? p * d : p), 1);
  for (const d of others) {
    if (typeof d === "number") quotient /= d;
    else {
      const at = symbols.indexOf(d as string);
      if (at < 0) return null;
      symbols.splice(at, 1);
    }
  }
  if (!Number.isInteger(quotient)) return null;
  if (symbols.length === 0) return quotient;
  return symbols.length === 1 && quotient === 1 ? (symbols[0] ?? null) : null;
}

export function reshapeTarget(input: readonly Dim[] | undefined, target: readonly Dim[], allowZero: boolean): Dim[] {
  const copied = target.map((t, i) => (t === 0 && !allowZero ? (input?.[i] ?? null) : t));
  const wildcard = copied.indexOf(-1);
  if (wildcard < 0) return copied;
  copied[wildcard] = inferredDim(
    input,
    copied.filter((_, i) => i !== wildcard),
  );
  return copied;
}

const reshape: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (!dataType) return;
  const target = ctx.inputValues(1);
  const targetShape = ctx.inputShape(1);
  const allowZero = getInt(ctx.node, "allowzero", 0) === 1;
  if (target) ctx.setOutput(0, dataType, reshapeTarget(ctx.inputShape(0), target, allowZero));
  else if (typeof targetShape?.[0] === "number") ctx.setOutput(0, dataType, new Array<Dim>(targetShape[0]).fill(null));
  else ctx.setOutput(0, dataType);
  passValues(ctx);
};

function passValues(ctx: ShapeContext): void {
  const values = ctx.inputValues(0);
  if (values) ctx.setOutputValues(0, values);
}

const flatten: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  if (!x) return ctx.setOutput(0, dataType, [null, null]);
  const rawAxis = getInt(ctx.node, "axis", 1);
  const axis = rawAxis < 0 ? rawAxis + x.length : rawAxis;
  if (axis < 0 || axis > x.length) throw new Error(`${ctx.where}: axis ${rawAxis} is out of range for rank ${x.length}`);
  ctx.setOutput(0, dataType, [productOfDims(x.slice(0, axis)), productOfDims(x.slice(axis))]);
};

const transpose: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  if (!x) return ctx.setOutput(0, dataType);
  const perm = getInts(ctx.node, "perm") ?? x.map((_, i) => x.length - 1 - i);
  ctx.setOutput(
    0,
    dataType,
    perm.map((p) => x[p] ?? null),
  );
};

/** Axes come from input 1 from opset 13 on, from the `axes` attribute before. */
export function axesOf(ctx: ShapeContext, inputIndex: number): number[] | undefined | "unknown" {
  if (ctx.hasInput(inputIndex)) return ctx.inputInts(inputIndex) ?? ctx.inputConstant(inputIndex) ?? "unknown";
  return getInts(ctx.node, "axes");
}

const squeeze: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  const axes = axesOf(ctx, 1);
  if (!x || axes === "unknown") return ctx.setOutput(0, dataType);
  if (axes === undefined || axes.length === 0) {
    // Without axes every size-1 dim goes; unknown dims make the rank unknown.
    if (x.some((d) => typeof d !== "number")) return ctx.setOutput(0, dataType);
    ctx.setOutput(
      0,
      dataType,
      x.filter((d) => d !== 1),
    );
  } else {
    const drop = new Set(axes.map((a) => normalizeAxis(a, x.length, ctx.where)));
    ctx.setOutput(
      0,
      dataType,
      x.filter((_, i) => !drop.has(i)),
    );
  }
  passValues(ctx);
};

const unsqueeze: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  if (!dataType) return;
  const axes = axesOf(ctx, 1);
  if (!x || axes === "unknown" || axes === undefined) return ctx.setOutput(0, dataType);
  const rank = x.length + axes.length;
  const inserted = new Set(axes.map((a) => normalizeAxis(a, rank, ctx.where)));
  const rest = [...x];
  ctx.setOutput(
    0,
    dataType,
    Array.from({ length: rank }, (_, i) => (inserted.has(i) ? 1 : (rest.shift() ?? null))),
  );
  passValues(ctx);
};

const expand: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (!dataType) return;
  const target = ctx.inputValues(1);
  const targetLength = ctx.inputShape(1)?.[0];
  const targetShape = target ?? (typeof targetLength === "number" ? new Array<Dim>(targetLength).fill(null) : undefined);
  ctx.setOutput(0, dataType, targetShape ? broadcastShapes([ctx.inputShape(0), targetShape]) : undefined);
};

const tile: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  const x = ctx.inputShape(0);
  const repeats = ctx.inputInts(1);
  if (!dataType) return;
  if (!x) return ctx.setOutput(0, dataType);
  ctx.setOutput(
    0,
    dataType,
    x.map((d, i) => {
      const times = repeats?.[i];
      if (times === undefined) return null;
      if (times === 1) return d;
      return typeof d === "number" ? d * times : null;
    }),
  );
};

/** The dims a Shape node returns for an input of this shape (start and end clamped). */
export function shapeOpDims<T extends Dim>(node: Node, x: readonly T[]): T[] {
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + x.length : v, 0), x.length);
  const start = clamp(getInt(node, "start", 0));
  const end = clamp(getInt(node, "end", x.length));
  return x.slice(start, Math.max(start, end));
}

/** Shape (start/end from opset 15): its values are the input's dims, symbolic ones included. */
const shape: ShapeRule = (ctx) => {
  const x = ctx.inputShape(0);
  if (!x) return ctx.setOutput(0, "int64", [null]);
  const dims = shapeOpDims(ctx.node, x);
  ctx.setOutput(0, "int64", [dims.length]);
  ctx.setOutputValues(0, dims);
};

const size: ShapeRule = (ctx) => {
  ctx.setOutput(0, "int64", []);
  const x = ctx.inputShape(0);
  if (x) ctx.setOutputValues(0, [productOfDims(x)]);
};

/** The tensor a Constant node holds, from whichever value_* attribute it uses. */
export function constantValue(node: Node): Tensor | undefined {
  const attributes = node.attributes;
  const value = attributes.value;
  if (value?.kind === "tensor") return value.value;
  const single = attributes.value_float ?? attributes.value_int;
  if (single?.kind === "float") return { dataType: "float32", dims: [], data: Float32Array.of(single.value) };
  if (single?.kind === "int") return { dataType: "int64", dims: [], data: BigInt64Array.of(BigInt(single.value)) };
  const list = attributes.value_floats ?? attributes.value_ints;
  if (list?.kind === "floats") return { dataType: "float32", dims: [list.value.length], data: Float32Array.from(list.value) };
  if (list?.kind === "ints") return { dataType: "int64", dims: [list.value.length], data: BigInt64Array.from(list.value, BigInt) };
  return undefined;
}

const constant: ShapeRule = (ctx) => {
  const tensor = constantValue(ctx.node);
  if (tensor) ctx.setOutputConstant(0, tensor);
};

const constantOfShape: ShapeRule = (ctx) => {
  const value = ctx.node.attributes.value;
  const dataType = value?.kind === "tensor" ? value.value.dataType : "float32";
  const target = ctx.inputValues(0);
  const length = ctx.inputShape(0)?.[0];
  if (target) ctx.setOutput(0, dataType, target);
  else ctx.setOutput(0, dataType, typeof length === "number" ? new Array<Dim>(length).fill(null) : undefined);
};

/** Range: max(⌈(limit − start) / delta⌉, 0) elements. */
const range: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (!dataType) return;
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.inputInts(i)?.[0] ?? ctx.inputConstant(i)?.[0]);
  const known = start !== undefined && limit !== undefined && delta !== undefined && delta !== 0;
  ctx.setOutput(0, dataType, [known ? Math.max(Math.ceil((limit - start) / delta), 0) : null]);
};

/** d · multiply / divide for a fixed dim; a symbolic dim stays itself when both factors are 1, else unknown. */
function scaledDim(d: Dim | undefined, multiply: number, divide: number, where: string): Dim {
  if (d === undefined) return null;
  if (multiply === 1 && divide === 1) return d;
  if (typeof d !== "number") return null;
  if ((d * multiply) % divide !== 0) throw new Error(`${where}: dimension ${d} is not divisible by ${divide}`);
  return (d * multiply) / divide;
}

/** DepthToSpace (PixelShuffle): [N, C, H, W] → [N, C/b², H·b, W·b]; SpaceToDepth the inverse. */
function blockRearrange(toSpace: boolean): ShapeRule {
  return (ctx) => {
    const dataType = ctx.inputType(0);
    const x = ctx.inputShape(0);
    if (!dataType) return;
    if (!x) return ctx.setOutput(0, dataType);
    if (x.length !== 4) throw new Error(`${ctx.where}: input must be [N, C, H, W], got rank ${x.length}`);
    const block = getInt(ctx.node, "blocksize", 0);
    if (!Number.isInteger(block) || block < 1) throw new Error(`${ctx.where}: attribute blocksize must be a positive integer, got ${block}`);
    const [n, c, h, w] = x;
    const area = block * block;
    const shape = toSpace
      ? [n ?? null, scaledDim(c, 1, area, ctx.where), scaledDim(h, block, 1, ctx.where), scaledDim(w, block, 1, ctx.where)]
      : [n ?? null, scaledDim(c, area, 1, ctx.where), scaledDim(h, 1, block, ctx.where), scaledDim(w, 1, block, ctx.where)];
    ctx.setOutput(0, dataType, shape);
  };
}

export const layoutRules: Record<string, ShapeRule> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Expand: expand,
  Tile: tile,
  Shape: shape,
  Size: size,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
  DepthToSpace: blockRearrange(true),
  SpaceToDepth: blockRearrange(false),
};
