/**
 * The mlflow-artifacts proxy under /api/2.0/mlflow-artifacts/artifacts/, what MLflow clients
 * use when a run's artifact_uri is `mlflow-artifacts:/<experiment id>/<run id>/artifacts`:
 *   PUT    …/artifacts/<experiment>/<run>/artifacts/<path>   upload a file (the raw body)
 *   GET    …/artifacts/<experiment>/<run>/artifacts/<path>   download it
 *   DELETE …/artifacts/<experiment>/<run>/artifacts/<path>   delete it
 *   GET    …/artifacts?path=<experiment>/<run>/artifacts[/<dir>]   list a folder
 * Files land in the run's folder of the artifact store (`runs/<run id>/mlflow/<path>`) and
 * are recorded as artifacts of kind "mlflow", so the dashboard lists and serves them like the
 * worker's. Multipart uploads (…/mpu/…) are not offered: clients fall back to one PUT.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { artifactPath, runArtifactDir } from "@runboard/queue";
import { createLoaders } from "../data/loaders.ts";
import type { ContextDeps } from "../server/context.ts";
import type { Scope } from "../services/projects.ts";
import { authenticate } from "../services/viewer.ts";
import { doesNotExist, invalidField, MlflowError } from "./errors.ts";
import { entityId } from "./input.ts";
import { answerErrors, sendJson } from "./respond.ts";
import { accessibleRun, activeRun } from "./store.ts";

export const ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts/artifacts";
export const MLFLOW_ARTIFACT_KIND = "mlflow";
const MAX_PATH_LENGTH = 1000;

interface ArtifactTarget {
  experimentId: string;
  runId: string;
  /** The path under the run's artifacts, "" for the run's root folder. */
  path: string;
}

/** `<experiment>/<run>/artifacts[/<path>]`, each part checked: no empty, `.` or `..` parts, no backslashes or NUL. */
export function artifactTarget(value: string, field: string): ArtifactTarget {
  if (value.length > MAX_PATH_LENGTH) throw invalidField(field, `must be at most ${MAX_PATH_LENGTH} characters`);
  if (value.includes("\\") || value.includes("\0")) throw invalidField(field, "must use / as its separator and hold no NUL bytes");
  const [experiment, run, folder, ...rest] = value.replace(/\/+$/, "").split("/");
  if (experiment === undefined || run === undefined || folder !== "artifacts") {
    throw invalidField(field, "must be <experiment id>/<run id>/artifacts[/<path>], as in the run's artifact_uri");
  }
  if (rest.some((part) => part === "" || part === "." || part === "..")) throw invalidField(field, "must not hold empty, '.' or '..' parts");
  return { experimentId: experiment, runId: run, path: rest.join("/") };
}

async function targetRun(scope: Scope, target: ArtifactTarget, write: boolean) {
  const runId = entityId(target.runId, "run");
  const run = write ? await activeRun(scope, runId) : await accessibleRun(scope, runId, "team:read");
  if (run.projectId !== target.experimentId.toLowerCase()) throw doesNotExist("run", `${target.experimentId}/${target.runId}`);
  return run;
}

function storedUri(runId: string, path: string): string {
  return `${runArtifactDir(runId)}/mlflow/${path}`;
}

/** Streams the body to `file`, hashing it; refused past `maxBytes`. */
async function receive(request: IncomingMessage, file: string, maxBytes: number): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(invalidField("body", `an artifact may be at most ${maxBytes} bytes`));
      else {
        hash.update(chunk);
        done(null, chunk);
      }
    },
  });
  // The request is piped, not part of the pipeline: a refusal must not destroy its socket
  // before the answer is written (the answer then closes the connection).
  const written = pipeline(meter, createWriteStream(file, { flags: "wx" }));
  const interrupted = () => {
    if (!request.complete) meter.destroy(new Error("the upload was interrupted"));
  };
  request.on("error", (error) => meter.destroy(error)).on("close", interrupted);
  request.pipe(meter);
  try {
    await written;
  } finally {
    request.unpipe(meter);
    request.off("close", interrupted);
  }
  return { bytes, sha256: hash.digest("hex") };
}

