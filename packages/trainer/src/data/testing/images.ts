/** Generated images and data set folders for the data/ tests (no external data needed). */
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { Random } from "../random.ts";

export type PixelFunction = (x: number, y: number) => number[];

export interface ImageSpec {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  pixel: PixelFunction;
}

export function rawPixels(spec: ImageSpec): Buffer {
  const data = Buffer.alloc(spec.width * spec.height * spec.channels);
  for (let y = 0; y < spec.height; y++) {
    for (let x = 0; x < spec.width; x++) {
      const values = spec.pixel(x, y);
      for (let c = 0; c < spec.channels; c++) data[(y * spec.width + x) * spec.channels + c] = values[c] ?? 0;
    }
  }
  return data;
}

export interface WriteOptions {
  format: "png" | "jpeg" | "webp" | "gif";
  /** EXIF orientation tag (1-8), written into the file's metadata. */
  orientation?: number;
}

export async function encodeImage(spec: ImageSpec, options: WriteOptions): Promise<Buffer> {
  let image = sharp(rawPixels(spec), { raw: { width: spec.width, height: spec.height, channels: spec.channels } });
  if (options.orientation !== undefined) image = image.withMetadata({ orientation: options.orientation });
  if (options.format === "jpeg") return image.jpeg({ quality: 95, chromaSubsampling: "4:4:4" }).toBuffer();
  if (options.format === "webp") return image.webp({ lossless: true }).toBuffer();
  if (options.format === "gif") return image.gif().toBuffer();
  return image.png().toBuffer();
}

export async function writeImage(path: string, spec: ImageSpec, options: WriteOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await encodeImage(spec, options));
}

/** A noisy image whose mean colour depends on the class, so classes are told apart. */
export function classImage(classIndex: number, seed: number, width = 24, height = 20): ImageSpec {
  const random = new Random(seed);
  const base = [60 + 60 * (classIndex % 3), 60 + 50 * ((classIndex + 1) % 3), 200 - 40 * (classIndex % 4)];
  return {
    width,
    height,
    channels: 3,
    pixel: () => base.map((v) => Math.max(0, Math.min(255, Math.round(v + random.uniform(-40, 40))))),
  };
}

/** Writes `root/<prefix>/<class>/<class>_<i>.png` for each class and count. */
export async function writeClassFolders(root: string, counts: Record<string, number>, prefix = ""): Promise<void> {
  const names = Object.keys(counts).sort();
  for (const [c, name] of names.entries()) {
    for (let i = 0; i < (counts[name] ?? 0); i++) {
      const path = join(root, prefix, name, `${name}_${String(i).padStart(3, "0")}.png`);
      await writeImage(path, classImage(c, c * 1000 + i), { format: "png" });
    }
  }
}

/** A JPEG cut in the middle of its entropy-coded data. */
export async function truncatedJpeg(): Promise<Buffer> {
  const full = await encodeImage(classImage(0, 7, 64, 64), { format: "jpeg" });
  return full.subarray(0, Math.floor(full.length / 2));
}

/** A temporary folder removed by the returned cleanup function. */
export function temporaryFolder(prefix = "runboard-data-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
