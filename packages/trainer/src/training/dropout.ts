/**
 * Dropout in train graphs. Models carry Dropout as inference graphs do (an identity); the train
 * step switches every Dropout to training mode (a constant true training_mode input) and gives
 * each its own seed attribute. ONNX Runtime seeds a node's generator once per session and
 * advances it every run, so masks differ from step to step and repeat exactly for the same seed
 * and the same steps. The train session is built at some step and kept while the trainable set
 * stays; its seed mixes the configured seed with that step, so a run resumed from a checkpoint
 * (a new session) does not replay the masks of the first steps. Eval and inference graphs keep
 * Dropout as the identity.
 */
import type { Graph } from "../onnx/ir.ts";
import { attr } from "../onnx/ir.ts";

const TRAINING_MODE = "dropout/training_mode";

/** A 31-bit seed from the configured seed and the step the session is built at (murmur3 finalizer). */
export function dropoutSeed(seed: number, step: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(step | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) & 0x7fffffff;
}

/** Puts every Dropout node into training mode, each with a seed of its own derived from `seed`. */
export function useTrainingDropout(graph: Graph, seed: number): void {
  const dropouts = graph.nodes.filter((n) => n.opType === "Dropout" && (n.domain === "" || n.domain === "ai.onnx"));
  if (dropouts.length === 0) return;
  graph.initializers.set(TRAINING_MODE, { dataType: "bool", dims: [], data: Uint8Array.of(1) });
  dropouts.forEach((node, index) => {
    // inputs: data, ratio ("" keeps ONNX's default 0.5), training_mode
    node.inputs = [node.inputs[0]!, node.inputs[1] ?? "", TRAINING_MODE];
    node.attributes = { ...node.attributes, seed: attr.int(dropoutSeed(seed, index + 1)) };
  });
}
