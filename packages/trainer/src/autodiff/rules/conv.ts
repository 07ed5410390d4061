/**
 * Conv: dX is a transposed convolution of dY with the same weights; dW is a convolution of the
 * input with dY as the kernel (batch and channel axes swapped, stride and dilation swapped).
 */
import { getInt } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { depthwiseWeightGradientBySlices } from "./conv-depthwise.ts";
import { transposedWindow, windowOf, type Window } from "./window.ts";

interface ConvShapes {
  batchAndChannels: [number | string | null, number];
  inSize: number[];
  outSize: number[];
  weight: number[];
  group: number;
}

function convShapes(ctx: RuleContext): ConvShapes {
  const x = ctx.info.shape(ctx.input(0));
  const y = ctx.info.shape(ctx.output(0));
  const weight = ctx.requireStaticShape(ctx.input(1));
  const spatial = (dims: typeof x, name: string) =>
    dims.slice(2).map((d) => {
      if (typeof d !== "number") throw ctx.error(`the gradient needs static spatial dims of '${name}'`);
      return d;
    });
  const channels = x[1];
  if (typeof channels !== "number") throw ctx.error(`the gradient needs the static channel count of '${ctx.input(0)}'`);
  return { batchAndChannels: [x[0] ?? null, channels], inSize: spatial(x, ctx.input(0)), outSize: spatial(y, ctx.output(0)), weight, group: getInt(ctx.node, "group", 1) };
}

const ints = (value: number[]) => ({ kind: "ints" as const, value });

/** dW: Conv(Xᵀ, dYᵀ) with stride ↔ dilation swapped, grouped the same way, cut to the kernel size. */
export function convWeightGradient(ctx: RuleContext, shapes: ConvShapes, window: Window): string {
  const { group, inSize, outSize, weight } = shapes;
  const channels = shapes.batchAndChannels[1];
  const rank = inSize.length;
  const spatialAxes = [...Array(rank).keys()].map((i) => i + 3);
  const perGroupIn = channels / group;
  // Xᵀ[cᵢ, (g, n), …] = X[n, (g, cᵢ), …]
  const xGrouped = ctx.emit("Reshape", [ctx.input(0), ctx.int64s("X_grouped_shape", [0, group, perGroupIn, ...inSize])], "X_grouped");
  const xSwapped = ctx.emit("Transpose", [xGrouped], "X_swapped", { perm: ints([2, 1, 0, ...spatialAxes]) });
  const xT = ctx.emit("Reshape", [xSwapped, ctx.int64s("X_T_shape", [perGroupIn, -1, ...inSize])], "X_T");
  // dYᵀ[(g, cₒ), n, …] = dY[n, (g, cₒ), …]
  const dYT = ctx.emit("Transpose", [ctx.gradOut(0)], "dY_T", { perm: ints([1, 0, ...spatialAxes.map((a) => a - 1)]) });
  const reach = window.kernel.map((_, i) => {
    const span = (outSize[i]! - 1) * window.strides[i]! + 1;
    return Math.floor((inSize[i]! + window.pads[i]! + window.pads[i + rank]! - span) / window.dilations[i]!) + 1;
  });
  // dWᵀ[cᵢ, cₒ, k] = Σₙ,ₚ X[n, cᵢ, p·s + k·d − pad] · dY[n, cₒ, p]
  let dWT = ctx.emit("Conv", [xT, dYT], "dW_T", {
    strides: ints(window.dilations),
    dilations: ints(window.strides),
    pads: ints(window.pads),
    group: { kind: "int", value: group },
  });
  if (reach.some((r, i) => r !== window.kernel[i])) {
    const axes = [...Array(rank).keys()].map((i) => i + 2);
    dWT = ctx.emit("Slice", [dWT, ctx.int64s("kernel_start", axes.map(() => 0)), ctx.int64s("kernel_end", window.kernel), ctx.int64s("kernel_axes", axes)], "dW_T_cut");
  }
  // dW = transpose of dWᵀ: [cₒ, cᵢ, k]
  return ctx.emit("Transpose", [dWT], "dW", { perm: ints([1, 0, ...spatialAxes.map((a) => a - 1)]) });
}

/** Depthwise (one input channel per group, multiplier 1) may use the slice formulation. */
function weightGradient(ctx: RuleContext, shapes: ConvShapes, window: Window): string {
  const channels = shapes.batchAndChannels[1];
  const depthwise = shapes.group === channels && shapes.weight[0] === channels;
  if (depthwise && ctx.depthwiseWeightGradient === "shifted-slices") {
    return depthwiseWeightGradientBySlices(ctx, shapes.inSize, shapes.outSize, window, channels);
  }
  return convWeightGradient(ctx, shapes, window);
}

const conv: GradientRule = {
  backward: (ctx) => {
    const shapes = convShapes(ctx);
    const window = windowOf(ctx, shapes.weight.slice(2), shapes.inSize, shapes.outSize);
    // dX = ConvTranspose(dY, W), the same window run backwards
    const dX = ctx.needsGrad(0) ? transposedWindow(ctx, ctx.gradOut(0), ctx.input(1), window, shapes.outSize, shapes.inSize, shapes.group, "dX") : undefined;
    const dW = ctx.needsGrad(1) ? weightGradient(ctx, shapes, window) : undefined;
    const axes = [0, ...shapes.inSize.map((_, i) => i + 2)];
    // dB = Σ over batch and space of dY
    const dB = ctx.needsGrad(2) ? ctx.emit("ReduceSum", [ctx.gradOut(0), ctx.int64s("bias_axes", axes)], "dB", { keepdims: { kind: "int", value: 0 } }) : undefined;
    return [dX, dW, dB];
  },
};

export const convRules: Record<string, GradientRule> = { Conv: conv };
