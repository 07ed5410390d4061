/** Start and finish of every synthetic model: the "input" feed and the "logits" output. */
import type { Model } from "../../onnx/ir.ts";
import { createModel } from "../../onnx/ir.ts";
import type { Feature, ParameterSpec, ResolvedOptions } from "./context.ts";
import { ModelContext } from "./context.ts";
import type { Vector } from "./layers.ts";

export interface SyntheticModel {
  model: Model;
  /** Every parameter and buffer, in creation order (the order of a PyTorch state_dict). */
  parameters: ParameterSpec[];
}

export const INPUT_NAME = "input";
export const OUTPUT_NAME = "logits";

export function startModel(architecture: string, options: ResolvedOptions): { ctx: ModelContext; input: Feature } {
  const ctx = new ModelContext(architecture, options.seed, options.parameterStorage);
  const size = options.resolution;
  ctx.builder.input(INPUT_NAME, "float32", ["batch", 3, size, size]);
  return { ctx, input: { name: INPUT_NAME, channels: 3, height: size, width: size } };
}

export function finishModel(ctx: ModelContext, logits: Vector, architecture: string, options: ResolvedOptions): SyntheticModel {
  ctx.builder.output(OUTPUT_NAME, "float32", ["batch", logits.size], logits.name);
  const model = createModel(ctx.builder.build());
  model.producerName = "runboard-synthetic";
  model.metadata = {
    architecture,
    seed: String(options.seed),
    widthMultiplier: String(options.widthMultiplier),
    depthMultiplier: String(options.depthMultiplier),
  };
  return { model, parameters: ctx.parameters };
}

/** Number of trained values (weights, biases, BN γ and β; not running statistics). */
export function trainableParameterCount(parameters: readonly ParameterSpec[]): number {
  let count = 0;
  for (const p of parameters) if (p.trainable) count += p.dims.reduce((a, d) => a * d, 1);
  return count;
}
