/** Shape rules for elementwise ops: unary, broadcasting binary and variadic ops, Cast, Where. */
import { getInt, type Dim } from "./ir.ts";
import { broadcastShapes, dataTypeFromCode, isIntegerType } from "./dims.ts";
import type { ShapeContext, ShapeRule } from "./shape-context.ts";

/** Output 0 has the type and shape of input 0. */
export const sameAsInput: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (dataType) ctx.setOutput(0, dataType, ctx.inputShape(0));
};

const identity: ShapeRule = (ctx) => {
  sameAsInput(ctx);
  const values = ctx.inputValues(0);
  if (values) ctx.setOutputValues(0, values);
};

function broadcastInputs(ctx: ShapeContext, indices: number[]): Dim[] | undefined {
  return broadcastShapes(indices.map((i) => ctx.inputShape(i)));
}

const allInputs = (ctx: ShapeContext): number[] => ctx.node.inputs.map((_, i) => i).filter((i) => ctx.hasInput(i));

/** Add/Sub/Mul/Div/Pow/Min/Max/Sum/Mean: broadcast shape, type of input 0. */
const broadcastArithmetic: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(0);
  if (dataType) ctx.setOutput(0, dataType, broadcastInputs(ctx, allInputs(ctx)));
};

const comparison: ShapeRule = (ctx) => {
  ctx.setOutput(0, "bool", broadcastInputs(ctx, allInputs(ctx)));
};

const where: ShapeRule = (ctx) => {
  const dataType = ctx.inputType(1) ?? ctx.inputType(2);
  if (dataType) ctx.setOutput(0, dataType, broadcastInputs(ctx, [0, 1, 2]));
};

const cast: ShapeRule = (ctx) => {
  const dataType = dataTypeFromCode(getInt(ctx.node, "to", 0));
  if (!dataType) return;
  ctx.setOutput(0, dataType, ctx.inputShape(0));
  const values = ctx.inputValues(0);
  if (values && isIntegerType(dataType)) ctx.setOutputValues(0, values);
};

/** Dropout's optional second output is the boolean keep-mask. */
const dropout: ShapeRule = (ctx) => {
  sameAsInput(ctx);
  ctx.setOutput(1, "bool", ctx.inputShape(0));
};

/** Integer arithmetic on known values, so Shape→Mul→Reshape chains stay exact. */
function arithmeticWithValues(apply: (a: number, b: number) => number): ShapeRule {
  return (ctx) => {
    broadcastArithmetic(ctx);
    const a = ctx.inputInts(0);
    const b = ctx.inputInts(1);
    if (!a || !b || !isIntegerType(ctx.inputType(0))) return;
    const length = Math.max(a.length, b.length);
    if ((a.length !== length && a.length !== 1) || (b.length !== length && b.length !== 1)) return;
    const at = (v: number[], i: number): number => v[v.length === 1 ? 0 : i] ?? 0;
    ctx.setOutputValues(
      0,
      Array.from({ length }, (_, i) => apply(at(a, i), at(b, i))),
    );
  };
}

const UNARY_OPS = [
  "Relu",
  "Clip",
  "LeakyRelu",
  "Sigmoid",
  "HardSigmoid",
  "HardSwish",
  "Tanh",
  "Exp",
  "Log",
  "Sqrt",
  "Neg",
  "Abs",
  "Reciprocal",
  "Erf",
  "Softmax",
  "LogSoftmax",
  "Elu",
  "Selu",
  "Softplus",
  "Softsign",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "Sin",
  "Cos",
  "Mish",
  "Gelu",
  "PRelu",
  "ThresholdedRelu",
  "LpNormalization",
  "InstanceNormalization",
  "Trilu",
  "CumSum",
  "Celu",
  "Shrink",
];

const BROADCAST_OPS = ["Pow", "Min", "Max", "Sum", "Mean", "Mod", "BitShift"];
const COMPARISON_OPS = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"];

function entries(ops: string[], rule: ShapeRule): Record<string, ShapeRule> {
  return Object.fromEntries(ops.map((op) => [op, rule]));
}

export const elementwiseRules: Record<string, ShapeRule> = {
  ...entries(UNARY_OPS, sameAsInput),
  ...entries(BROADCAST_OPS, broadcastArithmetic),
  ...entries(COMPARISON_OPS, comparison),
  Add: arithmeticWithValues((a, b) => a + b),
  Sub: arithmeticWithValues((a, b) => a - b),
  Mul: arithmeticWithValues((a, b) => a * b),
  Div: arithmeticWithValues((a, b) => Math.trunc(a / b)),
  Not: (ctx) => ctx.setOutput(0, "bool", ctx.inputShape(0)),
  IsNaN: (ctx) => ctx.setOutput(0, "bool", ctx.inputShape(0)),
  IsInf: (ctx) => ctx.setOutput(0, "bool", ctx.inputShape(0)),
  Where: where,
  Cast: cast,
  CastLike: (ctx) => {
    const dataType = ctx.inputType(1);
    if (dataType) ctx.setOutput(0, dataType, ctx.inputShape(0));
  },
  Identity: identity,
  Dropout: dropout,
};
