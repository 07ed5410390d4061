/**
 * Resize (nearest and linear, as a U-Net decoder upsamples). Along each resized axis the op is
 * a fixed linear map Y = A·X: nearest picks one input cell per output cell, linear mixes two
 * with weights 1 − f and f. A depends only on the sizes and the attributes, so it is computed
 * here, in float32 as ONNX Runtime computes the coordinates, and the gradient is dX = Aᵀ·dY:
 * a MatMul on the last axis (dY·A_w), then on the one before it (A_hᵀ·…). Cubic interpolation,
 * antialiasing, the axes attribute and tf_crop_and_resize are refused.
 */
import { getInt, getString } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";

export interface ResizeAxis {
  inSize: number;
  outSize: number;
  /** The scale the op uses for coordinates: the scales input, else outSize / inSize. */
  scale: number;
}

export interface ResizeMode {
  mode: "nearest" | "linear";
  coordinates: "half_pixel" | "pytorch_half_pixel" | "align_corners" | "asymmetric";
  nearest: "round_prefer_floor" | "round_prefer_ceil" | "floor" | "ceil";
}

const f = Math.fround;

/** The input coordinate of output cell `o` (ONNX's coordinate_transformation_mode), in float32. */
function sourceCoordinate(o: number, axis: ResizeAxis, coordinates: ResizeMode["coordinates"]): number {
  const scale = f(axis.scale);
  switch (coordinates) {
    case "half_pixel":
      return f(f(f(o + 0.5) / scale) - 0.5);
    case "pytorch_half_pixel":
      return axis.outSize > 1 ? f(f(f(o + 0.5) / scale) - 0.5) : 0;
    case "align_corners":
      return axis.outSize === 1 ? 0 : f(f(o * (axis.inSize - 1)) / (axis.outSize - 1));
    case "asymmetric":
      return f(o / scale);
  }
}

function roundNearest(x: number, mode: ResizeMode["nearest"]): number {
  switch (mode) {
    case "round_prefer_floor":
      return x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
    case "round_prefer_ceil":
      return x === Math.floor(x) + 0.5 ? Math.ceil(x) : Math.round(x);
    case "floor":
      return Math.floor(x);
    case "ceil":
      return Math.ceil(x);
  }
}

/** A as [outSize, inSize], row-major: Y[o] = Σᵢ A[o, i]·X[i] along the axis. */
export function resizeMatrix(axis: ResizeAxis, mode: ResizeMode): Float64Array {
  const { inSize, outSize } = axis;
  const matrix = new Float64Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const x = sourceCoordinate(o, axis, mode.coordinates);
    if (mode.mode === "nearest") {
      const i = Math.min(inSize - 1, Math.max(0, roundNearest(x, mode.nearest)));
      matrix[o * inSize + i] = 1;
      continue;
    }
    const clamped = Math.min(inSize - 1, Math.max(0, x));
    const low = Math.floor(clamped);
    const high = Math.min(low + 1, inSize - 1);
    const fraction = f(clamped - low);
    matrix[o * inSize + low]! += 1 - fraction;
    matrix[o * inSize + high]! += fraction;
  }
  return matrix;
}

function readMode(ctx: RuleContext): ResizeMode {
  const mode = getString(ctx.node, "mode", "nearest");
  if (mode !== "nearest" && mode !== "linear") throw ctx.error(`the gradient covers modes nearest and linear, not '${mode}'`);
  const coordinates = getString(ctx.node, "coordinate_transformation_mode", "half_pixel");
  const allowed = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"];
  if (!allowed.includes(coordinates)) throw ctx.error(`the gradient covers coordinate_transformation_mode ${allowed.join(", ")}, not '${coordinates}'`);
  const nearest = getString(ctx.node, "nearest_mode", "round_prefer_floor");
  if (!["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].includes(nearest)) throw ctx.error(`unknown nearest_mode '${nearest}'`);
  if (getInt(ctx.node, "antialias", 0) !== 0) throw ctx.error("the gradient does not cover antialias");
  if (ctx.node.attributes.axes !== undefined) throw ctx.error("the gradient does not cover the axes attribute; give scales or sizes for every axis");
  if (getString(ctx.node, "keep_aspect_ratio_policy", "stretch") !== "stretch") throw ctx.error("the gradient covers keep_aspect_ratio_policy 'stretch' only");
  return { mode, coordinates, nearest } as ResizeMode;
}

/** Per axis: sizes (static on the axes that change) and the scale the op uses. */
function readAxes(ctx: RuleContext): ResizeAxis[] {
  const x = ctx.info.shape(ctx.input(0));
  const y = ctx.info.shape(ctx.output(0));
  const scales = ctx.hasInput(2) ? ctx.info.constantNumbers(ctx.input(2)) : undefined;
  if (ctx.hasInput(2) && scales === undefined) throw ctx.error(`the gradient needs constant scales ('${ctx.input(2)}' is computed)`);
  const useScales = scales !== undefined && scales.length > 0;
  return x.map((inDim, axis) => {
    const outDim = y[axis];
    if (inDim === outDim && (!useScales || scales[axis] === 1)) return { inSize: 0, outSize: 0, scale: 1 };
    if (typeof inDim !== "number" || typeof outDim !== "number") throw ctx.error(`the gradient needs static sizes of the resized axis ${axis}`);
    return { inSize: inDim, outSize: outDim, scale: useScales ? scales[axis]! : outDim / inDim };
  });
}

const resize: GradientRule = {
  nonDifferentiable: [1, 2, 3],
  backward: (ctx) => {
    const x = ctx.input(0);
    const mode = readMode(ctx);
    const axes = readAxes(ctx);
    const rank = axes.length;
    const resized = axes.map((a, i) => (a.inSize === 0 ? -1 : i)).filter((i) => i >= 0);
    if (resized.some((axis) => axis < rank - 2)) throw ctx.error(`the gradient covers resizing the last two axes only, got axes ${resized.join(", ")}`);
    const dataType = ctx.info.dataType(x);
    if (dataType !== "float32" && dataType !== "float64") throw ctx.error(`the gradient needs float32 or float64, got ${dataType}`);
    const tensor = (label: string, dims: number[], values: Float64Array) =>
      ctx.addInitializer(label, { dataType, dims, data: dataType === "float64" ? values : Float32Array.from(values) });
    let gradient = ctx.gradOut(0);
    const last = axes[rank - 1]!;
    if (last.inSize !== 0) {
      // dX along the last axis: dY[…, out] · A [out, in]
      gradient = ctx.emit("MatMul", [gradient, tensor("A_last", [last.outSize, last.inSize], resizeMatrix(last, mode))], "dX_last");
    }
    const before = axes[rank - 2];
    if (before && before.inSize !== 0) {
      const a = resizeMatrix(before, mode);
      const transposed = new Float64Array(a.length);
      for (let o = 0; o < before.outSize; o++) for (let i = 0; i < before.inSize; i++) transposed[i * before.outSize + o] = a[o * before.inSize + i]!;
      // Aᵀ [in, out] · dY[…, out, W]
      gradient = ctx.emit("MatMul", [tensor("A_before_transposed", [before.inSize, before.outSize], transposed), gradient], "dX_before");
    }
    return [resized.length === 0 ? ctx.emit("Identity", [gradient], "dX") : gradient];
  },
};

export const resizeRules: Record<string, GradientRule> = { Resize: resize };