async function upload(deps: ContextDeps, scope: Scope, request: IncomingMessage, target: ArtifactTarget): Promise<object> {
  if (target.path === "") throw invalidField("path", "must name a file under the run's artifacts");
  const run = await targetRun(scope, target, true);
  const uri = storedUri(run.id, target.path);
  const file = artifactPath(deps.launch.artifactRoot, uri);
  await mkdir(dirname(file), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EEXIST" || error.code === "ENOTDIR" ? invalidField("path", "a folder of it is already a file") : error;
  });
  // Received beside its place and renamed in only when complete: a broken upload leaves nothing.
  const partial = `${file}.${randomBytes(6).toString("hex")}.partial`;
  try {
    const { bytes, sha256 } = await receive(request, partial, deps.launch.uploadLimits.maxUploadBytes);
    const stored = await scope.db.rows(
      `INSERT INTO artifact AS a (id, run_id, kind, name, uri, bytes, sha256) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
       ON CONFLICT (run_id, name) DO UPDATE SET uri = EXCLUDED.uri, bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, created_at = now()
       WHERE a.kind = EXCLUDED.kind RETURNING a.id`,
      [run.id, MLFLOW_ARTIFACT_KIND, target.path, uri, bytes, sha256],
    );
    if (stored.length === 0) throw invalidField("path", `the run already has an artifact '${target.path}' that Runboard's worker wrote`);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return {};
}

interface StoredArtifactRow {
  name: string;
  uri: string;
  bytes: number;
}

async function mlflowArtifacts(scope: Scope, runId: string, prefix: string): Promise<StoredArtifactRow[]> {
  return scope.db.rows<StoredArtifactRow>(
    `SELECT name, uri, bytes::float8 AS bytes FROM artifact WHERE run_id = $1 AND kind = $2 AND ($3 = '' OR name = $3 OR starts_with(name, $3 || '/'))
     ORDER BY name`,
    [runId, MLFLOW_ARTIFACT_KIND, prefix],
  );
}

async function download(deps: ContextDeps, scope: Scope, response: ServerResponse, target: ArtifactTarget): Promise<void> {
  const run = await targetRun(scope, target, false);
  const [artifact] = (await mlflowArtifacts(scope, run.id, target.path)).filter((row) => row.name === target.path);
  if (artifact === undefined) throw doesNotExist("artifact", target.path);
  const stream = createReadStream(artifactPath(deps.launch.artifactRoot, artifact.uri));
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => {
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(artifact.bytes) });
      stream.pipe(response).on("finish", resolve).on("error", reject);
    });
    stream.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "ENOENT" ? doesNotExist("artifact file", target.path) : error));
  });
}

async function remove(deps: ContextDeps, scope: Scope, target: ArtifactTarget): Promise<object> {
  if (target.path === "") throw invalidField("path", "must name a file or folder under the run's artifacts");
  const run = await targetRun(scope, target, true);
  const rows = await scope.db.rows<{ uri: string }>(
    `DELETE FROM artifact WHERE run_id = $1 AND kind = $2 AND (name = $3 OR starts_with(name, $3 || '/')) RETURNING uri`,
    [run.id, MLFLOW_ARTIFACT_KIND, target.path],
  );
  await Promise.all(rows.map((row) => rm(artifactPath(deps.launch.artifactRoot, row.uri), { force: true })));
  return {};
}

/** A folder's direct children: files with their size, sub-folders once each (MLflow's FileInfo). */
async function listFolder(scope: Scope, target: ArtifactTarget): Promise<object> {
  const run = await targetRun(scope, target, false);
  const prefix = target.path === "" ? "" : `${target.path}/`;
  const files = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
  for (const row of await mlflowArtifacts(scope, run.id, target.path)) {
    if (!row.name.startsWith(prefix)) continue;
    const [child, ...deeper] = row.name.slice(prefix.length).split("/");
    if (child === undefined || child === "") continue;
    files.set(child, deeper.length === 0 ? { path: child, is_dir: false, file_size: row.bytes } : { path: child, is_dir: true });
  }
  return { files: [...files.values()] };
}

export function serveMlflowArtifacts(deps: ContextDeps, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  return answerErrors(request, response, async () => {
    const method = request.method ?? "GET";
    const caller = await authenticate(deps.db, request.headers.authorization);
    const scope = { db: deps.db, loaders: createLoaders(deps.db), caller };
    if (url.pathname === ARTIFACTS_PREFIX || url.pathname === `${ARTIFACTS_PREFIX}/`) {
      if (method !== "GET") throw new MlflowError("ENDPOINT_NOT_FOUND", "list artifacts with GET …/artifacts?path=<experiment id>/<run id>/artifacts");
      sendJson(response, 200, await listFolder(scope, artifactTarget(url.searchParams.get("path") ?? "", "path")));
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname.slice(ARTIFACTS_PREFIX.length + 1));
    } catch {
      throw invalidField("path", "is not valid percent-encoding");
    }
    const target = artifactTarget(path, "path");
    if (method === "PUT") sendJson(response, 200, await upload(deps, scope, request, target));
    else if (method === "GET") await download(deps, scope, response, target);
    else if (method === "DELETE") sendJson(response, 200, await remove(deps, scope, target));
    else throw new MlflowError("ENDPOINT_NOT_FOUND", `${method} is not offered on artifacts: use PUT, GET or DELETE`);
  });
}
