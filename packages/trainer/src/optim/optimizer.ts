/**
 * The contract every optimizer follows: it names the state tensors it keeps per parameter
 * (same shape as the parameter, zero at the start, as in PyTorch) and emits graph nodes that
 * compute each new parameter and new state tensor from the current ones.
 */
import type { Graph } from "../onnx/ir.ts";

/** One trainable parameter as the update sees it. */
export interface ParamSlot {
  /** The parameter's tensor name (a graph input of the train-step graph). */
  param: string;
  /** The name of its gradient tensor. */
  gradient: string;
  /** Index of its parameter group, i.e. of its learning-rate input. */
  group: number;
  /** Weight decay for this parameter (0 for none). */
  weightDecay: number;
}

/** Graph tensors the update reads, all float32 scalars. */
export interface UpdateInputs {
  /** One learning-rate scalar per parameter group. */
  learningRates: readonly string[];
  /** SGD momentum / Adam beta1, when it is scheduled (one-cycle); else the config's constant. */
  momentum?: string;
}

export interface UpdateOutputs {
  /** Parameter name → name of its updated value. */
  params: Map<string, string>;
  /** State tensor name → name of its updated value. */
  state: Map<string, string>;
}

/** A state tensor kept for one parameter: shaped like it, or a scalar (a step count). Starts at zero. */
export interface StateSlot {
  name: string;
  shape: "param" | "scalar";
}

export interface Optimizer {
  readonly kind: string;
  /** The state tensors kept for one parameter, all zero at the start (as in PyTorch). */
  stateSlots(param: string): StateSlot[];
  emitUpdate(graph: Graph, inputs: UpdateInputs, params: readonly ParamSlot[]): UpdateOutputs;
}

/** The name an updated tensor gets (a graph output that is fed back as `name` next step). */
export function nextName(name: string): string {
  return `${name}.next`;
}

export function requireLearningRate(inputs: UpdateInputs, slot: ParamSlot): string {
  const lr = inputs.learningRates[slot.group];
  if (lr === undefined) {
    throw new Error(`parameter '${slot.param}': group ${slot.group} has no learning-rate input (${inputs.learningRates.length} groups)`);
  }
  return lr;
}

export function checkRange(field: string, value: number, min: number, max: number, rule: string): void {
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${field} must be ${rule}, got ${value}`);
}
