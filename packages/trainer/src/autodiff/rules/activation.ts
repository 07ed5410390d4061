/** Pointwise activations and softmax: dX = f'(X) ⊙ dY, with f' written from X or Y. */
import { codeFromDataType } from "../../onnx/dims.ts";
import { getFloat, getInt, getString } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { unary } from "./elementwise.ts";
import { normalizeAxis } from "./shape.ts";

/**
 * dX = dY ⊙ mask, the boolean mask cast to dY's type: ONNX Runtime's CPU Where(mask, dY, 0) took
 * about 3× the time of Cast + Mul on MobileNetV2's activations. (A non-finite dY where the mask
 * is 0 gives NaN instead of 0.)
 */
function masked(ctx: RuleContext, mask: string): string {
  const ones = ctx.emit("Cast", [mask], "mask", { to: { kind: "int", value: codeFromDataType(ctx.info.dataType(ctx.output(0))) } });
  return ctx.emit("Mul", [ctx.gradOut(0), ones], "dX");
}

// dX = dY ⊙ [Y > 0]
const relu: GradientRule = {
  backward: (ctx) => [masked(ctx, ctx.emit("Greater", [ctx.output(0), ctx.scalar("zero_y", 0, ctx.output(0))], "Y_positive"))],
};

const leakyRelu: GradientRule = {
  backward: (ctx) => {
    const x = ctx.input(0);
    const positive = ctx.emit("Greater", [x, ctx.scalar("zero", 0, x)], "X_positive");
    const leaked = ctx.emit("Mul", [ctx.gradOut(0), ctx.scalar("alpha", getFloat(ctx.node, "alpha", 0.01), x)], "alpha_dY");
    // dX = X > 0 ? dY : α·dY
    return [ctx.emit("Where", [positive, ctx.gradOut(0), leaked], "dX")];
  },
};

/** Clip passes dY where it left X unchanged; min and max (inputs since opset 11) get none. */
const clip: GradientRule = {
  nonDifferentiable: [1, 2],
  // dX = dY ⊙ [min ≤ X ≤ max], i.e. where Y = X
  backward: (ctx) => [masked(ctx, ctx.emit("Equal", [ctx.input(0), ctx.output(0)], "X_inside"))],
};

// dX = dY ⊙ Y ⊙ (1 − Y)
const sigmoid: GradientRule = unary("dX", (ctx) => {
  const complement = ctx.emit("Sub", [ctx.scalar("one", 1, ctx.output(0)), ctx.output(0)], "one_minus_Y");
  return ctx.emit("Mul", [ctx.output(0), complement], "Y_one_minus_Y");
});

// dX = dY ⊙ (1 − Y²)
const tanh: GradientRule = unary("dX", (ctx) => {
  const square = ctx.emit("Mul", [ctx.output(0), ctx.output(0)], "Y_squared");
  return ctx.emit("Sub", [ctx.scalar("one", 1, ctx.output(0)), square], "one_minus_Y_squared");
});

const hardSigmoid: GradientRule = {
  backward: (ctx) => {
    const y = ctx.output(0);
    const aboveZero = ctx.emit("Greater", [y, ctx.scalar("zero", 0, y)], "Y_above_0");
    const belowOne = ctx.emit("Less", [y, ctx.scalar("one", 1, y)], "Y_below_1");
    const linear = ctx.emit("And", [aboveZero, belowOne], "linear_part");
    const scaled = ctx.emit("Mul", [ctx.gradOut(0), ctx.scalar("alpha", getFloat(ctx.node, "alpha", 0.2), y)], "alpha_dY");
    // dX = α·dY where 0 < αX + β < 1, else 0
    return [ctx.emit("Where", [linear, scaled, ctx.scalar("zero_grad", 0, y)], "dX")];
  },
};

const hardSwish: GradientRule = {
  backward: (ctx) => {
    const x = ctx.input(0);
    // Y = X·clip(X/6 + 1/2, 0, 1): Y' = 0 below −3, 1 above 3, X/3 + 1/2 between
    const slope = ctx.emit("Add", [ctx.emit("Mul", [x, ctx.scalar("third", 1 / 3, x)], "X_third"), ctx.scalar("half", 0.5, x)], "middle_slope");
    const upper = ctx.emit("Where", [ctx.emit("Greater", [x, ctx.scalar("three", 3, x)], "X_above_3"), ctx.scalar("one", 1, x), slope], "upper_slope");
    const derivative = ctx.emit(
      "Where",
      [ctx.emit("Less", [x, ctx.scalar("minus_three", -3, x)], "X_below_minus_3"), ctx.scalar("zero", 0, x), upper],
      "slope",
    );
    // dX = dY ⊙ Y'
    return [ctx.emit("Mul", [ctx.gradOut(0), derivative], "dX")];
  },
};

