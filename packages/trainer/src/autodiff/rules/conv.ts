/**
 * Conv: dX is a transposed convolution of dY with the same weights (for stride 1 on large maps,
 * a plain convolution with the kernel flipped and its channel axes swapped, which ONNX Runtime
 * runs faster); dW of one-group convs is GEMMs over shifted slices of the input (conv-dense.ts),
 * otherwise a convolution of the input with dY as the kernel (batch and channel axes swapped,
 * stride and dilation swapped).
 */
import { getInt } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { denseWeightGradientBySlices, slicesPay } from "./conv-dense.ts";
import { depthwiseWeightGradientBySlices, depthwiseWeightGradientNchwc } from "./conv-depthwise.ts";
import { transposedWindow, weightGradientReach, windowOf, type Window } from "./window.ts";

export interface ConvShapes {
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
  return {
    batchAndChannels: [x[0] ?? null, channels],
    inSize: spatial(x, ctx.input(0)),
    outSize: spatial(y, ctx.output(0)),
    weight,
    group: getInt(ctx.node, "group", 1),
  };
}

const ints = (value: number[]) => ({ kind: "ints" as const, value });

/**
 * dW: Conv(Xᵀ, dYᵀ) with stride ↔ dilation swapped, grouped the same way, cut to the kernel size.
 * X and dY default to the node's input and output gradient (ConvTranspose passes its own).
 */
export function convWeightGradient(ctx: RuleContext, shapes: ConvShapes, window: Window, x = ctx.input(0), dY = ctx.gradOut(0)): string {
  const { group, inSize, outSize } = shapes;
  const channels = shapes.batchAndChannels[1];
  const rank = inSize.length;
  const spatialAxes = [...Array(rank).keys()].map((i) => i + 3);
  const perGroupIn = channels / group;
  // Xᵀ[cᵢ, (g, n), …] = X[n, (g, cᵢ), …]
  const xGrouped = ctx.emit("Reshape", [x, ctx.int64s("X_grouped_shape", [0, group, perGroupIn, ...inSize])], "X_grouped");
  const xSwapped = ctx.emit("Transpose", [xGrouped], "X_swapped", { perm: ints([2, 1, 0, ...spatialAxes]) });
  const xT = ctx.emit("Reshape", [xSwapped, ctx.int64s("X_T_shape", [perGroupIn, -1, ...inSize])], "X_T");
  // dYᵀ[(g, cₒ), n, …] = dY[n, (g, cₒ), …]
  const dYT = ctx.emit("Transpose", [dY], "dY_T", { perm: ints([1, 0, ...spatialAxes.map((a) => a - 1)]) });
  const reach = weightGradientReach(window, inSize, outSize);
  // dWᵀ[cᵢ, cₒ, k] = Σₙ,ₚ X[n, cᵢ, p·s + k·d − pad] · dY[n, cₒ, p]
  let dWT = ctx.emit("Conv", [xT, dYT], "dW_T", {
    strides: ints(window.dilations),
    dilations: ints(window.strides),
    pads: ints(window.pads),
    group: { kind: "int", value: group },
  });
  if (reach.some((r, i) => r !== window.kernel[i])) {
    const axes = [...Array(rank).keys()].map((i) => i + 2);
    dWT = ctx.emit(
      "Slice",
      [
        dWT,
        ctx.int64s(
          "kernel_start",
          axes.map(() => 0),
        ),
        ctx.int64s("kernel_end", window.kernel),
        ctx.int64s("kernel_axes", axes),
      ],
      "dW_T_cut",
    );
  }
  // dW = transpose of dWᵀ: [cₒ, cᵢ, k]
  return ctx.emit("Transpose", [dWT], "dW", { perm: ints([1, 0, ...spatialAxes.map((a) => a - 1)]) });
}

// Measured on dX alone (ORT 1.30 CPU, 2 threads, batch 16, 3×3): Conv with the flipped kernel took
// 0.4–0.9× ConvTranspose's time on 28² to 112² maps, dense and depthwise, and 1.3–1.5× on 7²–14².
const FLIPPED_CONV_MIN_AREA = 28 * 28;

