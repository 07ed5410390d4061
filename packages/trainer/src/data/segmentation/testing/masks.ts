/** Generated image/mask pairs for the segmentation tests (no external data needed). */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import sharp from "sharp";
import type { Colour } from "../classes.ts";

/** Class index at (x, y). */
export type MaskFunction = (x: number, y: number) => number;

export function maskPixels(width: number, height: number, value: MaskFunction): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return data;
}

/** A single-channel 8-bit PNG of class indices. */
export async function writeMask(path: string, width: number, height: number, value: MaskFunction): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    await sharp(Buffer.from(maskPixels(width, height, value)), { raw: { width, height, channels: 1 } })
      .png()
      .toBuffer(),
  );
}

/** An RGB PNG painting each class in its colour (a colour mask). */
export async function writeColourMask(path: string, width: number, height: number, value: MaskFunction, colours: Colour[]): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(colours[value(x, y)]!, (y * width + x) * 3);
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    await sharp(data, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** Distinct, far-apart colours for classes 0-3 in the generated images. */
export const pairColours: Colour[] = [
  [230, 30, 30],
  [30, 230, 30],
  [30, 30, 230],
  [230, 230, 30],
];

/** An RGB image whose pixels take the colour of their class in `value`: image and mask agree. */
export async function encodePairImage(width: number, height: number, value: MaskFunction, format: "png" | "jpeg" = "png"): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pairColours[value(x, y) % pairColours.length]!, (y * width + x) * 3);
  }
  const image = sharp(data, { raw: { width, height, channels: 3 } });
  return format === "jpeg" ? image.jpeg({ quality: 95 }).toBuffer() : image.png().toBuffer();
}

export async function writePairImage(path: string, width: number, height: number, value: MaskFunction, format: "png" | "jpeg" = "png"): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await encodePairImage(width, height, value, format));
}

/** Four quadrants, classes 0 (top left), 1 (top right), 2 (bottom left), 3 (bottom right). */
export function quadrants(width: number, height: number): MaskFunction {
  return (x, y) => (x < width / 2 ? 0 : 1) + (y < height / 2 ? 0 : 2);
}
