/**
 * Predicting with an exported model file alone: its metadata gives the classes and the exact
 * validation preprocessing (data/ decode, resize, normalize), so results match the Learner's.
 * Files that cannot be read are reported, not fatal; a bad model path or folder is an error.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import * as ort from "onnxruntime-node";
import { defaultFileLimits, type FloatImage, imageExtensions, type Pipeline, prepareImage, prepareImageFile, writeNormalized } from "../data/index.ts";
import { decodeModel } from "../onnx/serialize.ts";
import { createSession, type RuntimeSession, type SessionOptions } from "../runtime/index.ts";
import { EXPORT_INPUT, EXPORT_OUTPUT } from "./export-model.ts";
import { type ExportMetadata, pipelineOf, readExportMetadata } from "./metadata.ts";
import { convertRawInput, isRawInput, rawExtensions } from "./raw-inputs.ts";

export interface ClassProbability {
  className: string;
  classIndex: number;
  probability: number;
}

export interface FilePrediction extends ClassProbability {
  path: string;
  /** For a raw input (model trained on converted data): which of the file's images, e.g. a series id or `<file>-p2`. */
  item?: string;
  /** The topK classes, most probable first. */
  top: ClassProbability[];
}

export interface FileFailure {
  path: string;
  reason: string;
}

export interface PredictOptions {
  /** Classes listed per file (default 5, at most the class count). */
  topK?: number;
  /** Images per ONNX Runtime run (default 16). */
  batchSize?: number;
  session?: SessionOptions;
}

/** One image to classify: an image file, or one image converted from a raw file. */
interface PreparedImage {
  path: string;
  item?: string;
  image: FloatImage;
}

export interface PredictResult {
  predictions: FilePrediction[];
  failures: FileFailure[];
}

export class Predictor {
  private constructor(
    readonly metadata: ExportMetadata,
    private readonly pipeline: Pipeline,
    private readonly runtime: RuntimeSession,
  ) {}

