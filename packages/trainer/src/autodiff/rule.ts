/** What a gradient rule is: one op's derivative, written against the RuleContext vocabulary. */
import type { Dim } from "../onnx/ir.ts";
import type { RuleContext } from "./context.ts";

/**
 * A gradient for one input. A plain name has the input's shape. `{ name, shape }` has a shape
 * the input was broadcast to; the walker sums it back to the input's shape.
 */
export type InputGradient = string | { name: string; shape: Dim[] } | undefined;

export interface GradientRule {
  /** Inputs that never carry a gradient (indices, shapes, running statistics). */
  nonDifferentiable?: readonly number[];
  /** Gradients by input index; only called when some input needs one. */
  backward(ctx: RuleContext): InputGradient[];
}

/** An op whose outputs do not depend differentiably on its inputs (Shape, comparisons, ...). */
export const NO_GRADIENT = "no-gradient" as const;

export type RuleEntry = GradientRule | typeof NO_GRADIENT;

export class UnsupportedOpError extends Error {
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    detail = "no gradient rule is registered for it",
  ) {
    super(`cannot differentiate ${opType} node '${nodeName}': ${detail}`);
    this.name = "UnsupportedOpError";
  }
}
