/**
 * GET /datasets/<id>/files?path=<relative path>[&size=<px>]: one image of a dataset, for callers
 * in its team (Bearer token, as for GraphQL); with `size`, a PNG thumbnail that fits in
 * size × size (never enlarged).
 */
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isOutage } from "@runboard/db";
import sharp from "sharp";
import { z } from "zod";
import { readableDataset } from "../services/catalog.ts";
import { DatasetFileError, datasetFolder, resolveDatasetImage } from "../services/dataset-files.ts";
import { createContext, type ContextDeps } from "./context.ts";

export const DATASET_FILE_ROUTE = /^\/datasets\/([^/]+)\/files$/;
export const THUMBNAIL_SIZES = { min: 16, max: 512 };

function sendError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ error: message }));
}

function thumbnailSize(value: string | null): number | null {
  if (value === null) return null;
  const size = Number(value);
  if (!Number.isInteger(size) || size < THUMBNAIL_SIZES.min || size > THUMBNAIL_SIZES.max) {
    throw new DatasetFileError(400, `size: must be a whole number from ${THUMBNAIL_SIZES.min} to ${THUMBNAIL_SIZES.max}`);
  }
  return size;
}

/** The caller's dataset, or a 401/404 (another team's dataset answers as missing). */
async function callersDataset(deps: ContextDeps, request: IncomingMessage, datasetId: string) {
  let ctx;
  try {
    ctx = await createContext(deps, request.headers.authorization);
  } catch (error) {
    if (isOutage(error)) throw error;
    throw new DatasetFileError(401, error instanceof Error ? error.message : "unauthenticated");
  }
  if (!z.uuid().safeParse(datasetId).success) throw new DatasetFileError(404, `dataset ${datasetId} not found`);
  return readableDataset(ctx, datasetId).catch((error: unknown) => {
    if (isOutage(error)) throw error;
    throw new DatasetFileError(404, `dataset ${datasetId} not found`);
  });
}

async function sendImage(deps: ContextDeps, request: IncomingMessage, response: ServerResponse, datasetId: string, url: URL) {
  const size = thumbnailSize(url.searchParams.get("size"));
  const dataset = await callersDataset(deps, request, datasetId);
  const image = await resolveDatasetImage(await datasetFolder(dataset, deps.launch), url.searchParams.get("path") ?? "");
  const headers = { "cache-control": "private, max-age=3600", "x-content-type-options": "nosniff" };
  if (size !== null) {
    const png = await sharp(image.path, { limitInputPixels: 100_000_000 })
      .resize(size, size, { fit: "inside", withoutEnlargement: true })
      .png()
      .toBuffer()
      .catch(() => {
        throw new DatasetFileError(400, "path: the file is not a readable image");
      });
    response.writeHead(200, { ...headers, "content-type": "image/png", "content-length": String(png.length) });
    response.end(png);
    return;
  }
  response.writeHead(200, { ...headers, "content-type": image.contentType, "content-length": String(image.bytes) });
  await new Promise<void>((resolve, reject) => {
    createReadStream(image.path).on("error", reject).on("end", resolve).pipe(response);
  });
}

export async function serveDatasetFile(deps: ContextDeps, request: IncomingMessage, response: ServerResponse, datasetId: string, url: URL) {
  try {
    await sendImage(deps, request, response, datasetId, url);
  } catch (error) {
    if (!(error instanceof DatasetFileError)) throw error;
    sendError(response, error.status, error.message);
  }
}
