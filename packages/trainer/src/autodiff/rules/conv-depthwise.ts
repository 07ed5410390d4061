/**
 * Depthwise Conv weight gradient without a convolution: for each kernel offset (i, j),
 * dW[c, 0, i, j] = Σ_{n, p} X_pad[n, c, p·s + (i, j)·d] · dY[n, c, p], a strided Slice of the
 * padded input times dY, summed over batch and space. k·k cheap elementwise passes instead of
 * C tiny grouped GEMMs over an H'×W' kernel.
 */
import type { RuleContext } from "../context.ts";
import type { Window } from "./window.ts";

export function depthwiseWeightGradientBySlices(ctx: RuleContext, inSize: number[], outSize: number[], window: Window, channels: number): string {
  const rank = inSize.length;
  const spatialAxes = [...Array(rank).keys()].map((i) => i + 2);
  const hasPads = window.pads.some((p) => p !== 0);
  const padded = hasPads
    ? ctx.emit("Pad", [ctx.input(0), ctx.int64s("X_pads", [0, 0, ...window.pads.slice(0, rank), 0, 0, ...window.pads.slice(rank)])], "X_padded")
    : ctx.input(0);
  const axes = ctx.int64s("offset_axes", spatialAxes);
  const steps = ctx.int64s("offset_steps", window.strides);
  const sumAxes = ctx.int64s("sum_axes", [0, ...spatialAxes]);
  const parts: string[] = [];
  for (const offset of kernelOffsets(window.kernel)) {
    const label = offset.join("_");
    const starts = offset.map((o, i) => o * window.dilations[i]!);
    const ends = starts.map((start, i) => start + (outSize[i]! - 1) * window.strides[i]! + 1);
    const shifted = ctx.emit("Slice", [padded, ctx.int64s(`start_${label}`, starts), ctx.int64s(`end_${label}`, ends), axes, steps], `X_at_${label}`);
    // dW[:, 0, offset] = Σ_{n, p} X_pad[n, :, p·s + offset·d] ⊙ dY[n, :, p]
    const product = ctx.emit("Mul", [shifted, ctx.gradOut(0)], `X_dY_at_${label}`);
    parts.push(ctx.emit("ReduceSum", [product, sumAxes], `dW_at_${label}`, { keepdims: { kind: "int", value: 1 } }));
  }
  // parts are [1, C, 1, …]; concatenated along axis 0 they are [k·k, C, 1, …]
  const stacked = ctx.emit("Concat", parts, "dW_offsets", { axis: { kind: "int", value: 0 } });
  const byChannel = ctx.emit("Transpose", [ctx.emit("Reshape", [stacked, ctx.int64s("offsets_by_channel", [-1, channels])], "dW_offsets_2d")], "dW_channels", {
    perm: { kind: "ints", value: [1, 0] },
  });
  return ctx.emit("Reshape", [byChannel, ctx.int64s("W_shape", [channels, 1, ...window.kernel])], "dW");
}

function kernelOffsets(kernel: number[]): number[][] {
  let offsets: number[][] = [[]];
  for (const size of kernel) offsets = offsets.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i]));
  return offsets;
}
