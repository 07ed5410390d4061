/** Reductions: the gradient is dY expanded back over the reduced axes (and divided by their count for a mean). */
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

const reduceSum: GradientRule = { nonDifferentiable: [1], backward: (ctx) => [expandBack(ctx, false)] };
const reduceMean: GradientRule = { nonDifferentiable: [1], backward: (ctx) => [expandBack(ctx, true)] };

export const reduceRules: Record<string, GradientRule> = { ReduceSum: reduceSum, ReduceMean: reduceMean };
