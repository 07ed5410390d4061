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
  /** Shape that lays a [C] vector along axis 1: [1, C, 1, …], created when first used. */
  channelShape?: string;
}

function channelAxes(ctx: RuleContext): ChannelAxes {
  const rank = ctx.rank(ctx.input(0));
  return { reduced: [0, ...[...Array(Math.max(0, rank - 2)).keys()].map((i) => i + 2)] };
}

function perChannel(ctx: RuleContext, axes: ChannelAxes, name: string, label: string): string {
  axes.channelShape ??= ctx.int64s("channel_shape", [1, -1, ...axes.reduced.slice(1).map(() => 1)]);
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

// Batch statistics are recovered from the updated running statistics only while 1 − momentum is at
// least this; the recovery multiplies rounding errors of the running values by about 1 / (1 − momentum).
const MIN_RECOVERY_WEIGHT = 0.05;

/**
 * The batch mean and biased variance the forward pass normalized with, as [C] vectors. A training
 * BatchNormalization outputs running' = m·running + (1 − m)·batch, so batch = (running' − m·running) / (1 − m):
 * no pass over X. Without those outputs (or with m near 1) they are computed from X in four passes.
 */
function batchStatistics(ctx: RuleContext, axes: ChannelAxes, count: () => string): { mean: string; variance: string } {
  const momentum = getFloat(ctx.node, "momentum", 0.9);
  const [runningMean, runningVar] = [ctx.node.outputs[1], ctx.node.outputs[2]];
  if (runningMean && runningVar && 1 - momentum >= MIN_RECOVERY_WEIGHT) {
    const x = ctx.input(0);
    const recover = (updated: string, previous: string, label: string) => {
      const kept = ctx.emit("Mul", [previous, ctx.scalar(`${label}_momentum`, momentum, x)], `${label}_kept`);
      return ctx.emit("Div", [ctx.emit("Sub", [updated, kept], `${label}_added`), ctx.scalar(`${label}_weight`, 1 - momentum, x)], label);
    };
    return { mean: recover(runningMean, ctx.input(3), "batch_mean"), variance: recover(runningVar, ctx.input(4), "batch_var") };
  }
  // μ = Σ X / M,  σ² = Σ (X − μ)² / M
  const mean = ctx.emit("Div", [sumPerChannel(ctx, axes, ctx.input(0), "sum_X", false), count()], "batch_mean");
  const centered = ctx.emit("Sub", [ctx.input(0), perChannel(ctx, axes, mean, "batch_mean_channel")], "X_centered");
  const squares = sumPerChannel(ctx, axes, ctx.emit("Mul", [centered, centered], "X_centered_squared"), "sum_squares", false);
  return { mean, variance: ctx.emit("Div", [squares, count()], "batch_var") };
}

/**
 * Training mode, in closed form over X and dY with per-channel coefficients (s = 1/√(σ² + ε), M = N·H·W):
 *   dβ = Σ dY,  dγ = Σ dY ⊙ x̂ = s·(Σ dY ⊙ X − μ·Σ dY)
 *   dX = γs·(dY − dβ/M − x̂·dγ/M) = a·dY + b·X + c,  a = γs,  b = −γs²·dγ/M,  c = −a·dβ/M − b·μ
 * Three full-tensor passes for dγ and dβ and four for dX; x̂ is never materialized.
 */
function trainingBackward(ctx: RuleContext, axes: ChannelAxes): (string | undefined)[] {
  const [x, scale, dY] = [ctx.input(0), ctx.input(1), ctx.gradOut(0)];
  let counted: string | undefined;
  const count = () => (counted ??= countPerChannel(ctx));
  const { mean, variance } = batchStatistics(ctx, axes, count);
  const invStd = inverseStd(ctx, variance);
  const sumDY = sumPerChannel(ctx, axes, dY, "dB", false);
  const needScaleGrad = ctx.needsGrad(1) || ctx.needsGrad(0);
  let dScale: string | undefined;
  if (needScaleGrad) {
    const sumDYX = sumPerChannel(ctx, axes, ctx.emit("Mul", [dY, x], "dY_X"), "sum_dY_X", false);
    dScale = ctx.emit("Mul", [ctx.emit("Sub", [sumDYX, ctx.emit("Mul", [mean, sumDY], "mean_sum_dY")], "sum_dY_X_centered"), invStd], "dScale");
  }
  let dX: string | undefined;
  if (ctx.needsGrad(0)) {
    const a = ctx.emit("Mul", [scale, invStd], "gain");
    const b = ctx.emit(
      "Neg",
      [ctx.emit("Div", [ctx.emit("Mul", [ctx.emit("Mul", [a, invStd], "gain_inv_std"), dScale!], "gain_inv_std_dScale"), count()], "X_coefficient_neg")],
      "X_coefficient",
    );
    const c = ctx.emit(
      "Neg",
      [
        ctx.emit(
          "Add",
          [ctx.emit("Div", [ctx.emit("Mul", [a, sumDY], "gain_dB"), count()], "gain_mean_dY"), ctx.emit("Mul", [b, mean], "X_coefficient_mean")],
          "offset_neg",
        ),
      ],
      "offset",
    );
    const scaled = ctx.emit("Mul", [dY, perChannel(ctx, axes, a, "gain_channel")], "dY_scaled");
    const linear = ctx.emit("Mul", [x, perChannel(ctx, axes, b, "X_coefficient_channel")], "X_scaled");
    // dX = a·dY + b·X + c
    dX = ctx.emit("Add", [ctx.emit("Add", [scaled, linear], "dX_linear"), perChannel(ctx, axes, c, "offset_channel")], "dX");
  }
  return [dX, ctx.needsGrad(1) ? dScale : undefined, ctx.needsGrad(2) ? sumDY : undefined];
}

/** Inference mode: the running statistics are constants, so dX = γ/√(var + ε) ⊙ dY. */
function inferenceBackward(ctx: RuleContext, axes: ChannelAxes): (string | undefined)[] {
  const [x, scale, dY] = [ctx.input(0), ctx.input(1), ctx.gradOut(0)];
  const invStd = perChannel(ctx, axes, inverseStd(ctx, ctx.input(4)), "inv_std_channel");
  // x̂ = (X − μ) / √(var + ε)
  const dScale = ctx.needsGrad(1)
    ? sumPerChannel(
        ctx,
        axes,
        ctx.emit(
          "Mul",
          [dY, ctx.emit("Mul", [ctx.emit("Sub", [x, perChannel(ctx, axes, ctx.input(3), "running_mean")], "X_centered"), invStd], "X_hat")],
          "dY_X_hat",
        ),
        "dScale",
        false,
      )
    : undefined;
  const dBias = ctx.needsGrad(2) ? sumPerChannel(ctx, axes, dY, "dB", false) : undefined;
  const dX = ctx.needsGrad(0) ? ctx.emit("Mul", [dY, ctx.emit("Mul", [perChannel(ctx, axes, scale, "scale_channel"), invStd], "gain")], "dX") : undefined;
  return [dX, dScale, dBias];
}

const batchNormalization: GradientRule = {
  nonDifferentiable: [3, 4],
  backward: (ctx) => {
    const axes = channelAxes(ctx);
    return getInt(ctx.node, "training_mode", 0) === 1 ? trainingBackward(ctx, axes) : inferenceBackward(ctx, axes);
  },
};

export const normRules: Record<string, GradientRule> = { BatchNormalization: batchNormalization };
