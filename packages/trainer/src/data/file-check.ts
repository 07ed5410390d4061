/**
 * Accepting or rejecting one candidate image file: size limit, extension, decodability and
 * pixel-count limit. Never throws for a bad file: it returns the reason instead.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import sharp from "sharp";
import { decodeErrorReason } from "./decode-error.ts";
import { type FileLimits, imageExtensions } from "./dataset.ts";

export type FileCheck = { ok: true; sha256: string } | { ok: false; reason: string };

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

export async function checkImageFile(path: string, limits: FileLimits): Promise<FileCheck> {
  const extension = extname(path).toLowerCase();
  if (!imageExtensions.has(extension)) {
    return { ok: false, reason: `not an image file (extension "${extension}" is not one of ${[...imageExtensions].join(", ")})` };
  }
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size > limits.maxFileBytes) {
      return { ok: false, reason: `file is ${info.size} bytes, over the limit maxFileBytes=${limits.maxFileBytes}` };
    }
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, reason: `unreadable: ${message(error)}` };
  }
  const decodeProblem = await checkDecodable(bytes, limits);
  if (decodeProblem !== undefined) return { ok: false, reason: decodeProblem };
  return { ok: true, sha256: createHash("sha256").update(bytes).digest("hex") };
}

async function checkDecodable(bytes: Buffer, limits: FileLimits): Promise<string | undefined> {
  try {
    const meta = await sharp(bytes).metadata();
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (width * height > limits.maxPixels) {
      return `image is ${width}×${height} = ${width * height} pixels, over the limit maxPixels=${limits.maxPixels}`;
    }
    if (width === 0 || height === 0) return "image has no pixels";
    if (limits.verify === "full") {
      // Decoding every pixel once catches truncated or corrupt data that a header read misses.
      await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "error" }).raw().toBuffer();
    }
    return undefined;
  } catch (error) {
    return `not a decodable image: ${decodeErrorReason(error, bytes)}`;
  }
}
