/**
 * How a backbone wants its pixels, recorded in ONNX metadata so every later step (training,
 * export, predict) normalizes the same way: input = (rgb / 255 - mean) / std, NCHW float32.
 */
import type { Model } from "../../onnx/ir.ts";

export interface Preprocessing {
  /** Graph input name. */
  input: string;
  /** [height, width] the backbone was trained at. */
  size: [number, number];
  mean: [number, number, number];
  std: [number, number, number];
}

const KEYS = { input: "runboard.input", size: "runboard.input_size", mean: "runboard.mean", std: "runboard.std" } as const;

export function writePreprocessing(model: Model, preprocessing: Preprocessing): void {
  model.metadata[KEYS.input] = preprocessing.input;
  model.metadata[KEYS.size] = JSON.stringify(preprocessing.size);
  model.metadata[KEYS.mean] = JSON.stringify(preprocessing.mean);
  model.metadata[KEYS.std] = JSON.stringify(preprocessing.std);
}

/** The recorded preprocessing, or undefined when the model carries none. */
export function readPreprocessing(model: Model): Preprocessing | undefined {
  const input = model.metadata[KEYS.input];
  if (input === undefined) return undefined;
  return {
    input,
    size: numbers(model, KEYS.size, 2) as [number, number],
    mean: numbers(model, KEYS.mean, 3) as [number, number, number],
    std: numbers(model, KEYS.std, 3) as [number, number, number],
  };
}

function numbers(model: Model, key: string, count: number): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(model.metadata[key] ?? "");
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== count || !parsed.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new Error(`model metadata '${key}' must be a JSON array of ${count} finite numbers, got '${model.metadata[key]}'`);
  }
  return parsed as number[];
}

/** Inputs in [-1, 1] (TF's MobileNets, Inception): mean 0.5, std 0.5. */
export const SIGNED_UNIT_RANGE = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } as const;
/** Inputs in [0, 1] (nsfwjs models): mean 0, std 1. */
export const UNIT_RANGE = { mean: [0, 0, 0], std: [1, 1, 1] } as const;
