/** Ops that move or cast values without arithmetic: the gradient moves back the same way. */
import { getInt, getInts } from "../../onnx/ir.ts";
import type { GradientRule } from "../rule.ts";

const ONNX_FLOAT_TYPES: Record<string, number> = { float32: 1, float16: 10, float64: 11 };

/** dX = reshape(dY, shape(X)): Reshape, Flatten, Squeeze, Unsqueeze. */
const reshapeBack: GradientRule = {
  nonDifferentiable: [1],
  backward: (ctx) => [ctx.emit("Reshape", [ctx.gradOut(0), ctx.shapeOf(ctx.input(0), "X_shape")], "dX")],
};

const identity: GradientRule = { backward: (ctx) => [ctx.gradOut(0)] };

const cast: GradientRule = {
  backward: (ctx) => {
    const to = ONNX_FLOAT_TYPES[ctx.info.dataType(ctx.input(0))];
    if (to === undefined) throw ctx.error(`cannot differentiate a cast from ${ctx.info.dataType(ctx.input(0))}`);
    // dX = cast(dY, type(X))
    return [ctx.emit("Cast", [ctx.gradOut(0)], "dX", { to: { kind: "int", value: to } })];
  },
};

const castLike: GradientRule = {
  nonDifferentiable: [1],
  // dX = cast(dY, type(X))
  backward: (ctx) => [ctx.emit("CastLike", [ctx.gradOut(0), ctx.input(0)], "dX")],
};

const transpose: GradientRule = {
  backward: (ctx) => {
    const perm = getInts(ctx.node, "perm") ?? [...Array(ctx.rank(ctx.input(0))).keys()].reverse();
    const inverse = new Array<number>(perm.length);
    perm.forEach((axis, i) => (inverse[axis] = i));
    // dX = transpose(dY, perm⁻¹)
    return [ctx.emit("Transpose", [ctx.gradOut(0)], "dX", { perm: { kind: "ints", value: inverse } })];
  },
};

const concat: GradientRule = {
  backward: (ctx) => {
    const rank = ctx.rank(ctx.output(0));
    const axis = normalizeAxis(getInt(ctx.node, "axis", 0), rank);
    const sizes = ctx.node.inputs.map((name) => {
      const size = ctx.info.shape(name)[axis];
      if (typeof size !== "number") throw ctx.error(`the gradient needs the static size of axis ${axis} of '${name}'`);
      return size;
    });
    // dX₁, dX₂, … = split(dY, sizes, axis)
    const parts = ctx.emitOutputs(
      "Split",
      [ctx.gradOut(0), ctx.int64s("sizes", sizes)],
      sizes.map((_, i) => `dX${i}`),
      {
        axis: { kind: "int", value: axis },
      },
    );
    return parts.map((part, i) => (ctx.needsGrad(i) ? part : undefined));
  },
};

export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export const shapeRules: Record<string, GradientRule> = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Identity: identity,
  Cast: cast,
  CastLike: castLike,
  Transpose: transpose,
  Concat: concat,
};
