/**
 * run.json in a train --out folder: what it takes to rebuild the trained classifier from the
 * checkpoint (backbone, head, input size, normalization) and to recompute the same validation
 * split (data path, valid fraction, seed), so export and interpret need nothing else.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "./options.ts";

export const RUN_FORMAT = "runboard.run/1";
export const RUN_FILES = { record: "run.json", model: "model.onnx", checkpoint: "checkpoint.safetensors", history: "history.json" } as const;

export interface RunHead {
  pooling: "concat" | "avg";
  hidden: number[];
  dropout: number;
  batchNorm: boolean;
  seed: number;
  /** The backbone tensor the head was attached to (Grad-CAM's feature map). */
  feature: string;
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  /** Zoo name, or the absolute path of the backbone file. */
  arch: string;
  classes: string[];
  /** [height, width]. */
  inputSize: [number, number];
  normalization: { mean: [number, number, number]; std: [number, number, number] };
  head: RunHead;
  /** The data set as trained on (absolute path) and the split settings used. */
  data: { path: string; contentHash: string; validPct: number; seed: number; validCount: number };
  createdAt: string;
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeFileSync(join(dir, RUN_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
}

function fail(path: string, field: string, rule: string): never {
  throw new UsageError(`${path}: '${field}' ${rule}`);
}

function isNumbers(value: unknown, count: number): boolean {
  return Array.isArray(value) && value.length === count && value.every((v) => typeof v === "number" && Number.isFinite(v));
}

/** Reads and checks run.json; every field that later steps use is validated here. */
export function readRunRecord(dir: string): RunRecord {
  const path = join(dir, RUN_FILES.record);
  if (!existsSync(path)) throw new UsageError(`run folder: '${dir}' has no ${RUN_FILES.record}; give the --out folder of 'runboard-train train' (runs trained before run.json existed need training again)`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (raw.format !== RUN_FORMAT) fail(path, "format", `must be '${RUN_FORMAT}', got ${JSON.stringify(raw.format)}`);
  if (typeof raw.arch !== "string" || raw.arch === "") fail(path, "arch", "must be a non-empty string");
  const classes = raw.classes;
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === "string")) fail(path, "classes", "must list at least two class names");
  if (!isNumbers(raw.inputSize, 2)) fail(path, "inputSize", "must be [height, width]");
  const normalization = raw.normalization as RunRecord["normalization"] | undefined;
  if (!isNumbers(normalization?.mean, 3) || !isNumbers(normalization?.std, 3)) fail(path, "normalization", "must have mean and std of 3 numbers each");
  const head = raw.head as RunHead | undefined;
  if (typeof head?.feature !== "string" || !Array.isArray(head.hidden)) fail(path, "head", "must give the head settings (pooling, hidden, dropout, batchNorm, seed, feature)");
  const data = raw.data as RunRecord["data"] | undefined;
  if (typeof data?.path !== "string" || typeof data.validPct !== "number" || !Number.isInteger(data.seed)) fail(path, "data", "must give path, validPct and seed");
  return raw as unknown as RunRecord;
}

export interface RunLocation {
  /** The run folder, when one was given or the model sits in one. */
  dir?: string;
  model: string;
}

/** A run folder or a model file; a model file's folder counts as its run when it holds run.json. */
export function locateRun(target: string | undefined, what: string): RunLocation {
  if (!target) throw new UsageError(`${what} needs a model file or a run folder (the --out folder of train)`);
  const full = resolve(target);
  if (!existsSync(full)) throw new UsageError(`model: no such file or folder '${target}'`);
  if (statSync(full).isDirectory()) {
    const model = join(full, RUN_FILES.model);
    if (!existsSync(model)) throw new UsageError(`model: run folder '${target}' has no ${RUN_FILES.model}; run 'runboard-train export ${target}' first`);
    return { dir: full, model };
  }
  const dir = dirname(full);
  return existsSync(join(dir, RUN_FILES.record)) ? { dir, model: full } : { model: full };
}

/** A run folder (the --out folder of train): it must exist and hold run.json. */
export function runFolder(target: string | undefined): { dir: string; record: RunRecord } {
  if (!target) throw new UsageError("give the run folder (the --out folder of 'runboard-train train')");
  const dir = resolve(target);
  if (!existsSync(dir)) throw new UsageError(`run folder: no such folder '${target}'`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`run folder: '${target}' is a file; give the --out folder of 'runboard-train train'`);
  return { dir, record: readRunRecord(dir) };
}
