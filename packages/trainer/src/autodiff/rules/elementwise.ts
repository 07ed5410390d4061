/** Broadcasting arithmetic and unary math. Gradients come back in the output's shape; the walker un-broadcasts. */
import type { RuleContext } from "../context.ts";
import type { GradientRule, InputGradient } from "../rule.ts";

const add: GradientRule = {
  backward: (ctx) => ctx.node.inputs.map((_, i) => (ctx.needsGrad(i) ? ctx.broadcastGrad(ctx.gradOut(0)) : undefined)),
};

const sub: GradientRule = {
  backward: (ctx) => [
    ctx.needsGrad(0) ? ctx.broadcastGrad(ctx.gradOut(0)) : undefined,
    // dB = -dY
    ctx.needsGrad(1) ? ctx.broadcastGrad(ctx.emit("Neg", [ctx.gradOut(0)], "dB")) : undefined,
  ],
};

const mul: GradientRule = {
  backward: (ctx) => [
    // dA = dY ⊙ B
    ctx.needsGrad(0) ? ctx.broadcastGrad(ctx.emit("Mul", [ctx.gradOut(0), ctx.input(1)], "dA")) : undefined,
    // dB = dY ⊙ A
    ctx.needsGrad(1) ? ctx.broadcastGrad(ctx.emit("Mul", [ctx.gradOut(0), ctx.input(0)], "dB")) : undefined,
  ],
};

const div: GradientRule = {
  backward: (ctx) => {
    // dA = dY / B
    const dA = ctx.needsGrad(0) ? ctx.broadcastGrad(ctx.emit("Div", [ctx.gradOut(0), ctx.input(1)], "dA")) : undefined;
    let dB: InputGradient;
    if (ctx.needsGrad(1)) {
      // dB = -dY ⊙ Y / B   (Y = A / B)
      const quotient = ctx.emit("Div", [ctx.output(0), ctx.input(1)], "Y_over_B");
      const product = ctx.emit("Mul", [ctx.gradOut(0), quotient], "dY_Y_over_B");
      dB = ctx.broadcastGrad(ctx.emit("Neg", [product], "dB"));
    }
    return [dA, dB];
  },
};

const pow: GradientRule = {
  backward: (ctx) => {
    let dA: InputGradient;
    if (ctx.needsGrad(0)) {
      const exponent = castLike(ctx, ctx.input(1), ctx.input(0), "exponent");
      // A^(p-1) = Y / A would fail at A = 0, so it is recomputed: dA = dY ⊙ p ⊙ A^(p-1)
      const lowered = ctx.emit("Sub", [exponent, ctx.scalar("one", 1, ctx.input(0))], "p_minus_1");
      const power = ctx.emit("Pow", [ctx.input(0), lowered], "A_pow_p_minus_1");
      const scaled = ctx.emit("Mul", [power, exponent], "p_A_pow_p_minus_1");
      dA = ctx.broadcastGrad(ctx.emit("Mul", [ctx.gradOut(0), scaled], "dA"));
    }
    let dB: InputGradient;
    if (ctx.needsGrad(1)) {
      // dB = dY ⊙ Y ⊙ ln A
      const logBase = ctx.emit("Log", [ctx.input(0)], "ln_A");
      const product = ctx.emit("Mul", [ctx.output(0), logBase], "Y_ln_A");
      dB = ctx.broadcastGrad(ctx.emit("Mul", [ctx.gradOut(0), product], "dB"));
    }
    return [dA, dB];
  },
};

/** `name` cast to the element type of `like` when they differ (Pow allows an integer exponent). */
function castLike(ctx: RuleContext, name: string, like: string, label: string): string {
  const target = ctx.info.dataType(like);
  if (ctx.info.dataType(name) === target) return name;
  return ctx.emit("CastLike", [name, like], label);
}

const sum: GradientRule = add;

/** dX = f'(X, Y) ⊙ dY for a unary op, with f' built by `derivative`. */
export function unary(label: string, derivative: (ctx: RuleContext) => string): GradientRule {
  return {
    backward: (ctx) => [ctx.emit("Mul", [ctx.gradOut(0), derivative(ctx)], label)],
  };
}

const neg: GradientRule = { backward: (ctx) => [ctx.emit("Neg", [ctx.gradOut(0)], "dX")] };

// dX = dY ⊙ Y   (Y = eˣ)
const exp: GradientRule = unary("dX", (ctx) => ctx.output(0));

// dX = dY / X
const log: GradientRule = { backward: (ctx) => [ctx.emit("Div", [ctx.gradOut(0), ctx.input(0)], "dX")] };

// dX = −dY ⊙ Y²   (Y = 1/X)
const reciprocal: GradientRule = unary("dX", (ctx) => ctx.emit("Neg", [ctx.emit("Mul", [ctx.output(0), ctx.output(0)], "Y_squared")], "minus_Y_squared"));

const sqrt: GradientRule = {
  backward: (ctx) => {
    // dX = dY / (2 Y)   (Y = √X)
    const twice = ctx.emit("Add", [ctx.output(0), ctx.output(0)], "two_Y");
    return [ctx.emit("Div", [ctx.gradOut(0), twice], "dX")];
  },
};

const where: GradientRule = {
  nonDifferentiable: [0],
  backward: (ctx) => {
    const zero = ctx.scalar("zero", 0, ctx.output(0));
    return [
      undefined,
      // dA = C ? dY : 0
      ctx.needsGrad(1) ? ctx.broadcastGrad(ctx.emit("Where", [ctx.input(0), ctx.gradOut(0), zero], "dA")) : undefined,
      // dB = C ? 0 : dY
      ctx.needsGrad(2) ? ctx.broadcastGrad(ctx.emit("Where", [ctx.input(0), zero, ctx.gradOut(0)], "dB")) : undefined,
    ];
  },
};

const mean: GradientRule = {
  backward: (ctx) => {
    // dXᵢ = dY / n
    const share = ctx.emit("Mul", [ctx.gradOut(0), ctx.scalar("inverse_n", 1 / ctx.node.inputs.length, ctx.output(0))], "dY_share");
    return ctx.node.inputs.map((_, i) => (ctx.needsGrad(i) ? ctx.broadcastGrad(share) : undefined));
  },
};

/** Elementwise Max and Min: dY goes to the inputs equal to Y, split evenly where several tie. */
const extreme: GradientRule = {
  backward: (ctx) => {
    const y = ctx.output(0);
    const hits = ctx.node.inputs.map((x, i) => ctx.emit("CastLike", [ctx.emit("Equal", [x, y], `is_extreme_${i}`), y], `extreme_mask_${i}`));
    const ties = hits.length === 1 ? hits[0]! : ctx.emit("Sum", hits, "tie_count");
    const share = ctx.emit("Div", [ctx.gradOut(0), ties], "dY_share");
    // dXᵢ = [Xᵢ = Y] ⊙ dY / #{j : Xⱼ = Y}
    return hits.map((hit, i) => (ctx.needsGrad(i) ? ctx.broadcastGrad(ctx.emit("Mul", [hit, share], `dX${i}`)) : undefined));
  },
};

export const elementwiseRules: Record<string, GradientRule> = {
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Pow: pow,
  Sum: sum,
  Mean: mean,
  Max: extreme,
  Min: extreme,
  Neg: neg,
  Reciprocal: reciprocal,
  Exp: exp,
  Log: log,
  Sqrt: sqrt,
  Where: where,
};
