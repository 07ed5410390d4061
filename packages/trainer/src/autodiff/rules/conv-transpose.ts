/**
 * ConvTranspose is the adjoint of the Conv with the same weights, strides, pads, dilations and
 * groups: Y = Convᵀ_W(X). So dX = Conv_W(dY), and since ⟨dY, Convᵀ_W(X)⟩ = ⟨Conv_W(dY), X⟩,
 * dW is that Conv's weight gradient with dY as its input and X as its output gradient. Explicit
 * pads (or none) and output_padding are covered; auto_pad and output_shape are refused.
 */
import { getInt, getInts, getString } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { type ConvShapes, convWeightGradient } from "./conv.ts";
import { windowOf } from "./window.ts";

function staticSpatial(ctx: RuleContext, name: string): number[] {
  return ctx.info
    .shape(name)
    .slice(2)
    .map((d) => {
      if (typeof d !== "number") throw ctx.error(`the gradient needs static spatial dims of '${name}'`);
      return d;
    });
}

const convTranspose: GradientRule = {
  backward: (ctx) => {
    if (getString(ctx.node, "auto_pad", "NOTSET") !== "NOTSET") throw ctx.error("the gradient needs explicit pads (auto_pad NOTSET)");
    if (getInts(ctx.node, "output_shape") !== undefined) throw ctx.error("the gradient needs explicit pads and output_padding instead of output_shape");
    const [x, y] = [ctx.input(0), ctx.output(0)];
    const weight = ctx.requireStaticShape(ctx.input(1));
    const group = getInt(ctx.node, "group", 1);
    const inSize = staticSpatial(ctx, x);
    const outSize = staticSpatial(ctx, y);
    const kernel = weight.slice(2);
    // The Conv this op transposes maps Y's grid (outSize) to X's grid (inSize).
    const window = windowOf(ctx, kernel, outSize, inSize);
    const attributes = {
      strides: { kind: "ints" as const, value: window.strides },
      dilations: { kind: "ints" as const, value: window.dilations },
      pads: { kind: "ints" as const, value: window.pads },
      group: { kind: "int" as const, value: group },
    };
    // dX = Conv(dY, W)
    const dX = ctx.needsGrad(0) ? ctx.emit("Conv", [ctx.gradOut(0), ctx.input(1)], "dX", attributes) : undefined;
    let dW: string | undefined;
    if (ctx.needsGrad(1)) {
      const outChannels = weight[1]! * group;
      const shapes: ConvShapes = { batchAndChannels: [ctx.info.shape(x)[0] ?? null, outChannels], inSize: outSize, outSize: inSize, weight, group };
      // dW = ∂⟨Conv_W(dY), X⟩/∂W: the Conv weight gradient with input dY and output gradient X
      dW = convWeightGradient(ctx, shapes, window, ctx.gradOut(0), x);
    }
    const axes = [0, ...outSize.map((_, i) => i + 2)];
    // dB = Σ over batch and space of dY
    const dB = ctx.needsGrad(2)
      ? ctx.emit("ReduceSum", [ctx.gradOut(0), ctx.int64s("bias_axes", axes)], "dB", { keepdims: { kind: "int", value: 0 } })
      : undefined;
    return [dX, dW, dB];
  },
};

export const convTransposeRules: Record<string, GradientRule> = { ConvTranspose: convTranspose };
