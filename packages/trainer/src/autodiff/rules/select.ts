/**
 * Ops that pick elements of X (Slice, Pad, Gather): dY goes back to the positions it was read
 * from. Crops and plain slices invert with a Pad; the rest scatter dY through an index map,
 * adding where one element was read several times (edge and reflect pads, repeated indices).
 */
import { getInt, getInts, getString, typedArrayFor } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { normalizeAxis } from "./shape.ts";

/** An int64 tensor of X's shape holding each element's flat index. */
function indexGrid(ctx: RuleContext, dims: number[]): string {
  const count = dims.reduce((a, b) => a * b, 1);
  const scalar = (label: string, v: number) => ctx.addInitializer(label, { dataType: "int64", dims: [], data: BigInt64Array.from([BigInt(v)]) });
  const indices = ctx.emit("Range", [scalar("zero", 0), scalar("count", count), scalar("one", 1)], "flat_index");
  return ctx.emit("Reshape", [indices, ctx.int64s("X_shape", dims)], "index_grid");
}

/** Zeros of `dims` in X's element type. */
function zerosLike(ctx: RuleContext, dims: number[]): string {
  const dataType = ctx.info.dataType(ctx.input(0));
  return ctx.emit("ConstantOfShape", [ctx.int64s("zeros_shape", dims)], "zeros", {
    value: { kind: "tensor", value: { dataType, dims: [1], data: typedArrayFor(dataType, 1) } },
  });
}

/** dX[source(i)] += dY[i], for `sources` holding flat indices of X laid out like dY. */
function scatterToSources(ctx: RuleContext, dims: number[], sources: string): string {
  const count = dims.reduce((a, b) => a * b, 1);
  const flat = ctx.int64s("flat", [-1]);
  const flatSources = ctx.emit("Reshape", [sources, flat], "sources_flat");
  const flatGrad = ctx.emit("Reshape", [ctx.gradOut(0), flat], "dY_flat");
  // dX[source(i)] += dY[i]
  const scattered = ctx.emit("ScatterElements", [zerosLike(ctx, [count]), flatSources, flatGrad], "dX_flat", {
    axis: { kind: "int", value: 0 },
    reduction: { kind: "string", value: "add" },
  });
  return ctx.emit("Reshape", [scattered, ctx.int64s("X_shape_back", dims)], "dX");
}

/** Slice's starts, ends, axes, steps: inputs since opset 10, attributes before. */
function sliceParameters(ctx: RuleContext, rank: number) {
  const read = (index: number, attribute: string) =>
    getInts(ctx.node, attribute) ?? (ctx.hasInput(index) ? ctx.info.constantNumbers(ctx.input(index)) : undefined);
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
    // Strided or reversed: slice the index grid the same way, then scatter dY to those indices
    const sliceInputs = ctx.node.inputs.length > 1 ? [indexGrid(ctx, dims), ...ctx.node.inputs.slice(1)] : [indexGrid(ctx, dims)];
    const picked = ctx.emit("Slice", sliceInputs, "picked_index", ctx.node.inputs.length > 1 ? {} : ctx.node.attributes);
    return [scatterToSources(ctx, dims, picked)];
  },
};

/** Pad's pads: an input since opset 11 (with optional axes since 18), an attribute before. */
function padAmounts(ctx: RuleContext, rank: number): number[] {
  const given = getInts(ctx.node, "pads") ?? ctx.info.constantNumbers(ctx.input(1));
  if (!given) throw ctx.error("the gradient needs constant pads");
  const axes = ctx.hasInput(3) ? ctx.info.constantNumbers(ctx.input(3)) : undefined;
  if (ctx.hasInput(3) && !axes) throw ctx.error("the gradient needs constant axes");
  if (!axes) return given;
  const pads = new Array<number>(rank * 2).fill(0);
  axes.forEach((a, i) => {
    const axis = normalizeAxis(a, rank);
    pads[axis] = given[i]!;
    pads[axis + rank] = given[i + axes.length]!;
  });
  return pads;
}

const pad: GradientRule = {
  nonDifferentiable: [1, 2, 3],
  backward: (ctx) => {
    const mode = getString(ctx.node, "mode", "constant");
    const x = ctx.input(0);
    const pads = padAmounts(ctx, ctx.rank(x));
    if (mode === "constant") {
      // dX = crop(dY, pads): Pad by −pads
      return [
        ctx.emit(
          "Pad",
          [
            ctx.gradOut(0),
            ctx.int64s(
              "crop",
              pads.map((p) => -p),
            ),
          ],
          "dX",
        ),
      ];
    }
    if (mode !== "reflect" && mode !== "edge") throw ctx.error(`the gradient of mode '${mode}' is not implemented`);
    const dims = ctx.requireStaticShape(x);
    // Each padded cell's source: the index grid padded the same way (edge repeats, reflect mirrors)
    const sources = ctx.emit("Pad", [indexGrid(ctx, dims), ctx.int64s("pads", pads)], "source_index", { mode: { kind: "string", value: mode } });
    return [scatterToSources(ctx, dims, sources)];
  },
};

/** Gather's indices with negatives resolved, laid out along `axis` of dY flattened to one index axis. */
function gatherPositions(ctx: RuleContext, size: number, count: number, shape: number[], axis: number): string {
  const layout = shape.map((d, i) => (i === axis ? count : 1));
  const known = ctx.info.constantNumbers(ctx.input(1));
  if (known) {
    const resolved = known.map((i) => (i < 0 ? i + size : i));
    return ctx.addInitializer("positions", { dataType: "int64", dims: layout, data: BigInt64Array.from(resolved.map(BigInt)) });
  }
  const indices = ctx.emit("Cast", [ctx.input(1)], "indices_int64", { to: { kind: "int", value: 7 } });
  const size64 = ctx.constant("axis_size", size, "int64", []);
  const negative = ctx.emit("Less", [indices, ctx.constant("zero_index", 0, "int64", [])], "negative");
  const resolved = ctx.emit("Where", [negative, ctx.emit("Add", [indices, size64], "wrapped"), indices], "resolved");
  return ctx.emit("Reshape", [resolved, ctx.int64s("positions_layout", layout)], "positions");
}

const gather: GradientRule = {
  nonDifferentiable: [1],
  backward: (ctx) => {
    const dims = ctx.requireStaticShape(ctx.input(0));
    const axis = normalizeAxis(getInt(ctx.node, "axis", 0), dims.length);
    const count = ctx.requireStaticShape(ctx.input(1)).reduce((a, b) => a * b, 1);
    const shape = [...dims.slice(0, axis), count, ...dims.slice(axis + 1)];
    const dY = ctx.emit("Reshape", [ctx.gradOut(0), ctx.int64s("dY_shape", shape)], "dY_one_index_axis");
    const positions = ctx.emit("Expand", [gatherPositions(ctx, dims[axis]!, count, shape, axis), ctx.int64s("dY_dims", shape)], "positions_expanded");
    // dX[…, index[j], …] += dY[…, j, …]
    return [
      ctx.emit("ScatterElements", [zerosLike(ctx, dims), positions, dY], "dX", {
        axis: { kind: "int", value: axis },
        reduction: { kind: "string", value: "add" },
      }),
    ];
  },
};

export const selectRules: Record<string, GradientRule> = { Slice: slice, Pad: pad, Gather: gather };
