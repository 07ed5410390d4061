export type { Optimizer, ParamSlot, StateSlot, UpdateInputs, UpdateOutputs } from "./optimizer.ts";
export { nextName } from "./optimizer.ts";
export { createSgd, type SgdConfig } from "./sgd.ts";
export { createAdamW, type AdamWConfig } from "./adamw.ts";
export { emitGlobalNormClip, type ClippedGradients } from "./clip.ts";
export * from "./schedules.ts";
export * from "./discriminative.ts";

import type { Optimizer } from "./optimizer.ts";
import { createAdamW, type AdamWConfig } from "./adamw.ts";
import { createSgd, type SgdConfig } from "./sgd.ts";

export type OptimizerConfig = SgdConfig | AdamWConfig;

export function createOptimizer(config: OptimizerConfig): Optimizer {
  switch (config.kind) {
    case "sgd":
      return createSgd(config);
    case "adamw":
      return createAdamW(config);
    default:
      throw new Error(`optimizer.kind must be "sgd" or "adamw", got '${(config as { kind: unknown }).kind}'`);
  }
}
