/**
 * From a claimed run to what the trainer's trainWithSpec takes: the data set, its split
 * (k-fold aware), the backbone with its normalization, the metrics, augmentation and device.
 */
import { statSync } from "node:fs";
import { augmentOf, type TrainingSettings } from "@runboard/queue";
import { type Backbone, loadBackbone } from "@runboard/trainer";
import { type Conversion, findConversion } from "@runboard/trainer/convert";
import { type ImageDataset, readImageCsv, readImageFolder, type Split, splitTrainValid, stratifiedKFold } from "@runboard/trainer/data";
import { type Callback, metricByName } from "@runboard/trainer/learner";
import type { TrainingInputs } from "@runboard/trainer/recipes";
import type { ExecutionProvider, SessionOptions } from "@runboard/trainer/runtime";
import type { ClaimedRun } from "./run-store.ts";

export interface DeviceOptions {
  device: ExecutionProvider;
  threads: number;
  decodeThreads?: number | undefined;
}

/** A run's data and backbone, read once. */
export interface RunData {
  dataset: ImageDataset;
  split: Split;
  backbone: Backbone;
  /** How the dataset's images were made from raw files (AUDIO, TIME_SERIES, DOCUMENT); undefined for photos. */
  conversion: Conversion | undefined;
  /** The launch's imageSize as [height, width]; undefined: the backbone's own. */
  inputSize: [number, number] | undefined;
  validPaths: string[];
}

async function readDataset(path: string): Promise<ImageDataset> {
  return statSync(path).isFile() ? readImageCsv(path) : readImageFolder(path);
}

/** A converted dataset's folder holds its conversion.json (written by importDataset's convertDataset). */
async function conversionOf(path: string): Promise<Conversion | undefined> {
  return statSync(path).isFile() ? undefined : findConversion(path);
}

function splitOf(run: ClaimedRun, dataset: ImageDataset, settings: TrainingSettings): Split {
  const folds = run.hyperparameters.folds;
  if (run.fold === null || typeof folds !== "number") return splitTrainValid(dataset.items, { validPct: settings.validPct, seed: settings.seed });
  const split = stratifiedKFold(dataset.items, folds, settings.seed)[run.fold];
  if (split === undefined) throw new Error(`fold ${run.fold} is outside the ${folds} folds`);
  return split;
}

export async function readRunData(run: ClaimedRun, settings: TrainingSettings): Promise<RunData> {
  const dataset = await readDataset(run.dataset.sourceUri);
  const conversion = await conversionOf(run.dataset.sourceUri);
  const backbone = loadBackbone(run.architecture.fileUri ?? run.architecture.name);
  const split = splitOf(run, dataset, settings);
  return {
    dataset,
    split,
    backbone,
    conversion,
    inputSize: settings.imageSize === null ? undefined : [settings.imageSize, settings.imageSize],
    validPaths: split.valid.map((i) => dataset.items[i]!.path),
  };
}

export function sessionOptions(device: DeviceOptions): SessionOptions {
  return { intraOpNumThreads: device.threads, ...(device.device === "cpu" ? {} : { executionProvider: device.device }) };
}

export interface RunHooks {
  callbacks: Callback[];
  trialCallbacks: Callback[];
  signal: AbortSignal;
  log: (line: string) => void;
}

export function trainingInputs(data: RunData, settings: TrainingSettings, device: DeviceOptions, hooks: RunHooks): TrainingInputs {
  return {
    dataset: data.dataset,
    split: data.split,
    backbone: data.backbone.model,
    normalization: data.backbone.normalization,
    metrics: settings.metrics.map((name) => metricByName(name, data.dataset.classes)),
    augment: augmentOf(settings),
    session: sessionOptions(device),
    ...hooks,
    ...(data.inputSize ? { inputSize: data.inputSize } : {}),
    ...(device.decodeThreads === undefined ? {} : { workers: device.decodeThreads }),
  };
}
