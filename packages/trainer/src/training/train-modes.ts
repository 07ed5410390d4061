/**
 * What only the train step's graph switches on, after the loss is added and before the
 * backward pass is built: Dropout in training mode (dropout.ts), and with loss.targets "soft"
 * a float [batch, classes] "targets" feed in place of the int64 labels (exact mixup). Eval and
 * inference graphs keep labels and identity Dropout.
 */
import type { Graph } from "../onnx/ir.ts";
import { useTrainingDropout } from "./dropout.ts";
import type { LossConfig } from "./loss.ts";
import { useSoftTargets } from "./loss.ts";

export const TARGETS = "targets";

export interface TrainModes {
  loss: LossConfig;
  /** Seed of the Dropout masks (see dropout.ts); default 0. */
  dropoutSeed?: number;
}

export function useTrainModes(graph: Graph, modes: TrainModes, labels: string): void {
  if (modes.loss.targets === "soft") useSoftTargets(graph, labels, TARGETS);
  useTrainingDropout(graph, modes.dropoutSeed ?? 0);
}
