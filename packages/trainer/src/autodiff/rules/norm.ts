/**
 * BatchNormalization. Inference mode normalizes with the running statistics (constants for the
 * gradient); training mode (training_mode=1, which ONNX Runtime CPU runs) with the batch's own
 * mean and biased variance, which the gradient must differentiate through.
 */
import { getFloat, getInt } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";

interface ChannelAxes {
  /** Axes every channel is reduced over: batch and spatial. */
  reduced: number[];
  /** Shape that lays a [C] vector along axis 1: [1, C, 1, …]. */
  channelShape: string;
}

function channelAxes(ctx: RuleContext): ChannelAxes {
  const rank = ctx.rank(ctx.input(0));
  const reduced = [0, ...[...Array(Math.max(0, rank - 2)).keys()].map((i) => i + 2)];
  return { reduced, channelShape: ctx.int64s("channel_shape", [1, -1, ...reduced.slice(1).map(() => 1)]) };
}

function perChannel(ctx: RuleContext, axes: ChannelAxes, name: string, label: string): string {
  return ctx.emit("Reshape", [name, axes.channelShape], label);
}

function sumPerChannel(ctx: RuleContext, axes: ChannelAxes, name: string, label: string, keepdims: boolean): string {
  return ctx.emit("ReduceSum", [name, ctx.int64s(`${label}_axes`, axes.reduced)], label, { keepdims: { kind: "int", value: keepdims ? 1 : 0 } });
}

/** 1 / √(var + ε), laid out per channel. */
function inverseStd(ctx: RuleContext, variance: string): string {
  const shifted = ctx.emit("Add", [variance, ctx.scalar("epsilon", getFloat(ctx.node, "epsilon", 1e-5), ctx.input(0))], "var_eps");
  return ctx.emit("Reciprocal", [ctx.emit("Sqrt", [shifted], "std")], "inv_std");
}

/** Elements per channel (N·H·W), as a scalar of X's type; computed at run time when the batch is symbolic. */
function countPerChannel(ctx: RuleContext): string {
  const x = ctx.input(0);
  const known = ctx.info.staticShape(x);
  if (known) return ctx.scalar("count", known.reduce((a, b) => a * b, 1) / known[1]!, x);
  const channels = ctx.info.shape(x)[1];
  if (typeof channels !== "number") throw ctx.error(`the gradient needs the static channel count of '${x}'`);
  const size = ctx.emit("CastLike", [ctx.emit("Size", [x], "X_size"), x], "X_size_float");
  return ctx.emit("Div", [size, ctx.scalar("channels", channels, x)], "count");
}

const batchNormalization: GradientRule = {
  nonDifferentiable: [3, 4],
  backward: (ctx) => {
    const [x, scale, dY] = [ctx.input(0), ctx.input(1), ctx.gradOut(0)];
    const axes = channelAxes(ctx);
    const training = getInt(ctx.node, "training_mode", 0) === 1;
    let mean = perChannel(ctx, axes, ctx.input(3), "running_mean");
    let variance = ctx.input(4);
    let count: string | undefined;
    if (training) {
      count = countPerChannel(ctx);
      // μ = Σ X / M,  σ² = Σ (X − μ)² / M   (the batch statistics the forward used)
      mean = ctx.emit("Div", [sumPerChannel(ctx, axes, x, "sum_X", true), count], "batch_mean");
      const centered = ctx.emit("Sub", [x, mean], "X_centered_for_var");
      const squares = sumPerChannel(ctx, axes, ctx.emit("Mul", [centered, centered], "X_centered_squared"), "sum_squares", false);
      variance = ctx.emit("Div", [squares, count], "batch_var");
    }
    const invStd = perChannel(ctx, axes, inverseStd(ctx, variance), "inv_std_channel");
    // x̂ = (X − μ) / √(σ² + ε)
    const normalized = ctx.emit("Mul", [ctx.emit("Sub", [x, mean], "X_centered"), invStd], "X_hat");
    const needScaleGrad = ctx.needsGrad(1) || (training && ctx.needsGrad(0));
    const needBiasGrad = ctx.needsGrad(2) || (training && ctx.needsGrad(0));
    // dγ = Σ dY ⊙ x̂
    const dScale = needScaleGrad ? sumPerChannel(ctx, axes, ctx.emit("Mul", [dY, normalized], "dY_X_hat"), "dScale", false) : undefined;
    // dβ = Σ dY
    const dBias = needBiasGrad ? sumPerChannel(ctx, axes, dY, "dB", false) : undefined;
    let dX: string | undefined;
    if (ctx.needsGrad(0)) {
      const gain = ctx.emit("Mul", [perChannel(ctx, axes, scale, "scale_channel"), invStd], "gain");
      if (!training) {
        // dX = γ / √(var + ε) ⊙ dY
        dX = ctx.emit("Mul", [dY, gain], "dX");
      } else {
        const meanBias = ctx.emit("Div", [perChannel(ctx, axes, dBias!, "dB_channel"), count!], "mean_dY");
        const meanScale = ctx.emit("Div", [perChannel(ctx, axes, dScale!, "dScale_channel"), count!], "mean_dY_X_hat");
        const projected = ctx.emit("Sub", [ctx.emit("Sub", [dY, meanBias], "dY_centered"), ctx.emit("Mul", [normalized, meanScale], "X_hat_mean_dY_X_hat")], "dY_projected");
        // dX = γ/σ ⊙ (dY − mean(dY) − x̂ ⊙ mean(dY ⊙ x̂))
        dX = ctx.emit("Mul", [projected, gain], "dX");
      }
    }
    return [dX, ctx.needsGrad(1) ? dScale : undefined, ctx.needsGrad(2) ? dBias : undefined];
  },
};

export const normRules: Record<string, GradientRule> = { BatchNormalization: batchNormalization };
