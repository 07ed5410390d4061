/**
 * ONNX Runtime settings the Trainer's sessions use unless its `session` config sets them.
 * - Memory pattern off: with it, ONNX Runtime keeps the arena the first run grew to and adds the
 *   planned block on top (MobileNetV2 full step, batch 16: peak RSS 2.3 GB with it, 1.4 GB
 *   without, step time within 3%).
 * - Optimization level "extended" for train steps whose backward pass runs through convolutions:
 *   at "all" ORT converts the convolutions to its blocked NCHWc layout and reorders every
 *   activation the backward pass reads (MobileNetV2 full step 25% slower than at "extended";
 *   the frozen-with-BN step about the same). Head-only steps keep ORT's default ("all").
 * Measurements: docs/performance.md.
 */
import type { Graph, Model } from "../onnx/ir.ts";
import type { SessionOptions } from "../runtime/session.ts";

/** Whether the graph holds gradient nodes of a convolution (the autodiff names them `<node>_grad/…`). */
export function backwardThroughConvolutions(graph: Graph): boolean {
  return graph.nodes.some((node) => (node.opType === "Conv" || node.opType === "ConvTranspose") && node.name.includes("_grad/"));
}

export function trainSessionDefaults(model: Model): SessionOptions {
  return { enableMemPattern: false, ...(backwardThroughConvolutions(model.graph) ? { graphOptimizationLevel: "extended" as const } : {}) };
}

export const EVAL_SESSION_DEFAULTS: SessionOptions = { enableMemPattern: false };
