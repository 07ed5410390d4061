/** Matrix products. MatMul batch dimensions broadcast; the walker sums them back. */
import { getFloat, getInt } from "../../onnx/ir.ts";
import type { Dim } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule, InputGradient } from "../rule.ts";

/** X with its last two axes swapped. */
function swapLastTwo(ctx: RuleContext, name: string, label: string): string {
  const rank = ctx.rank(name);
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return ctx.emit("Transpose", [name], label, { perm: { kind: "ints", value: perm } });
}

const matMul: GradientRule = {
  backward: (ctx) => {
    const [a, b, y] = [ctx.input(0), ctx.input(1), ctx.output(0)];
    if (ctx.rank(a) < 2 || ctx.rank(b) < 2) throw ctx.error("the gradient is implemented for inputs of rank 2 or more");
    const yShape = ctx.info.shape(y);
    const batch = yShape.slice(0, -2);
    const [m, n] = yShape.slice(-2) as [Dim, Dim];
    const k = ctx.info.shape(a).at(-1) as Dim;
    let dA: InputGradient;
    let dB: InputGradient;
    if (ctx.needsGrad(0)) {
      // dA = dY · Bᵀ
      dA = { name: ctx.emit("MatMul", [ctx.gradOut(0), swapLastTwo(ctx, b, "B_T")], "dA"), shape: [...batch, m, k] };
    }
    if (ctx.needsGrad(1)) {
      // dB = Aᵀ · dY
      dB = { name: ctx.emit("MatMul", [swapLastTwo(ctx, a, "A_T"), ctx.gradOut(0)], "dB"), shape: [...batch, k, n] };
    }
    return [dA, dB];
  },
};

const int = (value: number) => ({ kind: "int" as const, value });
const float = (value: number) => ({ kind: "float" as const, value });

/** Y = α·op(A)·op(B) + β·C, op transposing when transA/transB is set. */
const gemm: GradientRule = {
  backward: (ctx) => {
    const transA = getInt(ctx.node, "transA", 0) === 1;
    const transB = getInt(ctx.node, "transB", 0) === 1;
    const alpha = getFloat(ctx.node, "alpha", 1);
    const beta = getFloat(ctx.node, "beta", 1);
    const [a, b, dY] = [ctx.input(0), ctx.input(1), ctx.gradOut(0)];
    const product = (x: string, y: string, tx: boolean, ty: boolean, label: string) =>
      ctx.emit("Gemm", [x, y], label, { alpha: float(alpha), transA: int(tx ? 1 : 0), transB: int(ty ? 1 : 0) });
    let dA: string | undefined;
    let dB: string | undefined;
    let dC: InputGradient;
    if (ctx.needsGrad(0)) {
      // dA = α·dY·op(B)ᵀ, or its transpose α·op(B)·dYᵀ when A is used transposed
      dA = transA ? product(b, dY, transB, true, "dA") : product(dY, b, false, !transB, "dA");
    }
    if (ctx.needsGrad(1)) {
      // dB = α·op(A)ᵀ·dY, or its transpose α·dYᵀ·op(A) when B is used transposed
      dB = transB ? product(dY, a, true, transA, "dB") : product(a, dY, !transA, false, "dB");
    }
    if (ctx.needsGrad(2)) {
      // dC = β·dY, summed over the axes C was broadcast along
      dC = ctx.broadcastGrad(beta === 1 ? dY : ctx.emit("Mul", [dY, ctx.scalar("beta", beta, dY)], "dC"));
    }
    return [dA, dB, dC];
  },
};

export const matmulRules: Record<string, GradientRule> = { MatMul: matMul, Gemm: gemm };
