/** Ops that move or cast values without arithmetic: the gradient moves back the same way. */
import { getInt, getInts, getString, typedArrayFor } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule, InputGradient } from "../rule.ts";

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
    const parts = ctx.emitOutputs("Split", [ctx.gradOut(0), ctx.int64s("sizes", sizes)], sizes.map((_, i) => `dX${i}`), {
      axis: { kind: "int", value: axis },
    });
    return parts.map((part, i) => (ctx.needsGrad(i) ? part : undefined));
  },
};

const pad: GradientRule = {
  nonDifferentiable: [1, 2, 3],
  backward: (ctx) => {
    const mode = getString(ctx.node, "mode", "constant");
    if (mode !== "constant") throw ctx.error(`the gradient of mode '${mode}' is not implemented (only 'constant')`);
    const pads = getInts(ctx.node, "pads") ?? ctx.info.constantNumbers(ctx.input(1));
    if (!pads) throw ctx.error("the gradient needs constant pads");
    const inputs = [ctx.gradOut(0), ctx.int64s("crop", pads.map((p) => -p))];
    if (ctx.hasInput(3)) inputs.push("", ctx.input(3));
    // dX = crop(dY, pads): Pad by −pads
    return [ctx.emit("Pad", inputs, "dX")];
  },
};

export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

const dropout: GradientRule = {
  nonDifferentiable: [1, 2],
  backward: (ctx): InputGradient[] => {
    const training = ctx.hasInput(2) ? ctx.info.constantNumbers(ctx.input(2)) : [0];
    if (training === undefined || training[0] !== 0) throw ctx.error("the gradient is implemented for inference (training_mode false) only");
    return [ctx.gradOut(0)];
  },
};

/** Slice's starts, ends, axes, steps: inputs since opset 10, attributes before. */
function sliceParameters(ctx: RuleContext, rank: number) {
  const read = (index: number, attribute: string) => getInts(ctx.node, attribute) ?? (ctx.hasInput(index) ? ctx.info.constantNumbers(ctx.input(index)) : undefined);
  const starts = read(1, "starts");
  const ends = read(2, "ends");
  if (!starts || !ends) return undefined;
  const axes = (read(3, "axes") ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, rank));
  const steps = read(4, "steps") ?? starts.map(() => 1);
  return { starts, ends, axes, steps };
}

const slice: GradientRule = {
  nonDifferentiable: [1, 2, 3, 4],
  backward: (ctx) => {
    const dims = ctx.requireStaticShape(ctx.input(0));
    const params = sliceParameters(ctx, dims.length);
    if (params && params.steps.every((s) => s === 1)) {
      const pads = new Array<number>(dims.length * 2).fill(0);
      params.axes.forEach((axis, i) => {
        const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dims[axis]! : v, 0), dims[axis]!);
        const start = clamp(params.starts[i]!);
        pads[axis] = start;
        pads[axis + dims.length] = dims[axis]! - Math.max(clamp(params.ends[i]!), start);
      });
      // dX = zero-pad(dY) back to X's extent
      return [ctx.emit("Pad", [ctx.gradOut(0), ctx.int64s("pads", pads)], "dX")];
    }
    return [scatterSlice(ctx, dims)];
  },
};

/** Strided or reversed slices: slice an index grid the same way, then scatter dY to those indices. */
function scatterSlice(ctx: RuleContext, dims: number[]): string {
  const count = dims.reduce((a, b) => a * b, 1);
  const scalar = (label: string, v: number) => ctx.addInitializer(label, { dataType: "int64", dims: [], data: BigInt64Array.from([BigInt(v)]) });
  const indices = ctx.emit("Range", [scalar("zero", 0), scalar("count", count), scalar("one", 1)], "flat_index");
  const grid = ctx.emit("Reshape", [indices, ctx.int64s("X_shape", dims)], "index_grid");
  const sliceInputs = ctx.node.inputs.length > 1 ? [grid, ...ctx.node.inputs.slice(1)] : [grid];
  const picked = ctx.emit("Slice", sliceInputs, "picked_index", ctx.node.inputs.length > 1 ? {} : ctx.node.attributes);
  const flat = ctx.int64s("flat", [-1]);
  const zeros = ctx.emit("ConstantOfShape", [ctx.int64s("count_shape", [count])], "zeros", {
    value: { kind: "tensor", value: { dataType: ctx.info.dataType(ctx.input(0)), dims: [1], data: typedArrayFor(ctx.info.dataType(ctx.input(0)), 1) } },
  });
  // dX[index(i)] = dY[i]
  const scattered = ctx.emit("ScatterElements", [zeros, ctx.emit("Reshape", [picked, flat], "picked_flat"), ctx.emit("Reshape", [ctx.gradOut(0), flat], "dY_flat")], "dX_flat");
  return ctx.emit("Reshape", [scattered, ctx.int64s("X_shape_back", dims)], "dX");
}

export const shapeRules: Record<string, GradientRule> = {
  Reshape: reshapeBack, Flatten: reshapeBack, Squeeze: reshapeBack, Unsqueeze: reshapeBack,
  Identity: identity, Cast: cast, CastLike: castLike, Transpose: transpose, Concat: concat, Pad: pad, Dropout: dropout, Slice: slice,
};