// dX = dY ⊙ 2/√π ⊙ exp(−X²)
const erf: GradientRule = unary("dX", (ctx) => {
  const x = ctx.input(0);
  const negSquare = ctx.emit("Neg", [ctx.emit("Mul", [x, x], "X_squared")], "minus_X_squared");
  return ctx.emit("Mul", [ctx.emit("Exp", [negSquare], "exp_minus_X_squared"), ctx.scalar("two_over_sqrt_pi", 2 / Math.sqrt(Math.PI), x)], "erf_slope");
});

/** Gelu (opset 20): Y = X·Φ(X), or its tanh approximation. */
const gelu: GradientRule = unary("dX", (ctx) => {
  const x = ctx.input(0);
  const c = (label: string, value: number) => ctx.scalar(label, value, x);
  const mul = (a: string, b: string, label: string) => ctx.emit("Mul", [a, b], label);
  const square = mul(x, x, "X_squared");
  if (getString(ctx.node, "approximate", "none") === "tanh") {
    // u = √(2/π)(X + 0.044715 X³), t = tanh u: Y' = (1 + t)/2 + X(1 − t²)·√(2/π)(1 + 3·0.044715 X²)/2
    const root = Math.sqrt(2 / Math.PI);
    const inner = mul(
      ctx.emit("Add", [c("one", 1), mul(square, c("cubic", 0.044715), "cubic_term")], "one_plus_cubic"),
      mul(x, c("root", root), "root_X"),
      "u",
    );
    const t = ctx.emit("Tanh", [inner], "t");
    const du = mul(
      ctx.emit("Add", [c("one_du", 1), mul(square, c("cubic_3", 3 * 0.044715), "cubic_slope")], "du_over_root"),
      c("half_root", root / 2),
      "du_half",
    );
    const dt = mul(mul(x, ctx.emit("Sub", [c("one_t", 1), mul(t, t, "t_squared")], "one_minus_t_squared"), "X_sech_squared"), du, "tanh_part");
    return ctx.emit("Add", [mul(ctx.emit("Add", [c("one_half_t", 1), t], "one_plus_t"), c("half", 0.5), "cdf"), dt], "gelu_slope");
  }
  // Y' = Φ(X) + X·φ(X), Φ(X) = (1 + erf(X/√2))/2, φ(X) = exp(−X²/2)/√(2π)
  const cdf = mul(
    ctx.emit("Add", [c("one", 1), ctx.emit("Erf", [mul(x, c("inverse_sqrt_2", Math.SQRT1_2), "X_over_sqrt_2")], "erf")], "one_plus_erf"),
    c("half", 0.5),
    "cdf",
  );
  const density = mul(
    ctx.emit("Exp", [mul(square, c("minus_half", -0.5), "minus_half_X_squared")], "exp_term"),
    c("inverse_sqrt_2pi", 1 / Math.sqrt(2 * Math.PI)),
    "pdf",
  );
  return ctx.emit("Add", [cdf, mul(x, density, "X_pdf")], "gelu_slope");
});

/** Softmax axes: one axis since opset 13; before, every axis from `axis` on (2-D coercion). */
function softmaxAxes(ctx: RuleContext): number[] {
  const rank = ctx.rank(ctx.input(0));
  const axis = normalizeAxis(getInt(ctx.node, "axis", ctx.opset >= 13 ? -1 : 1), rank);
  return ctx.opset >= 13 ? [axis] : [...Array(rank - axis).keys()].map((i) => axis + i);
}

function sumOverAxes(ctx: RuleContext, name: string, axes: number[], label: string): string {
  return ctx.emit("ReduceSum", [name, ctx.int64s(`${label}_axes`, axes)], label, { keepdims: { kind: "int", value: 1 } });
}

const softmax: GradientRule = {
  backward: (ctx) => {
    const [y, dY] = [ctx.output(0), ctx.gradOut(0)];
    const dot = sumOverAxes(ctx, ctx.emit("Mul", [dY, y], "dY_Y"), softmaxAxes(ctx), "sum_dY_Y");
    // dX = Y ⊙ (dY − Σ dY ⊙ Y)
    return [ctx.emit("Mul", [y, ctx.emit("Sub", [dY, dot], "dY_centered")], "dX")];
  },
};

export const logSoftmaxGradient = (ctx: RuleContext, logProbabilities: string, dY: string, axes: number[]): string => {
  const total = sumOverAxes(ctx, dY, axes, "sum_dY");
  const probabilities = ctx.emit("Exp", [logProbabilities], "softmax");
  // dX = dY − softmax(X) ⊙ Σ dY
  return ctx.emit("Sub", [dY, ctx.emit("Mul", [probabilities, total], "softmax_sum_dY")], "dX");
};

const logSoftmax: GradientRule = {
  backward: (ctx) => [logSoftmaxGradient(ctx, ctx.output(0), ctx.gradOut(0), softmaxAxes(ctx))],
};

export const activationRules: Record<string, GradientRule> = {
  Relu: relu,
  LeakyRelu: leakyRelu,
  Clip: clip,
  Sigmoid: sigmoid,
  Tanh: tanh,
  HardSigmoid: hardSigmoid,
  HardSwish: hardSwish,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  Erf: erf,
  Gelu: gelu,
};
