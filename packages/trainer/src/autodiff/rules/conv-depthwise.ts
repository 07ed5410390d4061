/**
 * Depthwise Conv weight gradient without a convolution: for each kernel offset (i, j),
 * dW[c, 0, i, j] = Σ_{n, p} X_pad[n, c, p·s + (i, j)·d] · dY[n, c, p], a strided Slice of the
 * padded input times dY, summed over batch and space. k·k cheap elementwise passes instead of
 * C tiny grouped GEMMs over an H'×W' kernel.
 */
import type { RuleContext } from "../context.ts";
import { weightGradientReach, type Window } from "./window.ts";

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

/** The domain of ONNX Runtime's blocked-layout CPU kernels (ReorderInput, Conv, ReorderOutput). */
export const NCHWC_DOMAIN = "com.microsoft.nchwc";

/**
 * Depthwise Conv weight gradient in ONNX Runtime's blocked NCHWc layout: one grouped Conv whose
 * groups are the (image, channel) pairs, X as one image of G = N·C channels and dY as G
 * single-channel kernels (stride and dilation swapped), then the N per-image results summed.
 * ORT converts only convolutions with constant weights to NCHWc itself; here the kernel is dY,
 * so the graph does it: X through ReorderInput, dY reordered to the blocked filter layout
 * [G/B, 1, H′, W′, B] by a ReorderInput too. 4–6× faster than the grouped Conv in NCHW on
 * MobileNetV2's layers (docs/performance.md). Needs G divisible by the block size B.
 */
export function depthwiseWeightGradientNchwc(ctx: RuleContext, batch: number, inSize: number[], outSize: number[], window: Window, channels: number): string {
  const groups = batch * channels;
  const xOneImage = ctx.emit("Reshape", [ctx.input(0), ctx.int64s("X_as_one_image", [1, groups, ...inSize])], "X_one_image");
  const xBlocked = ctx.emit("ReorderInput", [xOneImage], "X_nchwc", {}, NCHWC_DOMAIN);
  // The filter layout [G/B, 1, H′, W′, B] holds the same bytes as dY as one image of G channels
  // in NCHWc, [1, G/B, H′, W′, B]: ReorderInput writes it (2.5× faster than a Transpose).
  const dYOneImage = ctx.emit("Reshape", [ctx.gradOut(0), ctx.int64s("dY_as_one_image", [1, groups, ...outSize])], "dY_one_image");
  const dYBlocked = ctx.emit("ReorderInput", [dYOneImage], "dY_blocked", {}, NCHWC_DOMAIN);
  const kernels = ctx.emit("Reshape", [dYBlocked, ctx.int64s("dY_kernel_shape", [groups, 1, ...outSize])], "dY_kernels");
  const perImageBlocked = ctx.emit(
    "Conv",
    [xBlocked, kernels],
    "dW_per_image_nchwc",
    {
      kernel_shape: { kind: "ints", value: outSize },
      strides: { kind: "ints", value: window.dilations },
      dilations: { kind: "ints", value: window.strides },
      pads: { kind: "ints", value: window.pads },
      group: { kind: "int", value: groups },
    },
    NCHWC_DOMAIN,
  );
  let perImage = ctx.emit("ReorderOutput", [perImageBlocked], "dW_per_image", { channels: { kind: "int", value: groups } }, NCHWC_DOMAIN);
  const reach = weightGradientReach(window, inSize, outSize);
  if (reach.some((r, i) => r !== window.kernel[i])) {
    const whole = ctx.emit("Reshape", [perImage, ctx.int64s("dW_reach_shape", [1, groups, ...reach])], "dW_per_image_reach");
    perImage = ctx.emit(
      "Slice",
      [whole, ctx.int64s("kernel_start", [0, 0]), ctx.int64s("kernel_end", window.kernel), ctx.int64s("kernel_axes", [2, 3])],
      "dW_per_image_cut",
    );
  }
  const byImage = ctx.emit("Reshape", [perImage, ctx.int64s("dW_by_image_shape", [batch, channels, ...window.kernel])], "dW_by_image");
  const summed = ctx.emit("ReduceSum", [byImage, ctx.int64s("image_axis", [0])], "dW_summed", { keepdims: { kind: "int", value: 0 } });
  return ctx.emit("Reshape", [summed, ctx.int64s("W_shape", [channels, 1, ...window.kernel])], "dW");
}
