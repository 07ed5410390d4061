/**
 * Decoding one image file with sharp into a float RGB image, CHW, values in [0, 1]:
 * EXIF orientation applied, grey expanded to RGB, alpha dropped or flattened, then resized
 * by a ResizePlan.
 */
import sharp, { type Sharp } from "sharp";
import { defaultFileLimits, type FileLimits } from "./dataset.ts";
import { decodeErrorReason } from "./decode-error.ts";
import type { Random } from "./random.ts";
import { type PadMode, planResize, type ResizeOptions, type ResizePlan, type Size } from "./resize-plan.ts";

export interface FloatImage {
  /** CHW, 3 channels, values in [0, 1]. */
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * What to do with transparency. "drop" keeps the colour channels as they are, as PIL's
 * convert("RGB") does under fastai; "black" and "white" composite onto that background.
 */
export type AlphaMode = "drop" | "black" | "white";

export interface DecodeOptions {
  size: Size;
  resize: ResizeOptions;
  alpha: AlphaMode;
  limits: Pick<FileLimits, "maxPixels">;
}

/** Width and height after EXIF orientation. */
async function orientedSize(image: Sharp): Promise<Size> {
  const meta = await image.metadata();
  const oriented = meta.autoOrient;
  if (oriented?.width && oriented.height) return { width: oriented.width, height: oriented.height };
  if (!meta.width || !meta.height) throw new Error("image has no size in its header");
  return { width: meta.width, height: meta.height };
}

export function applyAlpha(image: Sharp, alpha: AlphaMode): Sharp {
  if (alpha === "drop") return image.removeAlpha();
  const level = alpha === "white" ? 255 : 0;
  return image.flatten({ background: { r: level, g: level, b: level } });
}

export function applyPlan(image: Sharp, plan: ResizePlan, padMode: PadMode): Sharp {
  let out = image;
  if (plan.crop) out = out.extract(plan.crop);
  out = out.resize({ width: plan.resize.width, height: plan.resize.height, fit: "fill", kernel: "linear" });
  if (plan.pad) {
    const extendWith = padMode === "reflection" ? "mirror" : "background";
    out = out.extend({ ...plan.pad, extendWith, background: { r: 0, g: 0, b: 0, alpha: 1 } });
  }
  if (plan.finalCrop) out = out.extract(plan.finalCrop);
  return out;
}

/** Interleaved 8-bit pixels with 1-4 channels to planar float RGB in [0, 1]. */
export function toFloatRgb(pixels: Uint8Array, width: number, height: number, channels: number): FloatImage {
  const area = width * height;
  const data = new Float32Array(3 * area);
  const colour = channels >= 3;
  for (let i = 0; i < area; i++) {
    const base = i * channels;
    const r = (pixels[base] as number) / 255;
    data[i] = r;
    data[area + i] = colour ? (pixels[base + 1] as number) / 255 : r;
    data[2 * area + i] = colour ? (pixels[base + 2] as number) / 255 : r;
  }
  return { data, width, height };
}

/** Decodes and resizes; `train` and `random` choose crop positions as fastai's Resize does. */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions, train: boolean, random: Random): Promise<FloatImage> {
  try {
    return await decodeAndResize(bytes, options, train, random);
  } catch (error) {
    throw new Error(decodeErrorReason(error, bytes), { cause: error });
  }
}

async function decodeAndResize(bytes: Uint8Array, options: DecodeOptions, train: boolean, random: Random): Promise<FloatImage> {
  const limitInputPixels = options.limits.maxPixels ?? defaultFileLimits.maxPixels;
  const open = () => sharp(bytes, { autoOrient: true, limitInputPixels, failOn: "error" });
  const needsSource = options.resize.method !== "squish";
  const source = needsSource ? await orientedSize(open()) : options.size;
  const plan = planResize(source, options.size, train, random, options.resize);
  const pipeline = applyPlan(applyAlpha(open(), options.alpha), plan, options.resize.padMode);
  const { data, info } = await pipeline.toColourspace("srgb").raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  return toFloatRgb(data, info.width, info.height, info.channels);
}