  static async load(modelPath: string, session: SessionOptions = { intraOpNumThreads: 2 }): Promise<Predictor> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(modelPath);
    } catch (error) {
      throw new Error(`modelPath: cannot read '${modelPath}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let metadata: ExportMetadata;
    try {
      metadata = readExportMetadata(decodeModel(bytes).metadata, modelPath);
    } catch (error) {
      const message = (error as Error).message;
      throw new Error(message.startsWith(modelPath) ? message : `${modelPath}: ${message}`);
    }
    return new Predictor(metadata, pipelineOf(metadata), await createSession(bytes, session));
  }

  /** Probabilities for files (in the order given); unreadable files go to failures. */
  async predict(paths: readonly string[], options: Omit<PredictOptions, "session"> = {}): Promise<PredictResult> {
    const topK = Math.min(options.topK ?? 5, this.metadata.classes.length);
    const batchSize = options.batchSize ?? 16;
    if (!Number.isInteger(topK) || topK < 1) throw new Error(`topK must be a positive integer, got ${options.topK}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${options.batchSize}`);
    const result: PredictResult = { predictions: [], failures: [] };
    for (let start = 0; start < paths.length; start += batchSize) {
      const prepared = await Promise.all(paths.slice(start, start + batchSize).map((path) => this.prepare(path)));
      prepared.forEach((images, i) => {
        if (typeof images === "string") result.failures.push({ path: paths[start + i]!, reason: images });
      });
      const ok = prepared.flatMap((images) => (typeof images === "string" ? [] : images));
      for (let first = 0; first < ok.length; first += batchSize) await this.predictBatch(ok.slice(first, first + batchSize), topK, result);
    }
    return result;
  }

  /** Probabilities [N, K] for already preprocessed NCHW input. */
  async probabilities(input: Float32Array, count: number): Promise<Float32Array> {
    const { width, height } = this.pipeline.size;
    const feeds = { [EXPORT_INPUT]: new ort.Tensor("float32", input, [count, 3, height, width]) };
    return (await this.runtime.session.run(feeds))[EXPORT_OUTPUT]!.data as Float32Array;
  }

  async release(): Promise<void> {
    await this.runtime.release();
  }

  private async predictBatch(ok: readonly PreparedImage[], topK: number, result: PredictResult): Promise<void> {
    if (ok.length === 0) return;
    const plane = 3 * this.pipeline.size.width * this.pipeline.size.height;
    const input = new Float32Array(ok.length * plane);
    ok.forEach(({ image }, i) => writeNormalized(image, this.pipeline.normalization, input, i * plane));
    const probabilities = await this.probabilities(input, ok.length);
    const k = this.metadata.classes.length;
    ok.forEach(({ path, item }, i) => {
      const top = ranked(probabilities.subarray(i * k, (i + 1) * k), this.metadata.classes).slice(0, topK);
      result.predictions.push({ path, ...(item === undefined ? {} : { item }), ...top[0]!, top });
    });
  }

  /** The validation-prepared images of a file (one, or one per page or series of a raw input), or why the file cannot be used. */
  private async prepare(path: string): Promise<PreparedImage[] | string> {
    try {
      const info = await stat(path);
      if (!info.isFile()) return "not a file";
      if (info.size > defaultFileLimits.maxFileBytes) return `file is ${info.size} bytes, over the limit maxFileBytes=${defaultFileLimits.maxFileBytes}`;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === "ENOENT" ? "no such file" : `cannot be read: ${(error as Error).message}`;
    }
    const conversion = this.metadata.conversion;
    if (conversion && isRawInput(conversion, path)) {
      try {
        const images = await convertRawInput(conversion, path);
        return await Promise.all(images.map(async ({ item, png }) => ({ path, item, image: await prepareImage(png, this.pipeline, false, 0) })));
      } catch (error) {
        return `cannot be converted (${conversion.kind}): ${(error as Error).message.split("\n")[0]}`;
      }
    }
    try {
      return [{ path, image: await prepareImageFile(path, this.pipeline, false, 0) }];
    } catch (error) {
      return `cannot be decoded as an image: ${(error as Error).message.split("\n")[0]}`;
    }
  }
}

function ranked(probabilities: Float32Array, classes: readonly string[]): ClassProbability[] {
  return classes
    .map((className, classIndex) => ({ className, classIndex, probability: probabilities[classIndex]! }))
    .sort((a, b) => b.probability - a.probability || a.classIndex - b.classIndex);
}

/** Image files (and files with `extraExtensions`) under a folder (any depth, sorted, hidden entries skipped). */
export async function listImageFiles(folder: string, extraExtensions: readonly string[] = []): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    const extension = extname(entry.name).toLowerCase();
    if (entry.isDirectory()) files.push(...(await listImageFiles(path, extraExtensions)));
    else if (imageExtensions.has(extension) || extraExtensions.includes(extension)) files.push(path);
  }
  return files;
}

/** Files to predict: the paths given, or every image file (and raw input the model converts) of a folder. */
async function resolveTargets(target: string | readonly string[], rawExtensionsOfModel: readonly string[]): Promise<string[]> {
  if (typeof target !== "string") {
    if (target.length === 0) throw new Error("paths: name at least one image file");
    return [...target];
  }
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new Error(`paths: '${target}' is neither a file nor a folder`);
  if (!info.isDirectory()) return [target];
  const files = await listImageFiles(target, rawExtensionsOfModel);
  if (files.length === 0) throw new Error(`paths: folder '${target}' has no image files (${[...imageExtensions, ...rawExtensionsOfModel].join(", ")})`);
  return files;
}

/** Loads the exported model, predicts every file, releases the session. */
export async function predictFiles(modelPath: string, target: string | readonly string[], options: PredictOptions = {}): Promise<PredictResult> {
  const predictor = await Predictor.load(modelPath, options.session);
  try {
    const paths = await resolveTargets(target, rawExtensions(predictor.metadata.conversion));
    return await predictor.predict(paths, options);
  } finally {
    await predictor.release();
  }
}
