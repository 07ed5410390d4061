/**
 * run.json in a train --out folder: what it takes to rebuild the trained classifier from the
 * checkpoint (backbone, head, input size, normalization) and to recompute the same validation
 * split (data path, the data set's own folders or a valid fraction, seed), so export and
 * interpret need nothing else.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ImageItem } from "../data/index.ts";
import { TRAINING_DEFAULTS } from "../recipes/index.ts";
import { UsageError } from "./options.ts";
import { refuseIncomplete } from "./output-folder.ts";

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
  /** The data set as trained on (absolute path) and the split that was used. */
  data: { path: string; contentHash: string; seed: number; validCount: number } & RecordedSplit;
  createdAt: string;
}

/**
 * How the validation images were chosen: the data set's own train/valid folders, or a seeded
 * random fraction (validPct). Records written before `split` existed are of the second kind.
 */
export type RecordedSplit = { split: "folders" } | { split: "validPct"; validPct: number };

/** The split splitTrainValid makes of these items with these settings, as a record says it. */
export function recordedSplit(items: readonly Pick<ImageItem, "split">[], validPct: number): RecordedSplit {
  const byFolders = items.length > 0 && items.every((item) => item.split !== undefined);
  return byFolders ? { split: "folders" } : { split: "validPct", validPct };
}

/** The settings that recompute a record's split (splitTrainValid uses the folders when the data has them). */
export function splitOptionsOf(record: RunRecord): { validPct: number; seed: number } {
  return { validPct: record.data.split === "folders" ? TRAINING_DEFAULTS.validPct : record.data.validPct, seed: record.data.seed };
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeFileAtomically(join(dir, RUN_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
}

/** Written aside and renamed into place: the file is whole or absent. */
export function writeFileAtomically(path: string, text: string): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, path);
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
  if (!existsSync(path))
    throw new UsageError(
      `run folder: '${dir}' has no ${RUN_FILES.record}; give the --out folder of 'runboard-train train' (runs trained before run.json existed need training again)`,
    );
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (raw.format !== RUN_FORMAT) fail(path, "format", `must be '${RUN_FORMAT}', got ${JSON.stringify(raw.format)}`);
  if (raw.task === "segmentation")
    throw new UsageError(
      `${path}: a segmentation run (segment --out); this command takes classification runs, and 'predict ${join(dir, RUN_FILES.model)}' takes its model`,
    );
  if (typeof raw.arch !== "string" || raw.arch === "") fail(path, "arch", "must be a non-empty string");
  const classes = raw.classes;
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === "string"))
    fail(path, "classes", "must list at least two class names");
  if (!isNumbers(raw.inputSize, 2)) fail(path, "inputSize", "must be [height, width]");
  const normalization = raw.normalization as RunRecord["normalization"] | undefined;
  if (!isNumbers(normalization?.mean, 3) || !isNumbers(normalization?.std, 3)) fail(path, "normalization", "must have mean and std of 3 numbers each");
  const head = raw.head as RunHead | undefined;
  if (typeof head?.feature !== "string" || !Array.isArray(head.hidden))
    fail(path, "head", "must give the head settings (pooling, hidden, dropout, batchNorm, seed, feature)");
  const data = raw.data as (Record<string, unknown> & { split?: unknown }) | undefined;
  if (typeof data?.path !== "string" || !Number.isInteger(data.seed)) fail(path, "data", "must give path and seed");
  if (data.split === undefined) data.split = "validPct";
  if (data.split !== "folders" && data.split !== "validPct") fail(path, "data.split", `must be 'folders' or 'validPct', got ${JSON.stringify(data.split)}`);
  if (data.split === "validPct" && typeof data.validPct !== "number") fail(path, "data", "must give validPct when the split is 'validPct'");
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
    refuseIncomplete(full, what);
    const model = join(full, RUN_FILES.model);
    if (!existsSync(model)) throw new UsageError(`model: run folder '${target}' has no ${RUN_FILES.model}; run 'runboard-train export ${target}' first`);
    return { dir: full, model };
  }
  const dir = dirname(full);
  refuseIncomplete(dir, what);
  return existsSync(join(dir, RUN_FILES.record)) ? { dir, model: full } : { model: full };
}

/** A run folder (the --out folder of train): it must exist and hold run.json. */
export function runFolder(target: string | undefined): { dir: string; record: RunRecord } {
  if (!target) throw new UsageError("give the run folder (the --out folder of 'runboard-train train')");
  const dir = resolve(target);
  if (!existsSync(dir)) throw new UsageError(`run folder: no such folder '${target}'`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`run folder: '${target}' is a file; give the --out folder of 'runboard-train train'`);
  refuseIncomplete(dir, "run folder");
  return { dir, record: readRunRecord(dir) };
}
