/**
 * Dropout. In inference mode (no training_mode input, or a constant false) it is the identity.
 * In training mode Y = X ⊙ mask / (1 − ratio), so dX = dY ⊙ mask / (1 − ratio), with the mask
 * the forward node drew: its mask output, added to the node when the model did not ask for it.
 */
import { getFloat } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";

function trainingMode(ctx: RuleContext): boolean {
  if (!ctx.hasInput(2)) return false;
  const value = ctx.info.constantNumbers(ctx.input(2));
  if (value === undefined) throw ctx.error("the gradient needs a constant training_mode input");
  return value[0] !== 0;
}

function dropoutMask(ctx: RuleContext): string {
  if (!ctx.node.outputs[1]) ctx.node.outputs[1] = `${ctx.node.name}/mask`;
  return ctx.node.outputs[1];
}

/** 1 / (1 − ratio), ratio from the input (since opset 12) or the attribute (before), default 0.5. */
function keepScale(ctx: RuleContext): string {
  const x = ctx.input(0);
  if (!ctx.hasInput(1)) return ctx.scalar("keep_scale", 1 / (1 - getFloat(ctx.node, "ratio", 0.5)), x);
  const ratio = ctx.info.constantNumbers(ctx.input(1));
  if (ratio) {
    if (!(ratio[0]! >= 0 && ratio[0]! < 1)) throw ctx.error(`ratio must be in [0, 1), got ${ratio[0]}`);
    return ctx.scalar("keep_scale", 1 / (1 - ratio[0]!), x);
  }
  const kept = ctx.emit("Sub", [ctx.scalar("one", 1, x), ctx.emit("CastLike", [ctx.input(1), x], "ratio")], "keep_probability");
  return ctx.emit("Reciprocal", [kept], "keep_scale");
}

const dropout: GradientRule = {
  nonDifferentiable: [1, 2],
  backward: (ctx) => {
    if (!trainingMode(ctx)) return [ctx.gradOut(0)];
    const scaled = ctx.emit("Mul", [ctx.gradOut(0), keepScale(ctx)], "dY_scaled");
    // dX = mask ? dY / (1 − ratio) : 0
    return [ctx.emit("Where", [dropoutMask(ctx), scaled, ctx.scalar("zero", 0, ctx.input(0))], "dX")];
  },
};

export const dropoutRules: Record<string, GradientRule> = { Dropout: dropout };
