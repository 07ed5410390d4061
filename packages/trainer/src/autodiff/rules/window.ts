/** Sliding-window geometry shared by Conv and pooling gradients: explicit pads, and the transposed window. */
import { getInts, getString } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";

export interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** [begin₀, begin₁, …, end₀, end₁, …] as ONNX lists them, auto_pad resolved. */
  pads: number[];
}

/** The window of a Conv or pool node over input spatial dims `inSize` producing `outSize`. */
export function windowOf(ctx: RuleContext, kernel: number[], inSize: number[], outSize: number[]): Window {
  const rank = kernel.length;
  const strides = getInts(ctx.node, "strides") ?? kernel.map(() => 1);
  const dilations = getInts(ctx.node, "dilations") ?? kernel.map(() => 1);
  const autoPad = getString(ctx.node, "auto_pad", "NOTSET");
  let pads = getInts(ctx.node, "pads") ?? new Array<number>(rank * 2).fill(0);
  if (autoPad === "VALID") pads = new Array<number>(rank * 2).fill(0);
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    pads = new Array<number>(rank * 2).fill(0);
    for (let i = 0; i < rank; i++) {
      const total = Math.max(0, (outSize[i]! - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - inSize[i]!);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === "SAME_UPPER" ? small : total - small;
      pads[i + rank] = total - pads[i]!;
    }
  }
  return { kernel, strides, dilations, pads };
}

/**
 * Kernel size of the weight gradient computed as a convolution of X with dY as the kernel
 * (strides and dilations swapped): every kernel offset whose window of dY fits the padded input.
 * It exceeds the forward kernel where the last rows of the padded input are reached by no
 * window (a stride that does not divide evenly); the gradient keeps the first `kernel` offsets.
 */
export function weightGradientReach(window: Window, inSize: number[], outSize: number[]): number[] {
  const rank = window.kernel.length;
  return window.kernel.map((_, i) => {
    const span = (outSize[i]! - 1) * window.strides[i]! + 1;
    return Math.floor((inSize[i]! + window.pads[i]! + window.pads[i + rank]! - span) / window.dilations[i]!) + 1;
  });
}

/**
 * ConvTranspose(dY, weight) with the window of the forward op, cut or zero-extended to exactly
 * `target` spatial size: output_padding adds the rows no window reached, a larger end pad drops
 * rows a ceil-mode window invented past the input.
 */
export function transposedWindow(
  ctx: RuleContext,
  dY: string,
  weight: string,
  window: Window,
  outSize: number[],
  target: number[],
  group: number,
  label: string,
): string {
  const rank = window.kernel.length;
  const pads = [...window.pads];
  const outputPadding = new Array<number>(rank).fill(0);
  for (let i = 0; i < rank; i++) {
    const reach = (outSize[i]! - 1) * window.strides[i]! + (window.kernel[i]! - 1) * window.dilations[i]! + 1;
    const natural = reach - pads[i]! - pads[i + rank]!;
    if (natural <= target[i]!) outputPadding[i] = target[i]! - natural;
    else pads[i + rank]! += natural - target[i]!;
  }
  const ints = (value: number[]) => ({ kind: "ints" as const, value });
  return ctx.emit("ConvTranspose", [dY, weight], label, {
    strides: ints(window.strides),
    dilations: ints(window.dilations),
    pads: ints(pads),
    output_padding: ints(outputPadding),
    group: { kind: "int", value: group },
  });
}
