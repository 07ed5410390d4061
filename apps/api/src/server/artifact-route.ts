/** GET /artifacts/<id>: an artifact's bytes, for callers in the run's team (Bearer token, as for GraphQL). */
import { createReadStream, existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { basename, extname } from "node:path";
import { type Database, isOutage } from "@runboard/db";
import { artifactPath } from "@runboard/queue";
import { downloadableArtifact } from "../services/artifacts.ts";
import { authenticate } from "../services/viewer.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".json": "application/json",
  ".csv": "text/csv",
  ".txt": "text/plain; charset=utf-8",
  ".onnx": "application/octet-stream",
  ".safetensors": "application/octet-stream",
};

function sendError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ error: message }));
}

export async function serveArtifact(db: Database, artifactRoot: string, request: IncomingMessage, response: ServerResponse, artifactId: string) {
  let caller;
  try {
    caller = await authenticate(db, request.headers.authorization);
  } catch (error) {
    if (isOutage(error)) throw error;
    sendError(response, 401, error instanceof Error ? error.message : "unauthenticated");
    return;
  }
  const artifact = await downloadableArtifact(db, caller, artifactId);
  const path = artifact === null ? null : artifactPath(artifactRoot, artifact.uri);
  if (artifact === null || path === null || !existsSync(path)) {
    sendError(response, 404, `artifact ${artifactId} not found`);
    return;
  }
  response.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
    "content-length": String(artifact.bytes),
    "content-disposition": `attachment; filename="${basename(artifact.name).replaceAll('"', "")}"`,
  });
  await new Promise<void>((resolve, reject) => {
    createReadStream(path).on("error", reject).on("end", resolve).pipe(response);
  });
}
