/**
 * Decoding class-index masks: 8-bit PNG (or other lossless) files whose pixel values are class
 * indices. Grey masks (1 channel, or RGB with R = G = B) are read as they are; colour masks
 * (and palette PNGs, which sharp expands to their colours) are mapped back to indices through
 * the class colours. Lossy or 16-bit masks are refused: they cannot hold exact indices.
 */
import sharp, { type Metadata, type OutputInfo } from "sharp";
import { decodeErrorReason } from "../decode-error.ts";
import type { ClassList, Colour } from "./classes.ts";

export interface Mask {
  /** Row-major class indices (or the ignore index), one byte per pixel. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface MaskDecodeOptions {
  /** Maps colour masks back to indices; without it only grey masks are accepted. */
  classes?: Pick<ClassList, "colours" | "ignoreIndex" | "ignoreColour">;
  maxPixels: number;
}

const lossless = new Set(["png", "gif", "tiff", "bmp"]);

const colourKey = (r: number, g: number, b: number) => (r << 16) | (g << 8) | b;

function colourIndex(classes: NonNullable<MaskDecodeOptions["classes"]>): Map<number, number> {
  const table = new Map<number, number>();
  const entries: [Colour, number][] = [...classes.colours.map((c, i) => [c, i] as [Colour, number]), [classes.ignoreColour, classes.ignoreIndex]];
  for (const [[r, g, b], index] of entries) if (!table.has(colourKey(r, g, b))) table.set(colourKey(r, g, b), index);
  return table;
}

function isGrey(pixels: Uint8Array, channels: number): boolean {
  for (let i = 0; i < pixels.length; i += channels) if (pixels[i] !== pixels[i + 1] || pixels[i] !== pixels[i + 2]) return false;
  return true;
}

function mapColours(pixels: Uint8Array, channels: number, width: number, classes: NonNullable<MaskDecodeOptions["classes"]>): Uint8Array {
  const table = colourIndex(classes);
  const out = new Uint8Array(pixels.length / channels);
  for (let p = 0; p < out.length; p++) {
    const base = p * channels;
    const index = table.get(colourKey(pixels[base]!, pixels[base + 1]!, pixels[base + 2]!));
    if (index === undefined) {
      const colour = `[${pixels[base]}, ${pixels[base + 1]}, ${pixels[base + 2]}]`;
      throw new Error(`mask colour ${colour} at x=${p % width}, y=${Math.floor(p / width)} is not the colour of any class`);
    }
    out[p] = index;
  }
  return out;
}

/** Decodes a mask file's bytes; throws an Error whose message says what is wrong with it. */
export async function decodeMask(bytes: Uint8Array, options: MaskDecodeOptions): Promise<Mask> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (error) {
    throw new Error(`not a decodable mask: ${decodeErrorReason(error, bytes)}`, { cause: error });
  }
  if (!meta.format || !lossless.has(meta.format)) {
    throw new Error(`mask is ${meta.format ?? "an unknown format"}; masks must be lossless (PNG) so class indices stay exact`);
  }
  if (meta.depth !== "uchar" && meta.depth !== "char") throw new Error(`mask has ${meta.depth} samples; expected 8-bit class indices`);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height === 0) throw new Error("mask has no pixels");
  if (width * height > options.maxPixels)
    throw new Error(`mask is ${width}×${height} = ${width * height} pixels, over the limit maxPixels=${options.maxPixels}`);
  let raw: { data: Buffer; info: OutputInfo };
  try {
    // No autoOrient: masks are written by programs, pixel for pixel with their image's stored order.
    raw = await sharp(bytes, { limitInputPixels: options.maxPixels, failOn: "error" }).raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new Error(`not a decodable mask: ${decodeErrorReason(error, bytes)}`, { cause: error });
  }
  const pixels = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length);
  const channels = raw.info.channels;
  const grey = (): Mask => {
    const data = new Uint8Array(width * height);
    for (let p = 0; p < data.length; p++) data[p] = pixels[p * channels]!;
    return { data, width, height };
  };
  if (channels <= 2) return grey();
  if (!options.classes) {
    if (isGrey(pixels, channels)) return grey();
    throw new Error("mask has colour pixels (R, G, B differ) and no class colours are known to map them to indices; store class indices as grey values");
  }
  // Class colours known: a colour mask (or a palette PNG) maps through them; an RGB file of
  // grey index values that does not map is read as indices.
  try {
    return { data: mapColours(pixels, channels, width, options.classes), width, height };
  } catch (error) {
    if (isGrey(pixels, channels)) return grey();
    throw error;
  }
}

/** How many pixels hold each value 0-255. */
export function maskHistogram(mask: Mask): Uint32Array {
  const counts = new Uint32Array(256);
  for (const value of mask.data) counts[value]!++;
  return counts;
}

/** The values that are neither a class index nor the ignore index, with their pixel counts. */
export function invalidValues(histogram: Uint32Array, classCount: number, ignoreIndex: number): [number, number][] {
  const invalid: [number, number][] = [];
  for (let value = classCount; value < 256; value++) if (value !== ignoreIndex && histogram[value]! > 0) invalid.push([value, histogram[value]!]);
  return invalid;
}
