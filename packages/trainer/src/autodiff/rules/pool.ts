/**
 * Pooling. MaxPool routes dY to the argmax of each window through its Indices output
 * (ScatterElements with reduction 'add', so overlapping windows accumulate; MaxUnpool would
 * overwrite). AveragePool spreads dY / window size back with a ConvTranspose of ones.
 * GlobalMaxPool compares X with its max per channel (ties share dY evenly, as ReduceMax).
 */
import { getInt, getInts } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { extremeGradient } from "./reduce.ts";
import { transposedWindow, windowOf } from "./window.ts";

function spatialDims(ctx: RuleContext, name: string): number[] {
  return ctx.info
    .shape(name)
    .slice(2)
    .map((d) => {
      if (typeof d !== "number") throw ctx.error(`the gradient needs static spatial dims of '${name}'`);
      return d;
    });
}

/** MaxPool's Indices output, added to the forward node when the model did not ask for it. */
function maxPoolIndices(ctx: RuleContext): string {
  if (getInt(ctx.node, "storage_order", 0) !== 0) throw ctx.error("the gradient needs storage_order 0");
  if (!ctx.node.outputs[1]) ctx.node.outputs[1] = `${ctx.node.name}/indices`;
  return ctx.node.outputs[1];
}

const maxPool: GradientRule = {
  backward: (ctx) => {
    const x = ctx.input(0);
    const indices = maxPoolIndices(ctx);
    const flat = ctx.int64s("flat", [-1]);
    const size = ctx.emit("Reshape", [ctx.emit("Size", [x], "X_size"), ctx.int64s("one_axis", [1])], "X_size_1d");
    const zeros = ctx.emit("ConstantOfShape", [size], "zeros", {
      value: { kind: "tensor", value: zeroTensor(ctx, x) },
    });
    const flatIndices = ctx.emit("Reshape", [indices, flat], "indices_flat");
    const flatGrad = ctx.emit("Reshape", [ctx.gradOut(0), flat], "dY_flat");
    // dX[argmax of window w] += dY[w]   (indices count over the whole N·C·H·W tensor)
    const scattered = ctx.emit("ScatterElements", [zeros, flatIndices, flatGrad], "dX_flat", {
      axis: { kind: "int", value: 0 },
      reduction: { kind: "string", value: "add" },
    });
    return [ctx.emit("Reshape", [scattered, ctx.shapeOf(x, "X_shape")], "dX")];
  },
};

function zeroTensor(ctx: RuleContext, like: string) {
  const dataType = ctx.info.dataType(like);
  return { dataType, dims: [1], data: dataType === "float64" ? new Float64Array(1) : new Float32Array(1) };
}

/** How many input cells each output cell averaged over, as ONNX Runtime counts them. */
export function averageDivisors(inSize: number[], outSize: number[], kernel: number[], strides: number[], pads: number[], includePad: boolean): Float64Array {
  const rank = inSize.length;
  const perAxis = inSize.map((size, axis) =>
    Array.from({ length: outSize[axis]! }, (_, o) => {
      const start = o * strides[axis]! - pads[axis]!;
      const end = Math.min(start + kernel[axis]!, size + pads[axis + rank]!);
      return includePad ? end - start : Math.min(end, size) - Math.max(start, 0);
    }),
  );
  const total = outSize.reduce((a, b) => a * b, 1);
  const divisors = new Float64Array(total);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let product = 1;
    for (let axis = rank - 1; axis >= 0; axis--) {
      product *= perAxis[axis]![rest % outSize[axis]!]!;
      rest = Math.floor(rest / outSize[axis]!);
    }
    divisors[flat] = product;
  }
  return divisors;
}

const averagePool: GradientRule = {
  backward: (ctx) => {
    const [x, y] = [ctx.input(0), ctx.output(0)];
    const inSize = spatialDims(ctx, x);
    const outSize = spatialDims(ctx, y);
    const kernel = getInts(ctx.node, "kernel_shape");
    if (!kernel) throw ctx.error("attribute 'kernel_shape' is required");
    const window = windowOf(ctx, kernel, inSize, outSize);
    const dataType = ctx.info.dataType(x);
    const divisors = averageDivisors(inSize, outSize, kernel, window.strides, window.pads, getInt(ctx.node, "count_include_pad", 0) === 1);
    const inverse = dataType === "float64" ? divisors.map((d) => 1 / d) : Float32Array.from(divisors, (d) => 1 / d);
    const scale = ctx.addInitializer("inverse_window_size", { dataType, dims: outSize, data: inverse });
    const ones = ctx.constant("ones_kernel", 1, dataType, [1, 1, ...kernel]);
    // One channel at a time: [N, C, …] → [N·C, 1, …]
    const channels = ctx.emit("Reshape", [ctx.gradOut(0), ctx.int64s("single_channel", [-1, 1, ...outSize])], "dY_single_channel");
    // dX = Σ over windows covering a cell of dY / window size
    const share = ctx.emit("Mul", [channels, scale], "dY_share");
    const spread = transposedWindow(ctx, share, ones, window, outSize, inSize, 1, "dX_single_channel");
    return [ctx.emit("Reshape", [spread, ctx.shapeOf(x, "X_shape")], "dX")];
  },
};

const globalAveragePool: GradientRule = {
  backward: (ctx) => {
    const x = ctx.input(0);
    const count = spatialDims(ctx, x).reduce((a, b) => a * b, 1);
    const spread = ctx.emit("Expand", [ctx.gradOut(0), ctx.shapeOf(x, "X_shape")], "dY_spread");
    // dX = dY / (H·W) at every position
    return [ctx.emit("Mul", [spread, ctx.scalar("inverse_area", 1 / count, x)], "dX")];
  },
};

const globalMaxPool: GradientRule = {
  backward: (ctx) => {
    const x = ctx.input(0);
    const spatialAxes = ctx.info
      .shape(x)
      .slice(2)
      .map((_, i) => i + 2);
    // Y and dY are [N, C, 1, …]: they broadcast over the spatial axes they came from
    return [extremeGradient(ctx, x, ctx.output(0), ctx.gradOut(0), spatialAxes)];
  },
};

export const poolRules: Record<string, GradientRule> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
};
