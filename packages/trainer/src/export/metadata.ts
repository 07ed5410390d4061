/**
 * What an exported model says about itself, in the ONNX metadata_props: class names and the
 * exact validation preprocessing, so a file on its own is enough to predict. Every value is a
 * string (JSON where structured); readers validate each field and name it when it is wrong.
 * The input keys are those the importers write (models/import/preprocessing.ts), so
 * readPreprocessing works on an exported file too.
 */
import type { AlphaMode, Normalization, Pipeline, ResizeOptions, Size } from "../data/index.ts";
import { resolvePipeline, resolveNormalization } from "../data/index.ts";
import { type Conversion, parseConversion } from "../convert/conversion.ts";

export const METADATA_FORMAT = "runboard.image-classifier/1";

export const METADATA_KEYS = {
  format: "runboard.format",
  classes: "runboard.classes",
  input: "runboard.input",
  /** [height, width]. */
  inputSize: "runboard.input_size",
  mean: "runboard.mean",
  std: "runboard.std",
  resize: "runboard.resize",
  alpha: "runboard.alpha",
  architecture: "runboard.architecture",
  createdAt: "runboard.created_at",
  /** Present when the training images came from raw data (convert/): the conversion.json record, replayed at predict. */
  conversion: "runboard.conversion",
} as const;

export interface ExportMetadata {
  classes: string[];
  /** Width and height of the model input. */
  inputSize: Size;
  /** How a file is resized to inputSize (validation behaviour of the method). */
  resize: ResizeOptions;
  normalization: Normalization;
  alpha: AlphaMode;
  architecture: string;
  /** ISO 8601. */
  createdAt: string;
  /** How raw inputs (.wav, series, .pdf) became the training images; absent for image datasets. */
  conversion?: Conversion;
}

export function metadataEntries(metadata: ExportMetadata): Record<string, string> {
  return {
    [METADATA_KEYS.format]: METADATA_FORMAT,
    [METADATA_KEYS.classes]: JSON.stringify(metadata.classes),
    [METADATA_KEYS.input]: "input",
    [METADATA_KEYS.inputSize]: JSON.stringify([metadata.inputSize.height, metadata.inputSize.width]),
    [METADATA_KEYS.mean]: JSON.stringify(metadata.normalization.mean),
    [METADATA_KEYS.std]: JSON.stringify(metadata.normalization.std),
    [METADATA_KEYS.resize]: JSON.stringify(metadata.resize),
    [METADATA_KEYS.alpha]: metadata.alpha,
    [METADATA_KEYS.architecture]: metadata.architecture,
    [METADATA_KEYS.createdAt]: metadata.createdAt,
    ...(metadata.conversion ? { [METADATA_KEYS.conversion]: JSON.stringify(metadata.conversion) } : {}),
  };
}

function conversionOf(entries: Readonly<Record<string, string>>, source: string): Conversion | undefined {
  if (entries[METADATA_KEYS.conversion] === undefined) return undefined;
  try {
    return parseConversion(jsonField(entries, METADATA_KEYS.conversion, source));
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(source) ? message : `${source}: metadata '${METADATA_KEYS.conversion}' is invalid: ${message}`);
  }
}

function field(entries: Readonly<Record<string, string>>, key: string, source: string): string {
  const value = entries[key];
  if (value === undefined) throw new Error(`${source}: metadata '${key}' is missing (not a model exported by runboard)`);
  return value;
}

function jsonField(entries: Readonly<Record<string, string>>, key: string, source: string): unknown {
  try {
    return JSON.parse(field(entries, key, source));
  } catch (error) {
    if ((error as Error).message.includes("is missing")) throw error;
    throw new Error(`${source}: metadata '${key}' must be JSON, got ${JSON.stringify(entries[key])}`);
  }
}

function classNames(value: unknown, source: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((c) => typeof c === "string" && c !== "")) {
    throw new Error(`${source}: metadata '${METADATA_KEYS.classes}' must be a non-empty JSON array of non-empty strings`);
  }
  if (new Set(value).size !== value.length) throw new Error(`${source}: metadata '${METADATA_KEYS.classes}' has duplicate names`);
  return value as string[];
}

function sizeOf(value: unknown, source: string): Size {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(`${source}: metadata '${METADATA_KEYS.inputSize}' must be [height, width] in pixels, got ${JSON.stringify(value)}`);
  }
  return { height: value[0] as number, width: value[1] as number };
}

/** Reads and validates the metadata of an exported model; `source` names the file in errors. */
export function readExportMetadata(entries: Readonly<Record<string, string>>, source = "model", expectedFormat: string = METADATA_FORMAT): ExportMetadata {
  const format = field(entries, METADATA_KEYS.format, source);
  if (format !== expectedFormat) throw new Error(`${source}: metadata '${METADATA_KEYS.format}' is '${format}'; this version reads '${expectedFormat}'`);
  const classes = classNames(jsonField(entries, METADATA_KEYS.classes, source), source);
  const size = sizeOf(jsonField(entries, METADATA_KEYS.inputSize, source), source);
  const resize = jsonField(entries, METADATA_KEYS.resize, source) as ResizeOptions;
  const alpha = field(entries, METADATA_KEYS.alpha, source) as AlphaMode;
  let normalization: Normalization;
  let pipeline: Pipeline;
  try {
    normalization = resolveNormalization({
      mean: jsonField(entries, METADATA_KEYS.mean, source),
      std: jsonField(entries, METADATA_KEYS.std, source),
    } as Normalization);
    pipeline = resolvePipeline({ size, resize, alpha, normalization, augment: false });
  } catch (error) {
    throw new Error(`${source}: metadata preprocessing is invalid: ${(error as Error).message}`);
  }
  const createdAt = field(entries, METADATA_KEYS.createdAt, source);
  if (Number.isNaN(Date.parse(createdAt))) throw new Error(`${source}: metadata '${METADATA_KEYS.createdAt}' must be an ISO 8601 date, got '${createdAt}'`);
  const conversion = conversionOf(entries, source);
  return {
    classes,
    inputSize: pipeline.size,
    resize: pipeline.resize,
    normalization,
    alpha: pipeline.alpha,
    architecture: field(entries, METADATA_KEYS.architecture, source),
    createdAt,
    ...(conversion ? { conversion } : {}),
  };
}

/** The validation pipeline the metadata describes (no augmentation). */
export function pipelineOf(metadata: ExportMetadata): Pipeline {
  return resolvePipeline({ size: metadata.inputSize, resize: metadata.resize, normalization: metadata.normalization, alpha: metadata.alpha, augment: false });
}
