/**
 * A trained segmenter as one self-contained inference ONNX file: a single NCHW float32 "input"
 * with a dynamic batch, "class_map" (int64 [batch, height, width], the most likely class of
 * each pixel) and "probabilities" (float32 [batch, classes, height, width], the softmax over
 * the classes), every weight an initializer, constants folded, default-domain ops only. The
 * metadata holds what the classifier export writes (class names, input size, resize,
 * normalization) under its own format, plus the class colours and the ignore (void) index and
 * colour, so colour masks and overlays need nothing but the file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import type { PipelineOptions } from "../data/index.ts";
import { type Pipeline, planResize, prepareImage, Random, type ResizePlan, resolvePipeline, type Size } from "../data/index.ts";
import { writeNormalized } from "../data/normalize.ts";
import { type ClassList, type Colour, validateClassList } from "../data/segmentation/classes.ts";
import { foldConstants, pruneToOutputs } from "../onnx/index.ts";
import type { Model } from "../onnx/ir.ts";
import { attr, DEFAULT_IR_VERSION, defaultOpset } from "../onnx/ir.ts";
import { inferShapes, shapeOf } from "../onnx/shape-inference.ts";
import { decodeModel } from "../onnx/serialize.ts";
import { createSession, type RuntimeSession, type SessionOptions } from "../runtime/index.ts";
import { checkPortable, copyGraph, EXPORT_INPUT, EXPORT_OUTPUT, logitsTensor, prepareInput } from "./export-model.ts";
import { type ExportMetadata, METADATA_KEYS, metadataEntries, pipelineOf, readExportMetadata } from "./metadata.ts";

export const SEGMENTATION_METADATA_FORMAT = "runboard.image-segmenter/1";
/** The per-pixel class indices, int64 [batch, height, width]. */
export const CLASS_MAP_OUTPUT = "class_map";
/** Softmax over the classes, float32 [batch, classes, height, width] (the classifier export's output name). */
export const SEGMENTATION_PROBABILITIES = EXPORT_OUTPUT;

export const SEGMENTATION_METADATA_KEYS = {
  task: "runboard.task",
  /** JSON [[r, g, b], …], one per class. */
  colours: "runboard.colours",
  ignoreIndex: "runboard.ignore_index",
  /** JSON [r, g, b]. */
  ignoreColour: "runboard.ignore_colour",
} as const;

export interface SegmentationExportMetadata extends ExportMetadata {
  colours: Colour[];
  ignoreIndex: number;
  ignoreColour: Colour;
}

export interface SegmentationExportOptions {
  /** The data set's classes: names, colours and the ignore index. */
  classes: ClassList;
  /** The validation preprocessing (augmentation is ignored). */
  preprocessing: PipelineOptions;
  /** Backbone and decoder, e.g. "mobilenet-v2-imagenet + U-Net decoder". */
  architecture: string;
  /** Default: now. */
  createdAt?: Date;
}

/** The segmenter's inference model (Learner.exportModel) as the self-contained file's model. */
export async function exportSegmentationModel(model: Model, options: SegmentationExportOptions): Promise<Model> {
  const classes = validateClassList(options.classes, "classes");
  const pipeline = resolvePipeline({ ...options.preprocessing, augment: false });
  const opset = defaultOpset(model);
  // Softmax and ArgMax over axis 1 of a 4-D tensor mean that only from opset 13 on.
  if (opset < 13) throw new Error(`model: opset ${opset}; a segmentation export needs opset 13 or later (Softmax over the class axis)`);
  const graph = copyGraph(model.graph);
  checkPortable(graph, opset);
  const { height, width } = pipeline.size;
  prepareInput(graph, height, width);
  const logits = logitsTensor(graph);
  if (logits === EXPORT_OUTPUT || logits === CLASS_MAP_OUTPUT)
    throw new Error(`model: its logits tensor is named '${logits}', a name reserved for the exported outputs`);
  inferShapes(graph, opset);
  pruneToOutputs(graph, [logits]);
  const shape = shapeOf(graph, logits);
  if (shape?.length !== 4) throw new Error(`model: the scores must be [batch, classes, height, width], got [${shape ?? "?"}]`);
  if (shape[1] !== classes.names.length) throw new Error(`classes: ${classes.names.length} names given for a model with ${shape[1]} class maps`);
  if (shape[2] !== height || shape[3] !== width) throw new Error(`model: scores of ${shape[3]}×${shape[2]} for an input of ${width}×${height} (width×height)`);
  graph.nodes.push(
    { name: "softmax", opType: "Softmax", domain: "", inputs: [logits], outputs: [SEGMENTATION_PROBABILITIES], attributes: { axis: attr.int(1) } },
    { name: "argmax", opType: "ArgMax", domain: "", inputs: [logits], outputs: [CLASS_MAP_OUTPUT], attributes: { axis: attr.int(1), keepdims: attr.int(0) } },
  );
  graph.outputs = [
    { name: CLASS_MAP_OUTPUT, dataType: "int64", shape: ["batch", height, width] },
    { name: SEGMENTATION_PROBABILITIES, dataType: "float32", shape: ["batch", classes.names.length, height, width] },
  ];
  await foldConstants(graph, { opset });
  graph.valueInfo = new Map();
  const metadata: SegmentationExportMetadata = {
    classes: [...classes.names],
    inputSize: pipeline.size,
    resize: pipeline.resize,
    normalization: pipeline.normalization,
    alpha: pipeline.alpha,
    architecture: options.architecture,
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    colours: classes.colours.map((c) => [...c] as Colour),
    ignoreIndex: classes.ignoreIndex,
    ignoreColour: [...classes.ignoreColour] as Colour,
  };
  if (metadata.architecture.trim() === "") throw new Error("architecture: name the backbone and decoder (a non-empty string)");
  const entries = segmentationMetadataEntries(metadata);
  // Read back through the reader, so an export is never written that predict would refuse.
  readSegmentationMetadata(entries, "export");
  return {
    irVersion: DEFAULT_IR_VERSION,
    producerName: "runboard",
    opsetImports: [{ domain: "", version: opset }],
    graph: { ...graph, name: "segmenter" },
    metadata: entries,
  };
}

