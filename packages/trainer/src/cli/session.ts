/**
 * What train and lr-find share: read the data set (folder or CSV), load the backbone, build
 * the classifier and the learner with the flags' settings.
 */
import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { describeSkipped, type ImageDataset, readImageCsv, readImageFolder, resolveNormalization } from "../data/index.ts";
import { type Classifier, createClassifier } from "../models/head/index.ts";
import { labelSmoothingCrossEntropy, learnerData, Learner, type LearnerData, metricByName, MixUp, ProgressCallback } from "../learner/index.ts";
import { DEFAULT_ARCH, loadBackbone } from "./arch.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { TRAINING_DEFAULTS } from "../recipes/index.ts";
import { type FlagValues, listFlag, numberFlag, optionalNumberFlag, RUNTIME_FLAGS, sessionOptionsOf, sizeFlag, stringFlag, UsageError } from "./options.ts";

export const COMMON_FLAGS = {
  arch: { type: "string" },
  bs: { type: "string" },
  size: { type: "string" },
  "valid-pct": { type: "string" },
  seed: { type: "string" },
  metrics: { type: "string" },
  "label-smoothing": { type: "string" },
  mixup: { type: "string" },
  workers: { type: "string" },
  ...RUNTIME_FLAGS,
  quiet: { type: "boolean" },
} as const;

export interface LearnerSession {
  learner: Learner;
  dataset: ImageDataset;
  data: LearnerData;
  backboneName: string;
  inputSize: [number, number];
  normalization: { mean: [number, number, number]; std: [number, number, number] };
  classifier: Classifier;
  /** The data set as given (absolute path of the folder or CSV file). */
  dataPath: string;
  /** --provider and --threads. */
  session: SessionOptions;
  /** The split settings (learnerData splits with these when the data has no train/valid folders). */
  split: { validPct: number; seed: number };
  close(): Promise<void>;
}

export async function readDataset(path: string | undefined): Promise<ImageDataset> {
  if (!path) throw new UsageError("give the data set: a folder with one subfolder per class, or a CSV file (path,label[,fold])");
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`data: no such file or folder '${path}'`);
  const isCsv = statSync(full).isFile();
  if (isCsv && extname(full).toLowerCase() !== ".csv") throw new UsageError(`data: '${path}' is a file but not a .csv; give a folder or a CSV file`);
  const dataset = isCsv ? await readImageCsv(full) : await readImageFolder(full);
  if (dataset.skipped.length > 0) process.stderr.write(`${describeSkipped(dataset)}\n`);
  return dataset;
}

export interface SessionSettings {
  arch: string;
  batchSize: number;
  validPct: number;
  seed: number;
  smoothing: number;
  mixup: number | undefined;
  workers: number | undefined;
  session: SessionOptions;
  size: [number, number] | undefined;
}

/** Every shared flag validated before any file is read, so a typo fails fast. */
export function sessionSettings(values: FlagValues): SessionSettings {
  const arch = stringFlag(values, "arch") ?? DEFAULT_ARCH;
  if (!arch) throw new UsageError("--arch must be a zoo name, an .onnx file or a .tflite file (default mobilenet-v2-imagenet)");
  return {
    arch,
    batchSize: numberFlag(values, "bs", TRAINING_DEFAULTS.batchSize, { integer: true, min: 1, max: 4096 }),
    validPct: numberFlag(values, "valid-pct", TRAINING_DEFAULTS.validPct, { min: 0, max: 0.9, exclusiveMin: true }),
    seed: numberFlag(values, "seed", TRAINING_DEFAULTS.seed, { integer: true, min: 0 }),
    smoothing: numberFlag(values, "label-smoothing", 0, { min: 0, max: 0.5 }),
    mixup: optionalNumberFlag(values, "mixup", { min: 0, exclusiveMin: true, max: 10 }),
    workers: optionalNumberFlag(values, "workers", { integer: true, min: 0, max: 64 }),
    session: sessionOptionsOf(values),
    size: sizeFlag(values, "size"),
  };
}

export function metricsOf(values: FlagValues, classes: string[]) {
  return listFlag(values, "metrics", ["accuracy"]).map((name) => {
    try {
      return metricByName(name, classes);
    } catch (error) {
      throw new UsageError(`--metrics: ${(error as Error).message}`);
    }
  });
}

export async function openSession(dataPath: string | undefined, values: FlagValues): Promise<LearnerSession> {
  const settings = sessionSettings(values);
  const dataset = await readDataset(dataPath);
  const metrics = metricsOf(values, dataset.classes);
  const backbone = loadBackbone(settings.arch);
  const { seed, size, workers, mixup } = settings;
  const classifier = createClassifier(backbone.model, { classes: dataset.classes.length, seed, ...(size ? { inputSize: size } : {}) });
  const [height, width] = classifier.inputSize;
  const loaderOptions = { size: { height, width }, batchSize: settings.batchSize, validPct: settings.validPct, seed, normalization: backbone.normalization };
  const data = learnerData(dataset, { ...loaderOptions, ...(workers === undefined ? {} : { workers }) });
  const callbacks = [...(values.quiet ? [] : [new ProgressCallback()]), ...(mixup === undefined ? [] : [new MixUp(mixup, seed)])];
  const learner = new Learner({
    data,
    model: classifier,
    metrics,
    callbacks,
    ...(settings.smoothing > 0 ? { loss: labelSmoothingCrossEntropy(settings.smoothing) } : {}),
    session: settings.session,
  });
  return {
    learner,
    dataset,
    data,
    backboneName: backbone.name,
    inputSize: classifier.inputSize,
    normalization: resolveNormalization(backbone.normalization),
    classifier,
    dataPath: resolve(dataPath!),
    session: settings.session,
    split: { validPct: settings.validPct, seed },
    close: async () => {
      await learner.release();
      await data.close?.();
    },
  };
}