/** Wᶠ[(g, cᵢ), cₒ, k] = W[(g, cₒ), cᵢ, K − 1 − k]: the kernel that runs a stride-1 Conv backwards. */
function flippedKernel(ctx: RuleContext, shapes: ConvShapes): string {
  const { group, weight } = shapes;
  const [outChannels, perGroupIn, ...kernel] = weight as [number, number, ...number[]];
  const rank = kernel.length;
  const spatial = [...Array(rank).keys()].map((i) => i + 3);
  const grouped = ctx.emit("Reshape", [ctx.input(1), ctx.int64s("W_grouped_shape", [group, outChannels / group, perGroupIn, ...kernel])], "W_grouped");
  const swapped = ctx.emit("Transpose", [grouped], "W_swapped", { perm: ints([0, 2, 1, ...spatial]) });
  const byInput = ctx.emit("Reshape", [swapped, ctx.int64s("W_by_input_shape", [group * perGroupIn, outChannels / group, ...kernel])], "W_by_input");
  const axes = kernel.map((_, i) => i + 2);
  const ends = kernel.map(() => Number.MIN_SAFE_INTEGER);
  return ctx.emit(
    "Slice",
    [
      byInput,
      ctx.int64s(
        "flip_start",
        kernel.map(() => -1),
      ),
      ctx.int64s("flip_end", ends),
      ctx.int64s("flip_axes", axes),
      ctx.int64s(
        "flip_steps",
        kernel.map(() => -1),
      ),
    ],
    "W_flipped",
  );
}

/** dX: Conv(dY, Wᶠ) with pads d(K − 1) − p where that is the same arithmetic and faster, else ConvTranspose. */
function dataGradient(ctx: RuleContext, shapes: ConvShapes, window: Window): string {
  const rank = window.kernel.length;
  const pads = window.pads.map((p, i) => window.dilations[i % rank]! * (window.kernel[i % rank]! - 1) - p);
  const area = shapes.inSize.reduce((a, b) => a * b, 1);
  // a depthwise Conv that will run on ORT's NCHWc kernels (training/nchwc-depthwise.ts) beats ConvTranspose at every size
  const nchwcDepthwise = ctx.depthwiseWeightGradient === "nchwc" && shapes.group === shapes.batchAndChannels[1] && shapes.weight[0] === shapes.group;
  if (window.strides.some((s) => s !== 1) || pads.some((p) => p < 0) || (area < FLIPPED_CONV_MIN_AREA && !nchwcDepthwise)) {
    // dX = ConvTranspose(dY, W), the same window run backwards
    return transposedWindow(ctx, ctx.gradOut(0), ctx.input(1), window, shapes.outSize, shapes.inSize, shapes.group, "dX");
  }
  // dX[cᵢ, i] = Σ_{cₒ, k} dY[cₒ, i + k·d − (d(K − 1) − p)] · W[cₒ, cᵢ, K − 1 − k]
  return ctx.emit("Conv", [ctx.gradOut(0), flippedKernel(ctx, shapes)], "dX", {
    pads: ints(pads),
    dilations: ints(window.dilations),
    group: { kind: "int", value: shapes.group },
  });
}

/** One group: GEMMs over shifted slices where they pay; depthwise may use the slice formulation. */
function weightGradient(ctx: RuleContext, shapes: ConvShapes, window: Window): string {
  const channels = shapes.batchAndChannels[1];
  const depthwise = shapes.group === channels && shapes.weight[0] === channels;
  if (depthwise && ctx.depthwiseWeightGradient === "shifted-slices") {
    return depthwiseWeightGradientBySlices(ctx, shapes.inSize, shapes.outSize, window, channels);
  }
  const batch = shapes.batchAndChannels[0];
  if (
    depthwise &&
    ctx.depthwiseWeightGradient === "nchwc" &&
    shapes.inSize.length === 2 &&
    typeof batch === "number" &&
    (batch * channels) % ctx.nchwcBlockSize === 0
  ) {
    return depthwiseWeightGradientNchwc(ctx, batch, shapes.inSize, shapes.outSize, window, channels);
  }
  if (shapes.group === 1 && slicesPay(shapes.weight)) {
    const batch = shapes.batchAndChannels[0];
    return denseWeightGradientBySlices(ctx, typeof batch === "number" ? batch : 32, shapes.outSize, shapes.weight, window);
  }
  return convWeightGradient(ctx, shapes, window);
}

const conv: GradientRule = {
  backward: (ctx) => {
    const shapes = convShapes(ctx);
    const window = windowOf(ctx, shapes.weight.slice(2), shapes.inSize, shapes.outSize);
    const dX = ctx.needsGrad(0) ? dataGradient(ctx, shapes, window) : undefined;
    const dW = ctx.needsGrad(1) ? weightGradient(ctx, shapes, window) : undefined;
    const axes = [0, ...shapes.inSize.map((_, i) => i + 2)];
    // dB = Σ over batch and space of dY
    const dB = ctx.needsGrad(2)
      ? ctx.emit("ReduceSum", [ctx.gradOut(0), ctx.int64s("bias_axes", axes)], "dB", { keepdims: { kind: "int", value: 0 } })
      : undefined;
    return [dX, dW, dB];
  },
};

export const convRules: Record<string, GradientRule> = { Conv: conv };