export function segmentationMetadataEntries(metadata: SegmentationExportMetadata): Record<string, string> {
  return {
    ...metadataEntries(metadata),
    [METADATA_KEYS.format]: SEGMENTATION_METADATA_FORMAT,
    [SEGMENTATION_METADATA_KEYS.task]: "segmentation",
    [SEGMENTATION_METADATA_KEYS.colours]: JSON.stringify(metadata.colours),
    [SEGMENTATION_METADATA_KEYS.ignoreIndex]: String(metadata.ignoreIndex),
    [SEGMENTATION_METADATA_KEYS.ignoreColour]: JSON.stringify(metadata.ignoreColour),
  };
}

/** True when the metadata is a segmentation export's. */
export function isSegmentationExport(entries: Readonly<Record<string, string>>): boolean {
  return entries[METADATA_KEYS.format] === SEGMENTATION_METADATA_FORMAT;
}

/** Reads and validates a segmentation export's metadata; `source` names the file in errors. */
export function readSegmentationMetadata(entries: Readonly<Record<string, string>>, source = "model"): SegmentationExportMetadata {
  const base = readExportMetadata(entries, source, SEGMENTATION_METADATA_FORMAT);
  const json = (key: string): unknown => {
    const text = entries[key];
    if (text === undefined) throw new Error(`${source}: metadata '${key}' is missing`);
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${source}: metadata '${key}' must be JSON, got ${JSON.stringify(text)}`);
    }
  };
  const list: ClassList = {
    names: base.classes,
    colours: json(SEGMENTATION_METADATA_KEYS.colours) as Colour[],
    ignoreIndex: json(SEGMENTATION_METADATA_KEYS.ignoreIndex) as number,
    ignoreColour: json(SEGMENTATION_METADATA_KEYS.ignoreColour) as Colour,
  };
  if (!Array.isArray(list.colours)) throw new Error(`${source}: metadata '${SEGMENTATION_METADATA_KEYS.colours}' must be a JSON array of [r, g, b]`);
  const checked = validateClassList(list, `${source}: metadata`);
  return { ...base, colours: checked.colours, ignoreIndex: checked.ignoreIndex, ignoreColour: checked.ignoreColour };
}

export interface SegmentationPrediction {
  path: string;
  /** The file's size (after EXIF orientation). */
  size: Size;
  /** Class index per pixel of the file, row-major; pixels the resize left out (a crop) hold the ignore index. */
  classMap: Uint8Array;
  /** The model's class map at its input size, as the ONNX file gives it. */
  modelClassMap: Uint8Array;
  /** Softmax [classes, height, width] at the model's input size. */
  probabilities: Float32Array;
  /** Per class, the share of the file's predicted pixels (pixels left out by a crop not counted). */
  shares: number[];
}

/**
 * For each pixel of the source image, the model pixel that sees its centre under the resize
 * plan (crop, resize, pad, final crop), or -1 where the plan leaves it out.
 */
export function sourceToModelPixels(source: Size, plan: ResizePlan, target: Size): Int32Array {
  const map = new Int32Array(source.width * source.height);
  const crop = plan.crop ?? { left: 0, top: 0, width: source.width, height: source.height };
  const axis = (p: number, start: number, length: number, resized: number, pad: number, final: number, size: number): number => {
    const inside = p + 0.5 - start;
    if (inside < 0 || inside >= length) return -1;
    const q = Math.floor((inside / length) * resized) + pad - final;
    return q >= 0 && q < size ? q : -1;
  };
  const xs = Array.from({ length: source.width }, (_, x) =>
    axis(x, crop.left, crop.width, plan.resize.width, plan.pad?.left ?? 0, plan.finalCrop?.left ?? 0, target.width),
  );
  for (let y = 0; y < source.height; y++) {
    const v = axis(y, crop.top, crop.height, plan.resize.height, plan.pad?.top ?? 0, plan.finalCrop?.top ?? 0, target.height);
    for (let x = 0; x < source.width; x++) map[y * source.width + x] = v < 0 || xs[x]! < 0 ? -1 : v * target.width + xs[x]!;
  }
  return map;
}

/** Runs an exported segmenter on image files: class maps at the files' own sizes, probabilities at the model's. */
export class SegmentationPredictor {
  private constructor(
    readonly metadata: SegmentationExportMetadata,
    private readonly pipeline: Pipeline,
    private readonly runtime: RuntimeSession,
  ) {}

  static async load(modelPath: string, session: SessionOptions = { intraOpNumThreads: 2 }): Promise<SegmentationPredictor> {
    const bytes = await readFile(modelPath);
    const metadata = readSegmentationMetadata(decodeModel(bytes).metadata, modelPath);
    return new SegmentationPredictor(metadata, pipelineOf(metadata), await createSession(bytes, session));
  }

  /** One file; throws with the file's name when it cannot be read. */
  async predictFile(path: string): Promise<SegmentationPrediction> {
    const bytes = await readFile(path);
    const { width, height } = this.pipeline.size;
    let size: Size;
    let input: Float32Array;
    try {
      const meta = await sharp(bytes, { autoOrient: true }).metadata();
      size = { width: meta.autoOrient?.width ?? meta.width ?? 0, height: meta.autoOrient?.height ?? meta.height ?? 0 };
      input = new Float32Array(3 * width * height);
      writeNormalized(await prepareImage(bytes, this.pipeline, false, 0), this.pipeline.normalization, input, 0);
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
    const outputs = await this.runtime.session.run({ [EXPORT_INPUT]: new ort.Tensor("float32", input, [1, 3, height, width]) });
    const modelClassMap = Uint8Array.from(outputs[CLASS_MAP_OUTPUT]!.data as BigInt64Array, Number);
    const probabilities = Float32Array.from(outputs[SEGMENTATION_PROBABILITIES]!.data as Float32Array);
    const plan = planResize(size, this.pipeline.size, false, new Random(0), this.pipeline.resize);
    const pixels = sourceToModelPixels(size, plan, this.pipeline.size);
    const classMap = new Uint8Array(pixels.length);
    const counts = new Array<number>(this.metadata.classes.length).fill(0);
    let covered = 0;
    pixels.forEach((p, i) => {
      if (p < 0) classMap[i] = this.metadata.ignoreIndex;
      else {
        const c = modelClassMap[p]!;
        classMap[i] = c;
        counts[c]!++;
        covered++;
      }
    });
    return { path, size, classMap, modelClassMap, probabilities, shares: counts.map((n) => (covered === 0 ? 0 : n / covered)) };
  }

  async release(): Promise<void> {
    await this.runtime.release();
  }
}

/** RGB bytes of a class map in the class colours (the ignore colour for ignored pixels and unknown values). */
export function colourMask(classMap: Uint8Array, metadata: Pick<SegmentationExportMetadata, "colours" | "ignoreColour">): Uint8Array {
  const rgb = new Uint8Array(classMap.length * 3);
  classMap.forEach((c, i) => rgb.set(metadata.colours[c] ?? metadata.ignoreColour, i * 3));
  return rgb;
}

/** The image with the colour mask blended over it (`alpha` of the mask); ignored pixels show the image alone. */
export function overlayMask(
  image: Uint8Array,
  classMap: Uint8Array,
  metadata: Pick<SegmentationExportMetadata, "colours" | "ignoreIndex">,
  alpha = 0.5,
): Uint8Array {
  const out = Uint8Array.from(image);
  classMap.forEach((c, i) => {
    const colour = c === metadata.ignoreIndex ? undefined : metadata.colours[c];
    if (!colour) return;
    for (let k = 0; k < 3; k++) out[i * 3 + k] = Math.round((1 - alpha) * image[i * 3 + k]! + alpha * colour[k]!);
  });
  return out;
}

/** The file's pixels as RGB bytes (EXIF orientation applied, alpha dropped). */
export async function readRgb(path: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(await readFile(path), { autoOrient: true })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Encodes RGB bytes as a PNG file. */
export async function writeRgbPng(path: string, rgb: Uint8Array, size: Size): Promise<void> {
  await sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), { raw: { width: size.width, height: size.height, channels: 3 } })
    .png()
    .toFile(path);
}

/** The colour mask and overlay PNGs of one prediction: `<dir>/<stem>.mask.png` and `<stem>.overlay.png`. */
export async function writePredictionPngs(
  prediction: SegmentationPrediction,
  metadata: SegmentationExportMetadata,
  dir: string,
  stem: string,
): Promise<{ mask: string; overlay: string }> {
  const mask = join(dir, `${stem}.mask.png`);
  const overlay = join(dir, `${stem}.overlay.png`);
  await writeRgbPng(mask, colourMask(prediction.classMap, metadata), prediction.size);
  const image = await readRgb(prediction.path);
  await writeRgbPng(overlay, overlayMask(image.data, prediction.classMap, metadata), prediction.size);
  return { mask, overlay };
}
