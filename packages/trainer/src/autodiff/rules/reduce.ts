/**
 * Reductions: the gradient is dY expanded back over the reduced axes (and divided by their count
 * for a mean). ReduceMax and ReduceMin send dY to the positions holding the extreme; where several
 * tie, each gets an equal share (the average of the one-hot subgradients, as torch.amax does).
 */
import { getInt, getInts } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { normalizeAxis } from "./shape.ts";

/** Reduced axes: an attribute before opset 13 (ReduceSum) or 18 (ReduceMean), an input after. */
function reducedAxes(ctx: RuleContext, rank: number): number[] | undefined {
  const given = getInts(ctx.node, "axes") ?? (ctx.hasInput(1) ? ctx.info.constantNumbers(ctx.input(1)) : []);
  if (given === undefined) throw ctx.error("the gradient needs constant axes");
  if (given.length > 0) return given.map((a) => normalizeAxis(a, rank));
  if (getInt(ctx.node, "noop_with_empty_axes", 0) === 1) return undefined;
  return [...Array(rank).keys()];
}

/** dX = expand(dY with the reduced axes kept, shape(X)) ⊙ scale */
function expandBack(ctx: RuleContext, mean: boolean): string {
  const x = ctx.input(0);
  const rank = ctx.rank(x);
  const axes = reducedAxes(ctx, rank);
  if (axes === undefined) return ctx.gradOut(0);
  let kept = ctx.gradOut(0);
  // dY keeps the reduced axes as size 1: unsqueeze(dY, axes)
  if (getInt(ctx.node, "keepdims", 1) === 0) kept = ctx.emit("Unsqueeze", [kept, ctx.int64s("axes", axes)], "dY_kept");
  // dX = broadcast of dY over the reduced axes
  let grad = ctx.emit("Expand", [kept, ctx.shapeOf(x, "X_shape")], mean ? "dX_sum" : "dX");
  if (mean) {
    const shape = ctx.info.shape(x);
    const count = axes.reduce((n, a) => {
      const size = shape[a];
      if (typeof size !== "number") throw ctx.error(`the mean's gradient needs the static size of axis ${a} of '${x}'`);
      return n * size;
    }, 1);
    // dX = dY / count
    grad = ctx.emit("Mul", [grad, ctx.scalar("inverse_count", 1 / count, x)], "dX");
  }
  return grad;
}

/** dY with the reduced axes kept as size 1, so it broadcasts against X. */
function keptDims(ctx: RuleContext, name: string, axes: number[], label: string): string {
  if (getInt(ctx.node, "keepdims", 1) === 1) return name;
  return ctx.emit("Unsqueeze", [name, ctx.int64s(`${label}_axes`, axes)], label);
}

/**
 * dX = [X = Y] ⊙ dY / #{X = Y}: the gradient of a max (or min) over `axes`, split evenly over ties.
 * y and dY must broadcast against x (reduced axes kept as size 1).
 */
export function extremeGradient(ctx: RuleContext, x: string, y: string, dY: string, axes: number[]): string {
  const hit = ctx.emit("CastLike", [ctx.emit("Equal", [x, y], "is_extreme"), x], "extreme_mask");
  const ties = ctx.emit("ReduceSum", [hit, ctx.int64s("tie_axes", axes)], "tie_count", { keepdims: { kind: "int", value: 1 } });
  const share = ctx.emit("Div", [dY, ties], "dY_share");
  // dX = mask ⊙ dY / ties
  return ctx.emit("Mul", [hit, share], "dX");
}

const reduceExtreme: GradientRule = {
  nonDifferentiable: [1],
  backward: (ctx) => {
    const x = ctx.input(0);
    const axes = reducedAxes(ctx, ctx.rank(x));
    if (axes === undefined) return [ctx.gradOut(0)];
    const y = keptDims(ctx, ctx.output(0), axes, "Y_kept");
    return [extremeGradient(ctx, x, y, keptDims(ctx, ctx.gradOut(0), axes, "dY_kept"), axes)];
  },
};

const reduceSum: GradientRule = { nonDifferentiable: [1], backward: (ctx) => [expandBack(ctx, false)] };
const reduceMean: GradientRule = { nonDifferentiable: [1], backward: (ctx) => [expandBack(ctx, true)] };

export const reduceRules: Record<string, GradientRule> = { ReduceSum: reduceSum, ReduceMean: reduceMean, ReduceMax: reduceExtreme, ReduceMin: reduceExtreme };
