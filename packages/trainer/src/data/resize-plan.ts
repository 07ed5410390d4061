/**
 * Geometry of fastai's item resizes, as plain numbers: which box of the (oriented) source to
 * cut, what size to resize it to, and how to pad or crop afterwards. decode.ts turns a plan
 * into sharp operations; keeping the geometry here makes it testable without images.
 */
import type { Random } from "./random.ts";

export type ResizeMethod = "squish" | "crop" | "pad" | "random-resized-crop";
export type PadMode = "zeros" | "reflection";

export interface Size {
  width: number;
  height: number;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ResizeOptions {
  method: ResizeMethod;
  /** Padding used by method "pad" (fastai's default is reflection). */
  padMode: PadMode;
  /** random-resized-crop: smallest fraction of the area kept (fastai and torchvision: 0.08). */
  minScale: number;
  maxScale: number;
  /** random-resized-crop: aspect ratio range of the crop (3/4 to 4/3). */
  ratio: [number, number];
  /** random-resized-crop on validation: resize to size + this fraction, then center crop (0.14). */
  validExtra: number;
}

export const defaultResizeOptions: ResizeOptions = {
  method: "crop",
  padMode: "reflection",
  minScale: 0.08,
  maxScale: 1,
  ratio: [3 / 4, 4 / 3],
  validExtra: 0.14,
};

export interface ResizePlan {
  /** Box of the source image to keep before resizing (undefined: the whole image). */
  crop?: Box;
  resize: Size;
  /** Padding added after resizing, to reach the target size. */
  pad?: { left: number; top: number; right: number; bottom: number };
  /** Box cut after resizing (center crop of random-resized-crop on validation). */
  finalCrop?: Box;
}

/** Where a crop or pad sits: random on train, centered on valid (fastai's Resize). */
function placement(train: boolean, random: Random): [number, number] {
  return train ? [random.next(), random.next()] : [0.5, 0.5];
}

function cropPlan(source: Size, target: Size, train: boolean, random: Random): ResizePlan {
  const scale = Math.min(source.width / target.width, source.height / target.height);
  const width = Math.min(source.width, Math.max(1, Math.floor(scale * target.width)));
  const height = Math.min(source.height, Math.max(1, Math.floor(scale * target.height)));
  const [px, py] = placement(train, random);
  const crop = { left: Math.floor(px * (source.width - width)), top: Math.floor(py * (source.height - height)), width, height };
  return { crop, resize: target };
}

function padPlan(source: Size, target: Size, train: boolean, random: Random): ResizePlan {
  const scale = Math.max(source.width / target.width, source.height / target.height);
  const width = Math.min(target.width, Math.max(1, Math.round(source.width / scale)));
  const height = Math.min(target.height, Math.max(1, Math.round(source.height / scale)));
  const [px, py] = placement(train, random);
  const left = Math.floor(px * (target.width - width));
  const top = Math.floor(py * (target.height - height));
  return { resize: { width, height }, pad: { left, top, right: target.width - width - left, bottom: target.height - height - top } };
}

/** fastai's RandomResizedCrop: 10 tries at a random area and ratio, then a centered fallback. */
function randomResizedCropPlan(source: Size, target: Size, train: boolean, random: Random, options: ResizeOptions): ResizePlan {
  const { width: w, height: h } = source;
  if (!train) {
    const extra = Math.ceil((Math.max(target.width, target.height) * options.validExtra) / 8) * 8;
    const resize = { width: target.width + extra, height: target.height + extra };
    const finalCrop = { left: Math.floor(extra / 2), top: Math.floor(extra / 2), ...target };
    return { resize, finalCrop };
  }
  const [lowRatio, highRatio] = options.ratio;
  for (let attempt = 0; attempt < 10; attempt++) {
    const area = random.uniform(options.minScale, options.maxScale) * w * h;
    const ratio = Math.exp(random.uniform(Math.log(lowRatio), Math.log(highRatio)));
    const width = Math.round(Math.sqrt(area * ratio));
    const height = Math.round(Math.sqrt(area / ratio));
    if (width >= 1 && height >= 1 && width <= w && height <= h) {
      return { crop: { left: random.int(0, w - width), top: random.int(0, h - height), width, height }, resize: target };
    }
  }
  let width = w;
  let height = h;
  if (w / h < lowRatio) height = Math.max(1, Math.floor(w / lowRatio));
  else if (w / h > highRatio) width = Math.max(1, Math.floor(h * highRatio));
  return { crop: { left: Math.floor((w - width) / 2), top: Math.floor((h - height) / 2), width, height }, resize: target };
}

export function planResize(source: Size, target: Size, train: boolean, random: Random, options: ResizeOptions): ResizePlan {
  switch (options.method) {
    case "squish":
      return { resize: target };
    case "crop":
      return cropPlan(source, target, train, random);
    case "pad":
      return padPlan(source, target, train, random);
    case "random-resized-crop":
      return randomResizedCropPlan(source, target, train, random, options);
  }
}
