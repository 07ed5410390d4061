/**
 * Training checkpoints: parameters and optimizer state as tensors, plus step, optimizer,
 * parameter groups and RNG state in the safetensors "__metadata__" map, in one file.
 * The format is described in docs/checkpoint-format.md.
 */
import type { Tensor } from "../onnx/ir.ts";
import { readSafetensors, writeSafetensors } from "./safetensors.ts";

export const CHECKPOINT_FORMAT = "runboard.checkpoint";
export const CHECKPOINT_FORMAT_VERSION = 1;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ParamGroupRecord {
  /** Names of the parameter tensors in this group. */
  parameters: string[];
  learningRate: number;
  /** Other per-group settings (weightDecay, name, ...). */
  [setting: string]: JsonValue;
}

export interface Checkpoint {
  /** Parameters and optimizer state, by name. */
  tensors: Map<string, Tensor>;
  step: number;
  optimizer: { name: string; settings: Record<string, JsonValue> };
  paramGroups: ParamGroupRecord[];
  /** Whatever the random generators need to resume (seeds, states). */
  rngState: JsonValue;
  /** Free-form strings kept with the checkpoint (architecture, run id, ...). */
  extra?: Record<string, string>;
}

const RESERVED_KEYS = ["format", "format_version", "step", "optimizer", "optimizer_settings", "param_groups", "rng_state"] as const;
const EXTRA_PREFIX = "extra.";

export interface ReadCheckpointOptions {
  /** Largest header accepted, in bytes (default 100 MB). */
  maxHeaderBytes?: number;
}

export function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  validateCheckpoint(checkpoint);
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    format_version: String(CHECKPOINT_FORMAT_VERSION),
    step: String(checkpoint.step),
    optimizer: checkpoint.optimizer.name,
    optimizer_settings: JSON.stringify(checkpoint.optimizer.settings),
    param_groups: JSON.stringify(checkpoint.paramGroups),
    rng_state: JSON.stringify(checkpoint.rngState),
  };
  for (const [key, value] of Object.entries(checkpoint.extra ?? {})) metadata[`${EXTRA_PREFIX}${key}`] = value;
  try {
    writeSafetensors(path, { tensors: checkpoint.tensors, metadata });
  } catch (error) {
    throw new Error(`checkpoint '${path}': ${(error as Error).message}`, { cause: error });
  }
}

export function readCheckpoint(path: string, options: ReadCheckpointOptions = {}): Checkpoint {
  try {
    const { tensors, metadata } = readSafetensors(path, options.maxHeaderBytes);
    return { tensors, ...checkpointFields(metadata, new Set(tensors.keys())) };
  } catch (error) {
    throw new Error(`checkpoint '${path}': ${(error as Error).message}`, { cause: error });
  }
}

function validateCheckpoint(checkpoint: Checkpoint): void {
  if (!Number.isSafeInteger(checkpoint.step) || checkpoint.step < 0) throw new Error(`step must be a non-negative integer, got ${checkpoint.step}`);
  if (typeof checkpoint.optimizer.name !== "string" || checkpoint.optimizer.name === "") throw new Error("optimizer.name must be a non-empty string");
  validateParamGroups(checkpoint.paramGroups, "paramGroups", new Set(checkpoint.tensors.keys()));
  for (const [key, value] of Object.entries(checkpoint.extra ?? {})) {
    if (typeof value !== "string") throw new Error(`extra.${key} must be a string`);
  }
}

function validateParamGroups(value: unknown, field: string, tensorNames?: ReadonlySet<string>): asserts value is ParamGroupRecord[] {
  if (!Array.isArray(value)) throw new Error(`${field} must be a list`);
  for (const [i, group] of value.entries()) {
    const where = `${field}[${i}]`;
    if (typeof group !== "object" || group === null) throw new Error(`${where} must be an object`);
    const { parameters, learningRate } = group as Record<string, unknown>;
    if (!Array.isArray(parameters) || !parameters.every((p) => typeof p === "string")) throw new Error(`${where}.parameters must be a list of tensor names`);
    if (typeof learningRate !== "number" || !Number.isFinite(learningRate) || learningRate < 0)
      throw new Error(`${where}.learningRate must be a non-negative number`);
    const missing = tensorNames ? parameters.find((p) => !tensorNames.has(p)) : undefined;
    if (missing !== undefined) throw new Error(`${where}.parameters names '${missing}', which is not a tensor of the checkpoint`);
  }
}

function parseJsonField(metadata: Record<string, string>, key: string): JsonValue {
  const text = metadata[key];
  if (text === undefined) throw new Error(`__metadata__.${key} is missing`);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new Error(`__metadata__.${key} is not valid JSON: ${(error as Error).message}`);
  }
}

function checkpointFields(metadata: Record<string, string>, tensorNames: ReadonlySet<string>): Omit<Checkpoint, "tensors"> {
  if (metadata.format !== CHECKPOINT_FORMAT) throw new Error(`__metadata__.format must be '${CHECKPOINT_FORMAT}', got ${JSON.stringify(metadata.format)}`);
  if (metadata.format_version !== String(CHECKPOINT_FORMAT_VERSION)) {
    throw new Error(
      `__metadata__.format_version ${JSON.stringify(metadata.format_version)} is not supported (this version reads ${CHECKPOINT_FORMAT_VERSION})`,
    );
  }
  const step = Number(metadata.step);
  if (metadata.step === undefined || !/^\d+$/.test(metadata.step) || !Number.isSafeInteger(step))
    throw new Error(`__metadata__.step must be a non-negative integer, got ${JSON.stringify(metadata.step)}`);
  const optimizer = metadata.optimizer;
  if (!optimizer) throw new Error("__metadata__.optimizer must be a non-empty string");
  const settings = parseJsonField(metadata, "optimizer_settings");
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) throw new Error("__metadata__.optimizer_settings must be a JSON object");
  const paramGroups = parseJsonField(metadata, "param_groups");
  validateParamGroups(paramGroups, "__metadata__.param_groups", tensorNames);
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith(EXTRA_PREFIX)) extra[key.slice(EXTRA_PREFIX.length)] = value;
    else if (!(RESERVED_KEYS as readonly string[]).includes(key))
      throw new Error(`__metadata__.${key} is not a known key (extra keys start with '${EXTRA_PREFIX}')`);
  }
  return { step, optimizer: { name: optimizer, settings }, paramGroups, rngState: parseJsonField(metadata, "rng_state"), extra };
}
