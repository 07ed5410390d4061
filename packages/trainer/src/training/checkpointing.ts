/**
 * Trainer state to and from a single checkpoint file (safetensors, see checkpoint/): every
 * parameter, running statistic and optimizer state tensor, the step count, the optimizer
 * settings, the layer groups with their last learning rates and the freeze setting.
 */
import { readCheckpoint, writeCheckpoint } from "../checkpoint/index.ts";
import type { JsonValue } from "../checkpoint/index.ts";
import type { OptimizerConfig } from "../optim/index.ts";
import type { LayerGroup } from "./layer-groups.ts";
import { irTensorOf, ortTensorOf } from "./tensors.ts";
import type { TrainerState } from "./trainer.ts";

export interface CheckpointContext {
  optimizer: OptimizerConfig;
  groups: readonly LayerGroup[];
  learningRates: readonly number[];
}

export function saveTrainerState(path: string, state: TrainerState, context: CheckpointContext): void {
  const tensors = new Map([...state.values, ...state.optimizerState].map(([name, t]) => [name, irTensorOf(t, name)]));
  writeCheckpoint(path, {
    tensors,
    step: state.stepCount,
    optimizer: { name: context.optimizer.kind, settings: context.optimizer as unknown as Record<string, JsonValue> },
    paramGroups: context.groups.map((g, i) => ({ name: g.name, parameters: g.parameters, learningRate: context.learningRates[i] ?? 0 })),
    rngState: null,
    extra: { freezeTo: String(state.freezeTo), optimizerState: JSON.stringify([...state.optimizerState.keys()]) },
  });
}

/** Reads a checkpoint for a trainer whose parameters are `parameterNames`. */
export function loadTrainerState(path: string, parameterNames: ReadonlySet<string>, context: Omit<CheckpointContext, "learningRates">): TrainerState {
  const checkpoint = readCheckpoint(path);
  if (checkpoint.optimizer.name !== context.optimizer.kind) {
    throw new Error(`checkpoint '${path}': it was written by optimizer '${checkpoint.optimizer.name}', this trainer uses '${context.optimizer.kind}'`);
  }
  const freezeTo = Number(checkpoint.extra?.freezeTo);
  if (!Number.isInteger(freezeTo)) throw new Error(`checkpoint '${path}': extra.freezeTo must be an integer, got ${checkpoint.extra?.freezeTo}`);
  const stateNames = new Set(JSON.parse(checkpoint.extra?.optimizerState ?? "[]") as string[]);
  const values = new Map();
  const optimizerState = new Map();
  for (const [name, tensor] of checkpoint.tensors) {
    if (parameterNames.has(name)) values.set(name, ortTensorOf(tensor, name));
    else if (stateNames.has(name)) optimizerState.set(name, ortTensorOf(tensor, name));
    else throw new Error(`checkpoint '${path}': tensor '${name}' is neither a parameter of this model nor optimizer state`);
  }
  return { stepCount: checkpoint.step, freezeTo, values, optimizerState };
}
