/** Matrix products. MatMul batch dimensions broadcast; the walker sums them back. */
import { getFloat, getInt } from "../../onnx/ir.ts";
import type { Dim } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule, InputGradient } from "../rule.ts";

/** X (of rank `rank`) with its last two axes swapped. */
function swapLastTwo(ctx: RuleContext, name: string, rank: number, label: string): string {
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return ctx.emit("Transpose", [name], label, { perm: { kind: "ints", value: perm } });
}

/**
 * A 1-D operand as numpy promotes it: A [k] → [1, k], B [k] → [k, 1]; the product then drops
 * the added axis, which dY is given back here.
 */
function promoted(ctx: RuleContext, name: string, axis: number, label: string): string {
  return ctx.emit("Unsqueeze", [name, ctx.int64s(`${label}_axis`, [axis])], label);
}

const matMul: GradientRule = {
  backward: (ctx) => {
    const [vectorA, vectorB] = [ctx.rank(ctx.input(0)) === 1, ctx.rank(ctx.input(1)) === 1];
    const a = vectorA ? promoted(ctx, ctx.input(0), 0, "A_row") : ctx.input(0);
    const b = vectorB ? promoted(ctx, ctx.input(1), -1, "B_column") : ctx.input(1);
    const [rankA, rankB] = [Math.max(2, ctx.rank(ctx.input(0))), Math.max(2, ctx.rank(ctx.input(1)))];
    const yShape = ctx.info.shape(ctx.output(0));
    const batch = yShape.slice(0, yShape.length - (vectorA ? 0 : 1) - (vectorB ? 0 : 1));
    const m: Dim = vectorA ? 1 : yShape.at(vectorB ? -1 : -2)!;
    const n: Dim = vectorB ? 1 : yShape.at(-1)!;
    const k = ctx.info.shape(ctx.input(0)).at(-1) as Dim;
    const rankY = batch.length + 2;
    const dropped = [...(vectorA ? [rankY - 2] : []), ...(vectorB ? [rankY - 1] : [])];
    const dY = dropped.length > 0 ? ctx.emit("Unsqueeze", [ctx.gradOut(0), ctx.int64s("dY_axes", dropped)], "dY_matrix") : ctx.gradOut(0);
    let dA: InputGradient;
    let dB: InputGradient;
    if (ctx.needsGrad(0)) {
      // dA = dY · Bᵀ   ([…, 1, k] for a vector A: the walker sums the leading axes away)
      dA = { name: ctx.emit("MatMul", [dY, swapLastTwo(ctx, b, rankB, "B_T")], "dA"), shape: [...batch, m, k] };
    }
    if (ctx.needsGrad(1)) {
      // dB = Aᵀ · dY
      const product = ctx.emit("MatMul", [swapLastTwo(ctx, a, rankA, "A_T"), dY], vectorB ? "dB_column" : "dB");
      // a vector B drops its column axis: [… , k, 1] → [… , k]
      dB = vectorB
        ? { name: ctx.emit("Squeeze", [product, ctx.int64s("column_axis", [-1])], "dB"), shape: [...batch, k] }
        : { name: product, shape: [...batch, k, n] };
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
