/** From a claimed run to a Learner: read the data set, load the backbone, attach the head, split (k-fold aware). */
import type { TrainingSettings } from "@runboard/queue";
import { loadBackbone } from "@runboard/trainer/cli/arch";
import { type Conversion, findConversion } from "@runboard/trainer/convert/index";
import { type ImageDataset, readImageCsv, readImageFolder, resolveNormalization, splitTrainValid, stratifiedKFold } from "@runboard/trainer/data/index";
import { imageDataLoaders, labelSmoothingCrossEntropy, Learner, type LearnerData, metricByName, MixUp } from "@runboard/trainer/learner/index";
import { createClassifier } from "@runboard/trainer/models/head/index";
import type { ExecutionProvider } from "@runboard/trainer/runtime/providers";
import { statSync } from "node:fs";
import type { ClaimedRun } from "./run-store.ts";

export interface TrainingSession {
  learner: Learner;
  data: LearnerData;
  dataset: ImageDataset;
  backboneName: string;
  /** The backbone's feature map the head reads (Grad-CAM of the exported model). */
  feature: string;
  /** How the dataset's images were made from raw files (AUDIO, TIME_SERIES, DOCUMENT); undefined for photos. */
  conversion: Conversion | undefined;
  inputSize: [number, number];
  normalization: { mean: [number, number, number]; std: [number, number, number] };
  validPaths: string[];
  close(): Promise<void>;
}

export interface DeviceOptions {
  device: ExecutionProvider;
  threads: number;
  decodeThreads?: number | undefined;
}

async function readDataset(path: string): Promise<ImageDataset> {
  return statSync(path).isFile() ? readImageCsv(path) : readImageFolder(path);
}

/** A converted dataset's folder holds its conversion.json (written by importDataset's convertDataset). */
async function conversionOf(path: string): Promise<Conversion | undefined> {
  return statSync(path).isFile() ? undefined : findConversion(path);
}

function splitOf(run: ClaimedRun, dataset: ImageDataset, settings: TrainingSettings) {
  const folds = run.hyperparameters.folds;
  if (run.fold === null || typeof folds !== "number") return undefined;
  const split = stratifiedKFold(dataset.items, folds, settings.seed)[run.fold];
  if (split === undefined) throw new Error(`fold ${run.fold} is outside the ${folds} folds`);
  return split;
}

export async function openSession(run: ClaimedRun, settings: TrainingSettings, device: DeviceOptions, signal: AbortSignal): Promise<TrainingSession> {
  const source = run.architecture.fileUri ?? run.architecture.name;
  const dataset = await readDataset(run.dataset.sourceUri);
  const conversion = await conversionOf(run.dataset.sourceUri);
  const backbone = loadBackbone(source);
  const { seed } = settings;
  const size = settings.imageSize === null ? undefined : ([settings.imageSize, settings.imageSize] as [number, number]);
  const classifier = createClassifier(backbone.model, { classes: dataset.classes.length, seed, ...(size ? { inputSize: size } : {}) });
  const split = splitOf(run, dataset, settings) ?? splitTrainValid(dataset.items, { validPct: settings.validPct, seed });
  const { augmentation: aug } = settings;
  const augment = aug.enabled
    ? { doFlip: aug.flip, flipVert: aug.flipVertical, maxRotate: aug.maxRotate, minZoom: aug.minZoom, maxZoom: aug.maxZoom, maxLighting: aug.maxLighting, maxWarp: aug.maxWarp, pAffine: aug.pAffine, pLighting: aug.pLighting }
    : false;
  const data = imageDataLoaders(dataset, {
    size: classifier.inputSize, batchSize: settings.batchSize, validPct: settings.validPct, seed, normalization: backbone.normalization, augment,
    split, ...(device.decodeThreads === undefined ? {} : { workers: device.decodeThreads }),
  });
  const learner = new Learner({
    data,
    model: classifier,
    metrics: settings.metrics.map((name) => metricByName(name, dataset.classes)),
    signal,
    weightDecay: settings.weightDecay,
    trainBatchNorm: settings.trainBatchNorm,
    callbacks: settings.mixup === null ? [] : [new MixUp(settings.mixup, seed)],
    ...(settings.labelSmoothing > 0 ? { loss: labelSmoothingCrossEntropy(settings.labelSmoothing) } : {}),
    session: { intraOpNumThreads: device.threads, ...(device.device === "cpu" ? {} : { executionProvider: device.device }) },
  });
  return {
    learner, data, dataset, backboneName: backbone.name, feature: classifier.feature, conversion, inputSize: classifier.inputSize, normalization: resolveNormalization(backbone.normalization),
    validPaths: split.valid.map((i) => dataset.items[i]!.path),
    close: async () => {
      await learner.release();
      await data.close?.();
    },
  };
}
