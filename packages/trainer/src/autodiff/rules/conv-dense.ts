/**
 * Dense (one group) Conv weight gradient as GEMMs over shifted slices of the input: for each
 * kernel offset t, X_t[n, cᵢ, p] = X_pad[n, cᵢ, p·s + t·d], and
 *   dW[cₒ, cᵢ, t] = Σₙ Σₚ dY[n, cₒ, p] · X_t[n, cᵢ, p] = Σₙ (dYₙ · X_tₙᵀ)[cₒ, cᵢ]
 * Offsets are stacked (an im2col of X, in chunks to bound memory) so that one batched MatMul
 * per chunk does the work, followed by a sum over the batch of the small [cₒ, t·cᵢ] results.
 */
import type { RuleContext } from "../context.ts";
import type { Window } from "./window.ts";

const ints = (value: number[]) => ({ kind: "ints" as const, value });

/** Largest stacked slice tensor per chunk, in elements (64 MB of float32). */
const MAX_STACKED_ELEMENTS = 16 * 1024 * 1024;

export function paddedInput(ctx: RuleContext, window: Window): string {
  const rank = window.kernel.length;
  if (window.pads.every((p) => p === 0)) return ctx.input(0);
  const pads = [0, 0, ...window.pads.slice(0, rank), 0, 0, ...window.pads.slice(rank)];
  return ctx.emit("Pad", [ctx.input(0), ctx.int64s("X_pads", pads)], "X_padded");
}

export function kernelOffsets(kernel: number[]): number[][] {
  let offsets: number[][] = [[]];
  for (const size of kernel) offsets = offsets.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i]));
  return offsets;
}

/** X_pad[…, p·s + offset·d] for every output position p: a strided Slice of the padded input. */
export function shiftedSlice(ctx: RuleContext, padded: string, window: Window, outSize: number[], offset: number[]): string {
  const label = offset.join("_");
  const axes = offset.map((_, i) => i + 2);
  const starts = offset.map((o, i) => o * window.dilations[i]!);
  const ends = starts.map((start, i) => start + (outSize[i]! - 1) * window.strides[i]! + 1);
  return ctx.emit(
    "Slice",
    [
      padded,
      ctx.int64s(`start_${label}`, starts),
      ctx.int64s(`end_${label}`, ends),
      ctx.int64s("offset_axes", axes),
      ctx.int64s("offset_steps", window.strides),
    ],
    `X_at_${label}`,
  );
}

function chunked<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Batched over images, for large maps: the per-image GEMMs have an inner dimension of H′·W′. */
function batched(ctx: RuleContext, batch: number, outSize: number[], weight: number[], window: Window): string {
  const [outChannels, inChannels, ...kernel] = weight as [number, number, ...number[]];
  const outArea = outSize.reduce((a, b) => a * b, 1);
  const padded = paddedInput(ctx, window);
  const dY = ctx.emit("Reshape", [ctx.gradOut(0), ctx.int64s("dY_3d_shape", [0, outChannels, outArea])], "dY_3d");
  const sliceShape = ctx.int64s("slice_shape", [0, 1, inChannels, outArea]);
  const offsets = kernelOffsets(kernel);
  const perChunk = Math.max(1, Math.floor(MAX_STACKED_ELEMENTS / (batch * inChannels * outArea)));
  const parts = chunked(offsets, perChunk).map((chunk, i) => {
    const slices = chunk.map((offset) => ctx.emit("Reshape", [shiftedSlice(ctx, padded, window, outSize, offset), sliceShape], `X_at_${offset.join("_")}_3d`));
    // X_cols[n, (t, cᵢ), p] for the offsets t of this chunk
    const stacked = slices.length === 1 ? slices[0]! : ctx.emit("Concat", slices, `X_stacked_${i}`, { axis: { kind: "int", value: 1 } });
    const columns = ctx.emit("Reshape", [stacked, ctx.int64s(`X_cols_shape_${i}`, [0, chunk.length * inChannels, outArea])], `X_cols_${i}`);
    const columnsT = ctx.emit("Transpose", [columns], `X_cols_T_${i}`, { perm: ints([0, 2, 1]) });
    // per image: dYₙ · X_colsₙᵀ = [cₒ, (t, cᵢ)]; then Σₙ
    const perImage = ctx.emit("MatMul", [dY, columnsT], `dW_per_image_${i}`);
    return ctx.emit("ReduceSum", [perImage, ctx.int64s("batch_axis", [0])], `dW_part_${i}`, { keepdims: { kind: "int", value: 0 } });
  });
  return fromOffsetMajor(ctx, parts, weight);
}

