/**
 * Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ (L2 norm over all
 * trainable parameters together):
 *   n = √(Σᵢ ‖gᵢ‖²)      c = min(1, maxNorm / (n + 1e-6))      gᵢ ← c·gᵢ
 */
import type { Graph } from "../onnx/ir.ts";
import { attr } from "../onnx/ir.ts";
import { UpdateEmitter } from "./emitter.ts";

export interface ClippedGradients {
  /** Gradient name → name of its clipped value, in the order given. */
  gradients: Map<string, string>;
  /** The global norm before clipping (a float32 scalar), worth reporting. */
  norm: string;
}

export function emitGlobalNormClip(graph: Graph, gradients: readonly string[], maxNorm: number): ClippedGradients {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new Error(`gradientClipping.maxNorm must be a finite number > 0, got ${maxNorm}`);
  if (gradients.length === 0) throw new Error("gradient clipping needs at least one trainable parameter");
  const e = new UpdateEmitter(graph, "clip");
  // No axes: reduce over every axis (the same meaning in opset 13 and 18).
  const squares = gradients.map((g, i) => e.op("ReduceSumSquare", [g], `sum_sq_${i}`, { keepdims: attr.int(0) }));
  const total = squares.length === 1 ? squares[0]! : e.op("Sum", squares, "sum_sq_total");
  const norm = e.op("Sqrt", [total], "global_norm");
  const ratio = e.op("Div", [e.scalar(maxNorm), e.op("Add", [norm, e.scalar(1e-6)], "norm_eps")], "ratio");
  const coefficient = e.op("Min", [ratio, e.scalar(1)], "coefficient");
  const clipped = new Map<string, string>();
  gradients.forEach((g, i) => clipped.set(g, e.op("Mul", [g, coefficient], `clipped_${i}`)));
  return { gradients: clipped, norm };
}
