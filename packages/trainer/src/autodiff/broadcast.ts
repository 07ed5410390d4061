/** Summing a broadcast gradient back to the shape of the input it was broadcast from. */
import type { Dim } from "../onnx/ir.ts";
import type { BackwardBuilder } from "./builder.ts";

/** Axes of `from` that `to` was broadcast along (numpy rules: leading axes, then size-1 axes). */
export function broadcastAxes(from: readonly Dim[], to: readonly Dim[], where: string): number[] {
  const lead = from.length - to.length;
  if (lead < 0) throw new Error(`${where}: a gradient of rank ${from.length} cannot reduce to rank ${to.length}`);
  const axes: number[] = [];
  for (let axis = 0; axis < from.length; axis++) {
    if (axis < lead) {
      axes.push(axis);
      continue;
    }
    const target = to[axis - lead];
    const source = from[axis];
    if (target === source) continue;
    if (target === 1) {
      axes.push(axis);
      continue;
    }
    // Equal-named symbolic dims match; a fixed size that is not 1 must match exactly.
    if (target === null || source === null || typeof target === "string" || typeof source === "string") {
      throw new Error(`${where}: cannot tell whether axis ${axis} was broadcast ([${from}] to [${to}]); run shape inference first`);
    }
    throw new Error(`${where}: shape [${to}] does not broadcast to [${from}]`);
  }
  return axes;
}

/** dX = Reshape(ReduceSum(dY, broadcast axes)) — returns `grad` itself when nothing was broadcast. */
export function reduceToShape(builder: BackwardBuilder, prefix: string, grad: string, gradShape: readonly Dim[], input: string): string {
  const inputShape = builder.info.shape(input);
  const axes = broadcastAxes(gradShape, inputShape, `gradient of '${input}'`);
  if (axes.length === 0) return grad;
  const axesName = builder.int64s(`${prefix}_axes`, axes);
  // dX = Σ_broadcast-axes dY
  const [summed] = builder.addNode("ReduceSum", [grad, axesName], [`${prefix}_summed`], { keepdims: { kind: "int", value: 1 } });
  if (gradShape.length === inputShape.length) return summed!;
  const known = builder.info.staticShape(input);
  const target = known ? builder.int64s(`${prefix}_shape`, known) : builder.addNode("Shape", [input], [`${prefix}_shape`])[0]!;
  // dX = reshape(Σ dY, shape(X)) drops the leading broadcast axes
  return builder.addNode("Reshape", [summed!, target], [`${prefix}_reduced`])[0]!;
}
