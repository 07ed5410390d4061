/**
 * runboard-train predict <model.onnx> <image|folder>…: runs a model written by train --out
 * (softmax output, classes and preprocessing in its metadata) on image files and folders.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import { imageExtensions, prepareImageFile, resolvePipeline, writeNormalized } from "../data/index.ts";
import { readPreprocessing } from "../models/import/preprocessing.ts";
import { decodeModel } from "../onnx/serialize.ts";
import { CLASSES_KEY } from "./export-model.ts";
import { createSession } from "../runtime/index.ts";
import { predictFiles } from "../export/predict.ts";
import { isSegmentationExport, SegmentationPredictor, writePredictionPngs } from "../export/segmentation.ts";
import { type FlagValues, numberFlag, parseFlags, RUNTIME_FLAGS, RUNTIME_USAGE, sessionOptionsOf, stringFlag, UsageError } from "./options.ts";
import { refuseIncomplete } from "./output-folder.ts";

export const PREDICT_USAGE = `runboard-train predict <model.onnx> <image-or-folder>... [--top K] [--bs N] [--out DIR]
  prints "path<TAB>class<TAB>probability" for the K most likely classes (default 1) of each image;
  a segmentation model (segment --out) writes DIR/<name>.mask.png (the class colours) and
  DIR/<name>.overlay.png (default DIR: predictions) and prints "path<TAB>class share…" per image
  ${RUNTIME_USAGE}`;

/**
 * The image files among `paths` and in their folders. Other files in a folder are passed over;
 * a file named on the command line that is not an image is reported on stderr.
 */
function imageFiles(paths: string[]): string[] {
  const files: string[] = [];
  const isImage = (path: string) => imageExtensions.has(extname(path).toLowerCase());
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else if (isImage(path)) files.push(path);
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`predict: no such file or folder '${path}'`);
    const full = resolve(path);
    if (statSync(full).isFile() && !isImage(full)) {
      process.stderr.write(`skipped ${full}: not an image file (extension "${extname(full)}" is not one of ${[...imageExtensions].join(", ")})\n`);
    } else walk(full);
  }
  return files;
}

interface ModelInfo {
  bytes: Uint8Array;
  classes: string[];
  size: [number, number];
  mean: [number, number, number];
  std: [number, number, number];
  /** Trained on converted data (audio, series, documents): inputs are raw files, converted first. */
  convertsRawInputs: boolean;
}

function readModelInfo(path: string): ModelInfo {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`predict: no such model file '${path}'`);
  refuseIncomplete(dirname(path), "predict");
  const bytes = readFileSync(path);
  const model = decodeModel(bytes);
  const preprocessing = readPreprocessing(model);
  const classes = JSON.parse(model.metadata[CLASSES_KEY] ?? "null") as unknown;
  if (!preprocessing || !Array.isArray(classes))
    throw new UsageError(`predict: '${path}' has no class names and preprocessing in its metadata; give a model written by 'runboard-train train --out'`);
  const convertsRawInputs = model.metadata["runboard.conversion"] !== undefined;
  return { bytes, classes: classes as string[], size: preprocessing.size, mean: preprocessing.mean, std: preprocessing.std, convertsRawInputs };
}

export async function predictCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { top: { type: "string" }, bs: { type: "string" }, out: { type: "string" }, ...RUNTIME_FLAGS });
  const [modelPath, ...inputs] = positionals;
  if (!modelPath || inputs.length === 0) throw new UsageError("predict needs a model file and at least one image or folder");
  if (isSegmenterFile(resolve(modelPath))) return predictMasks(resolve(modelPath), inputs, values);
  if (values.out !== undefined) throw new UsageError("predict: --out is for segmentation models (where the mask PNGs go)");
  const info = readModelInfo(resolve(modelPath));
  if (info.convertsRawInputs) return predictRawInputs(resolve(modelPath), inputs, values, info.classes.length);
  const top = numberFlag(values, "top", 1, { integer: true, min: 1, max: info.classes.length });
  const batchSize = numberFlag(values, "bs", 32, { integer: true, min: 1, max: 4096 });
  const files = imageFiles(inputs);
  if (files.length === 0) throw new UsageError(`predict: no image files (${[...imageExtensions].join(", ")}) in ${inputs.join(", ")}`);
  const pipeline = resolvePipeline({ size: { height: info.size[0], width: info.size[1] }, augment: false, normalization: { mean: info.mean, std: info.std } });
  const runtime = await createSession(info.bytes, sessionOptionsOf(values));
  const session = runtime.session;
  const pixels = 3 * info.size[0] * info.size[1];
  try {
    for (let start = 0; start < files.length; start += batchSize) {
      const batch: string[] = [];
      const input = new Float32Array(Math.min(batchSize, files.length - start) * pixels);
      for (const file of files.slice(start, start + batchSize)) {
        try {
          writeNormalized(await prepareImageFile(file, pipeline, false, 0), pipeline.normalization, input, batch.length * pixels);
          batch.push(file);
        } catch (error) {
          process.stderr.write(`skipped ${file}: ${(error as Error).message}\n`);
        }
      }
      if (batch.length === 0) continue;
      const feeds = { input: new ort.Tensor("float32", input.subarray(0, batch.length * pixels), [batch.length, 3, info.size[0], info.size[1]]) };
      const probabilities = (await session.run(feeds)).probabilities!.data as Float32Array;
      batch.forEach((file, n) => printTop(file, probabilities.subarray(n * info.classes.length, (n + 1) * info.classes.length), info.classes, top));
    }
  } finally {
    await runtime.release();
  }
}

