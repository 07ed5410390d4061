/**
 * The per-item image pipeline: decode and resize (sharp), augment on train (fastai's
 * aug_transforms), normalize. One seed per item and epoch drives every random choice, so
 * the result is the same in any worker thread.
 */
import { readFile } from "node:fs/promises";
import { applyAugment, type AugmentOptions, defaultAugmentOptions, drawAugment } from "./augment.ts";
import { defaultFileLimits } from "./dataset.ts";
import { type AlphaMode, decodeImage, type FloatImage } from "./decode.ts";
import { type Normalization, type NormalizationName, resolveNormalization } from "./normalize.ts";
import { Random } from "./random.ts";
import { defaultResizeOptions, type ResizeOptions, type Size } from "./resize-plan.ts";

export interface PipelineOptions {
  /** Output size: one number for a square, or width and height. */
  size: number | Size;
  resize?: Partial<ResizeOptions>;
  /** fastai's aug_transforms options for training items; false turns augmentation off. */
  augment?: Partial<AugmentOptions> | false;
  normalization?: NormalizationName | Normalization;
  alpha?: AlphaMode;
  maxPixels?: number;
}

/** Fully specified and validated; plain data, so it can be posted to worker threads. */
export interface Pipeline {
  size: Size;
  resize: ResizeOptions;
  augment: AugmentOptions | undefined;
  normalization: Normalization;
  alpha: AlphaMode;
  maxPixels: number;
}

const resizeMethods = ["squish", "crop", "pad", "random-resized-crop"];
const alphaModes = ["drop", "black", "white"];

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 8192) throw new Error(`${field} must be an integer from 1 to 8192, got ${value}`);
  return value;
}

function resolveResize(partial: Partial<ResizeOptions> = {}): ResizeOptions {
  const resize = { ...defaultResizeOptions, ...partial };
  if (!resizeMethods.includes(resize.method)) throw new Error(`resize.method must be one of ${resizeMethods.join(", ")}, got "${resize.method}"`);
  if (resize.padMode !== "zeros" && resize.padMode !== "reflection") throw new Error(`resize.padMode must be zeros or reflection, got "${resize.padMode}"`);
  if (!(resize.minScale > 0 && resize.minScale <= resize.maxScale && resize.maxScale <= 1)) {
    throw new Error(`resize.minScale and maxScale must satisfy 0 < minScale <= maxScale <= 1, got ${resize.minScale} and ${resize.maxScale}`);
  }
  if (!(resize.ratio[0] > 0 && resize.ratio[0] <= resize.ratio[1])) throw new Error(`resize.ratio must be [low, high] with 0 < low <= high`);
  return resize;
}

function resolveAugment(partial: Partial<AugmentOptions> | false | undefined): AugmentOptions | undefined {
  if (partial === false || partial === undefined) return undefined;
  const augment = { ...defaultAugmentOptions, ...partial };
  for (const field of ["pAffine", "pLighting"] as const) {
    if (!(augment[field] >= 0 && augment[field] <= 1)) throw new Error(`augment.${field} must be in [0, 1], got ${augment[field]}`);
  }
  if (!(augment.maxLighting >= 0 && augment.maxLighting * augment.mult < 1)) throw new Error(`augment.maxLighting × mult must be in [0, 1)`);
  if (!(augment.minZoom > 0 && augment.minZoom <= augment.maxZoom)) throw new Error(`augment.minZoom must be > 0 and <= maxZoom`);
  return augment;
}

export function resolvePipeline(options: PipelineOptions): Pipeline {
  const size = typeof options.size === "number" ? { width: options.size, height: options.size } : options.size;
  const alpha = options.alpha ?? "drop";
  if (!alphaModes.includes(alpha)) throw new Error(`alpha must be one of ${alphaModes.join(", ")}, got "${alpha}"`);
  return {
    size: { width: positiveInteger(size.width, "size.width"), height: positiveInteger(size.height, "size.height") },
    resize: resolveResize(options.resize),
    augment: resolveAugment(options.augment),
    normalization: resolveNormalization(options.normalization ?? "imagenet"),
    alpha,
    maxPixels: options.maxPixels ?? defaultFileLimits.maxPixels,
  };
}

/** Decoded, resized and (on train) augmented, not yet normalized: values in [0, 1]. */
export async function prepareImage(bytes: Uint8Array, pipeline: Pipeline, train: boolean, seed: number): Promise<FloatImage> {
  const random = new Random(seed);
  const decodeOptions = { size: pipeline.size, resize: pipeline.resize, alpha: pipeline.alpha, limits: { maxPixels: pipeline.maxPixels } };
  const image = await decodeImage(bytes, decodeOptions, train, random);
  if (!train || !pipeline.augment) return image;
  return applyAugment(image, drawAugment(pipeline.augment, random), pipeline.augment.padMode);
}

export async function prepareImageFile(path: string, pipeline: Pipeline, train: boolean, seed: number): Promise<FloatImage> {
  return prepareImage(await readFile(path), pipeline, train, seed);
}
