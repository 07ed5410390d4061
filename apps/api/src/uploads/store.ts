/**
 * Uploads live in `<artifact root>/uploads/<team id>/<upload id>/`, the folder the team's
 * importDataset/importArchitecture read and workers train from. An upload is received and
 * extracted in a hidden staging folder beside them and renamed into place only when all of it
 * passed, so a refused or broken upload leaves nothing behind.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { badInput } from "@runboard/db";
import { extractTar } from "./extract-tar.ts";
import { extractZip } from "./extract-zip.ts";
import { ExtractionBudget, type UploadLimits } from "./limits.ts";
import { receiveBody } from "./receive.ts";

export type UploadFormat = "zip" | "tar" | "model";

export interface UploadResult {
  uploadId: string;
  format: UploadFormat;
  /** Bytes received. */
  bytes: number;
  files: number;
  extractedBytes: number;
}

const ARCHIVE_TYPES: Record<string, UploadFormat> = {
  "application/zip": "zip",
  "application/x-zip-compressed": "zip",
  "application/x-tar": "tar",
  "application/gzip": "tar",
  "application/x-gzip": "tar",
  "application/x-gtar": "tar",
};

export const MODEL_FILE = /^[\w][\w.\- ]{0,199}\.(onnx|tflite)$/i;

/** The upload's format from its Content-Type, or a model file by its name (any other Content-Type). */
export function uploadFormat(contentType: string | undefined, filename: string | null): UploadFormat {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const archive = ARCHIVE_TYPES[type];
  if (archive !== undefined) return archive;
  if (filename !== null) {
    if (!MODEL_FILE.test(filename)) throw badInput("filename", "must be a plain file name ending in .onnx or .tflite");
    return "model";
  }
  throw badInput(
    "Content-Type",
    "must be application/zip, application/x-tar or application/gzip (tar.gz); or send a model file with ?filename=<name>.onnx|.tflite",
  );
}

export const teamUploadsDir = (artifactRoot: string, teamId: string): string => join(resolve(artifactRoot), "uploads", teamId);

async function unpack(format: UploadFormat, body: string, files: string, filename: string | null, limits: UploadLimits) {
  const budget = new ExtractionBudget(limits);
  if (format === "model") {
    await mkdir(files);
    await rename(body, join(files, filename!));
    return { files: 1, extractedBytes: 0 };
  }
  await mkdir(files);
  if (format === "zip") await extractZip(body, files, budget);
  else await extractTar(body, files, budget, limits);
  if (budget.files === 0) throw badInput("body", "the archive holds no files");
  return { files: budget.files, extractedBytes: budget.bytes };
}

export async function storeUpload(
  request: IncomingMessage,
  target: { artifactRoot: string; teamId: string; format: UploadFormat; filename: string | null },
  limits: UploadLimits,
): Promise<UploadResult> {
  const uploadId = randomUUID();
  const teamDir = teamUploadsDir(target.artifactRoot, target.teamId);
  const staging = join(teamDir, `.staging-${uploadId}`);
  await mkdir(staging, { recursive: true });
  try {
    const bytes = await receiveBody(request, join(staging, "body"), limits.maxUploadBytes);
    const unpacked = await unpack(target.format, join(staging, "body"), join(staging, "files"), target.filename, limits);
    await rename(join(staging, "files"), join(teamDir, uploadId));
    return { uploadId, format: target.format, bytes, files: unpacked.files, extractedBytes: target.format === "model" ? bytes : unpacked.extractedBytes };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