function printTop(file: string, probabilities: Float32Array, classes: string[], top: number): void {
  const ranked = Array.from(probabilities, (p, c) => [c, p] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [c, p] of ranked) process.stdout.write(`${file}\t${classes[c]}\t${p.toFixed(4)}\n`);
}

/** A model trained on converted data: the library replays the stored conversion on each raw file. */
async function predictRawInputs(modelPath: string, inputs: string[], values: Parameters<typeof sessionOptionsOf>[0], classCount: number): Promise<void> {
  const top = numberFlag(values, "top", 1, { integer: true, min: 1, max: classCount });
  const batchSize = numberFlag(values, "bs", 32, { integer: true, min: 1, max: 4096 });
  for (const input of inputs) if (!existsSync(input)) throw new UsageError(`predict: no such file or folder '${input}'`);
  let predicted = 0;
  for (const input of inputs) {
    const result = await predictFiles(modelPath, resolve(input), { topK: top, batchSize, session: sessionOptionsOf(values) });
    for (const failure of result.failures) process.stderr.write(`skipped ${failure.path}: ${failure.reason}\n`);
    for (const prediction of result.predictions) {
      const stem = basename(prediction.path, extname(prediction.path));
      const name = prediction.item === undefined || prediction.item === stem ? prediction.path : `${prediction.path}#${prediction.item}`;
      for (const ranked of prediction.top) process.stdout.write(`${name}\t${ranked.className}\t${ranked.probability.toFixed(4)}\n`);
    }
    predicted += result.predictions.length;
  }
  if (predicted === 0) throw new UsageError(`predict: nothing in ${inputs.join(", ")} could be converted and classified`);
}

function isSegmenterFile(path: string): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`predict: no such model file '${path}'`);
  refuseIncomplete(dirname(path), "predict");
  return isSegmentationExport(decodeModel(readFileSync(path)).metadata);
}

/** A segmentation model: a colour mask and an overlay PNG per image, and the class shares on stdout. */
async function predictMasks(modelPath: string, inputs: string[], values: FlagValues): Promise<void> {
  if (values.top !== undefined) throw new UsageError("predict: --top is for classifiers; a segmentation model writes masks");
  const files = imageFiles(inputs);
  if (files.length === 0) throw new UsageError(`predict: no image files (${[...imageExtensions].join(", ")}) in ${inputs.join(", ")}`);
  const outDir = resolve(stringFlag(values, "out") ?? "predictions");
  mkdirSync(outDir, { recursive: true });
  const predictor = await SegmentationPredictor.load(modelPath, sessionOptionsOf(values));
  const used = new Map<string, number>();
  let written = 0;
  try {
    for (const file of files) {
      let prediction;
      try {
        prediction = await predictor.predictFile(file);
      } catch (error) {
        process.stderr.write(`skipped ${file}: ${(error as Error).message}\n`);
        continue;
      }
      // Same stem in two folders: the second gets a number, so no file is overwritten.
      const stem = basename(file, extname(file));
      const seen = used.get(stem) ?? 0;
      used.set(stem, seen + 1);
      const { mask, overlay } = await writePredictionPngs(prediction, predictor.metadata, outDir, seen === 0 ? stem : `${stem}-${seen + 1}`);
      const shares = prediction.shares
        .map((share, c) => [predictor.metadata.classes[c]!, share] as const)
        .filter(([, share]) => share > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, share]) => `${name} ${(share * 100).toFixed(1)}%`);
      process.stdout.write(`${file}\t${shares.join("\t")}\n`);
      process.stderr.write(`  wrote ${mask} and ${overlay}\n`);
      written++;
    }
  } finally {
    await predictor.release();
  }
  if (written === 0) throw new UsageError(`predict: none of the images in ${inputs.join(", ")} could be read`);
}
