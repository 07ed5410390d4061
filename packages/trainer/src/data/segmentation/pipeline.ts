/**
 * The per-pair pipeline: decode the image (sharp) and its mask, resize both with one plan
 * (image smoothly, mask by nearest neighbour), then on train one augmentation draw moves both
 * (flip, rotation, zoom, perspective warp: bilinear for the image, nearest for the mask) and
 * lighting changes the image only. One seed per item and epoch drives every random choice.
 */
import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { affineOf, type AugmentDraw, drawAugment } from "../augment.ts";
import { applyAlpha, applyPlan, type FloatImage, toFloatRgb } from "../decode.ts";
import { decodeErrorReason } from "../decode-error.ts";
import { applyLighting } from "../lighting.ts";
import { writeNormalized } from "../normalize.ts";
import { type Pipeline, type PipelineOptions, resolvePipeline } from "../pipeline.ts";
import { Random } from "../random.ts";
import { planResize } from "../resize-plan.ts";
import { warpImage } from "../warp.ts";
import type { ClassList } from "./classes.ts";
import type { SegmentationItem } from "./dataset.ts";
import { decodeMask, type Mask } from "./mask.ts";
import { resizeMaskWithPlan, warpMask } from "./mask-geometry.ts";

export interface SegmentationPipelineOptions extends PipelineOptions {
  /** The data set's classes: the ignore index fills padding, the colours map colour masks. */
  classes: ClassList;
}

export interface SegmentationPipeline extends Pipeline {
  classes: ClassList;
}

export function resolveSegmentationPipeline(options: SegmentationPipelineOptions): SegmentationPipeline {
  return { ...resolvePipeline(options), classes: options.classes };
}

export interface SegmentationPair {
  /** CHW, values in [0, 1], not normalized. */
  image: FloatImage;
  mask: Mask;
}

function movesPixels(draw: AugmentDraw): boolean {
  return draw.flipped || draw.dihedral !== 0 || draw.rotateDegrees !== 0 || draw.zoom !== 1 || draw.warp.x !== 0 || draw.warp.y !== 0;
}

/** One augmentation draw on an image and its mask together. */
export function augmentPair(pair: SegmentationPair, draw: AugmentDraw, pipeline: Pick<SegmentationPipeline, "classes" | "augment">): SegmentationPair {
  const padMode = pipeline.augment?.padMode ?? "reflection";
  let { image, mask } = pair;
  if (movesPixels(draw)) {
    const affine = affineOf(draw, image.width, image.height);
    image = warpImage(image, affine, draw.warp, padMode);
    mask = warpMask(mask, affine, draw.warp, padMode, pipeline.classes.ignoreIndex);
  }
  return { image: applyLighting(image, draw.lighting), mask };
}

/** Decodes, resizes and (on train) augments an image and its mask. */
export async function preparePair(
  imageBytes: Uint8Array,
  maskBytes: Uint8Array,
  pipeline: SegmentationPipeline,
  train: boolean,
  seed: number,
): Promise<SegmentationPair> {
  const random = new Random(seed);
  const mask = await decodeMask(maskBytes, { classes: pipeline.classes, maxPixels: pipeline.maxPixels });
  let image: FloatImage;
  let resizedMask: Mask;
  try {
    const open = () => sharp(imageBytes, { autoOrient: true, limitInputPixels: pipeline.maxPixels, failOn: "error" });
    const meta = await open().metadata();
    const width = meta.autoOrient?.width ?? meta.width ?? 0;
    const height = meta.autoOrient?.height ?? meta.height ?? 0;
    if (width !== mask.width || height !== mask.height) throw new Error(`mask is ${mask.width}×${mask.height} but the image is ${width}×${height}`);
    const plan = planResize({ width, height }, pipeline.size, train, random, pipeline.resize);
    const resized = applyPlan(applyAlpha(open(), pipeline.alpha), plan, pipeline.resize.padMode);
    const { data, info } = await resized.toColourspace("srgb").raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    image = toFloatRgb(data, info.width, info.height, info.channels);
    resizedMask = resizeMaskWithPlan(mask, plan, pipeline.classes.ignoreIndex);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("mask is")) throw error;
    throw new Error(decodeErrorReason(error, imageBytes), { cause: error });
  }
  const pair = { image, mask: resizedMask };
  if (!train || !pipeline.augment) return pair;
  return augmentPair(pair, drawAugment(pipeline.augment, random), pipeline);
}

export async function preparePairFiles(
  item: Pick<SegmentationItem, "path" | "maskPath">,
  pipeline: SegmentationPipeline,
  train: boolean,
  seed: number,
): Promise<SegmentationPair> {
  const [imageBytes, maskBytes] = await Promise.all([readFile(item.path), readFile(item.maskPath)]);
  try {
    return await preparePair(imageBytes, maskBytes, pipeline, train, seed);
  } catch (error) {
    throw new Error(`${item.path}: ${(error as Error).message}`, { cause: error });
  }
}

export interface SegmentationBatch {
  /** Normalized images, NCHW float32. */
  images: Float32Array;
  /** Class indices (ignore index kept), N×H×W int64, as SoftmaxCrossEntropyLoss takes them. */
  labels: BigInt64Array;
  dims: { batch: number; height: number; width: number };
}

/** Prepares items into one batch; `seeds[i]` is item i's seed (itemSeed(seed, epoch, index)). */
export async function prepareSegmentationBatch(
  items: Pick<SegmentationItem, "path" | "maskPath">[],
  pipeline: SegmentationPipeline,
  train: boolean,
  seeds: number[],
): Promise<SegmentationBatch> {
  const { width, height } = pipeline.size;
  const area = width * height;
  const images = new Float32Array(items.length * 3 * area);
  const labels = new BigInt64Array(items.length * area);
  const pairs = await Promise.all(items.map((item, i) => preparePairFiles(item, pipeline, train, seeds[i] ?? i)));
  pairs.forEach((pair, i) => {
    writeNormalized(pair.image, pipeline.normalization, images, i * 3 * area);
    for (let p = 0; p < area; p++) labels[i * area + p] = BigInt(pair.mask.data[p]!);
  });
  return { images, labels, dims: { batch: items.length, height, width } };
}