/** Parts [cₒ, (t, cᵢ)] of consecutive offsets → dW [cₒ, cᵢ, k…]. */
function fromOffsetMajor(ctx: RuleContext, parts: string[], weight: number[]): string {
  const [outChannels, inChannels, ...kernel] = weight as [number, number, ...number[]];
  const taps = kernel.reduce((a, b) => a * b, 1);
  const all = parts.length === 1 ? parts[0]! : ctx.emit("Concat", parts, "dW_parts", { axis: { kind: "int", value: 1 } });
  const byOffset = ctx.emit("Reshape", [all, ctx.int64s("dW_by_offset_shape", [outChannels, taps, inChannels])], "dW_by_offset");
  const byChannel = ctx.emit("Transpose", [byOffset], "dW_by_channel", { perm: ints([0, 2, 1]) });
  return ctx.emit("Reshape", [byChannel, ctx.int64s("W_shape", weight)], "dW");
}

/**
 * Channel-major, for small maps: Xᵀ[cᵢ, n, …] and dYᵀ[cₒ, (n, p)] once (small tensors there), then
 * per offset dW[cₒ, cᵢ, t] = dYᵀ · X_tᵀ with the batch inside the GEMM's inner dimension: a few
 * large GEMMs instead of N GEMMs with an inner dimension of only H′·W′.
 */
function channelMajor(ctx: RuleContext, outSize: number[], weight: number[], window: Window): string {
  const [outChannels, inChannels, ...kernel] = weight as [number, number, ...number[]];
  const rank = kernel.length;
  const swapBatch = { perm: ints([1, 0, ...kernel.map((_, i) => i + 2)]) };
  const xT = ctx.emit("Transpose", [ctx.input(0)], "X_T", swapBatch);
  const pads = [0, 0, ...window.pads.slice(0, rank), 0, 0, ...window.pads.slice(rank)];
  const padded = window.pads.every((p) => p === 0) ? xT : ctx.emit("Pad", [xT, ctx.int64s("X_T_pads", pads)], "X_T_padded");
  const dY = ctx.emit("Reshape", [ctx.emit("Transpose", [ctx.gradOut(0)], "dY_T", swapBatch), ctx.int64s("dY_T_2d_shape", [outChannels, -1])], "dY_T_2d");
  const sliceShape = ctx.int64s("slice_shape", [inChannels, -1]);
  const parts = kernelOffsets(kernel).map((offset) => {
    const label = offset.join("_");
    const slice = ctx.emit("Reshape", [shiftedSlice(ctx, padded, window, outSize, offset), sliceShape], `X_T_at_${label}_2d`);
    // dW[:, :, t] = dYᵀ[cₒ, (n, p)] · X_t[cᵢ, (n, p)]ᵀ
    return ctx.emit("MatMul", [dY, ctx.emit("Transpose", [slice], `X_T_at_${label}_T`, { perm: ints([1, 0]) })], `dW_at_${label}`);
  });
  return fromOffsetMajor(ctx, parts, weight);
}

// Measured against the convolution formulation (forward + dW, batch 16, ORT 1.30 CPU, 1 and 2
// threads; docs/performance.md): batched ran 0.9–2× as fast on 28²–56² outputs and 5–12× on 1×1
// stride-2 layers, channel-major 1.3× on 7²–14² where the batched GEMMs' inner dimension is
// short; a 7×7 stem over 3 channels (49 strided slices of the image) ran 1.5× slower, so it keeps
// the convolution.
const BATCHED_MIN_AREA = 28 * 28;

/** Whether the slice formulation pays for this (one group) convolution. */
export function slicesPay(weight: number[]): boolean {
  const [, inChannels, ...kernel] = weight as [number, number, ...number[]];
  return kernel.reduce((a, b) => a * b, 1) <= 9 || inChannels >= 16;
}

export function denseWeightGradientBySlices(ctx: RuleContext, batch: number, outSize: number[], weight: number[], window: Window): string {
  const area = outSize.reduce((a, b) => a * b, 1);
  return area >= BATCHED_MIN_AREA ? batched(ctx, batch, outSize, weight, window) : channelMajor(ctx, outSize, weight, window);
}
