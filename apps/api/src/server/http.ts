/** Node's http server: POST/GET /graphql through Apollo, GET /health, GET /artifacts/:id, GET /datasets/:id/files, POST /api/v1/runs/:id/metrics, POST /uploads, the MLflow REST API under /api/2.0/mlflow/ and /api/2.0/mlflow-artifacts/. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import { type Database, isOutage } from "@runboard/db";
import { isMlflowPath, serveMlflow } from "../mlflow/routes.ts";
import { serveArtifact } from "./artifact-route.ts";
import { createContext, type ApiContext, type ContextDeps } from "./context.ts";
import { DATASET_FILE_ROUTE, serveDatasetFile } from "./dataset-file-route.ts";
import { METRICS_ROUTE, serveMetricsRoute } from "./metrics-route.ts";
import { UPLOAD_ROUTE, serveUploadRoute } from "./upload-route.ts";

/** 10,000 points of JSON fit well within this. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** Any failure of `SELECT 1` is an unusable database; its message (the server's address) is not sent. */
async function health(db: Database, response: ServerResponse): Promise<void> {
  try {
    await db.rows("SELECT 1");
    send(response, 200, { status: "ok" });
  } catch {
    send(response, 503, { status: "unavailable", reason: "database unavailable" });
  }
}

async function graphql(apollo: ApolloServer<ApiContext>, deps: ContextDeps, request: IncomingMessage, response: ServerResponse, url: URL) {
  let body: unknown;
  try {
    const text = request.method === "POST" ? await readBody(request) : "";
    body = text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    send(response, 400, { errors: [{ message: `body: ${error instanceof Error ? error.message : "unreadable"}`, extensions: { code: "BAD_REQUEST" } }] });
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? "GET", headers, search: url.search, body },
    context: () => createContext(deps, request.headers.authorization),
  });
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === "complete") {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

export function createRequestHandler(apollo: ApolloServer<ApiContext>, deps: ContextDeps) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const artifact = /^\/artifacts\/([^/]+)$/.exec(url.pathname);
    const metrics = METRICS_ROUTE.exec(url.pathname);
    const datasetFile = DATASET_FILE_ROUTE.exec(url.pathname);
    const handle =
      url.pathname === "/health" && request.method === "GET"
        ? health(deps.db, response)
        : artifact?.[1] !== undefined && request.method === "GET"
          ? serveArtifact(deps.db, deps.launch.artifactRoot, request, response, artifact[1])
          : datasetFile?.[1] !== undefined && request.method === "GET"
            ? serveDatasetFile(deps, request, response, datasetFile[1], url)
            : url.pathname === UPLOAD_ROUTE
              ? serveUploadRoute(deps, request, response, url)
              : metrics?.[1] !== undefined
                ? serveMetricsRoute(deps, request, response, metrics[1])
                : isMlflowPath(url.pathname)
                  ? serveMlflow(deps, request, response, url)
                  : url.pathname === "/graphql"
                    ? graphql(apollo, deps, request, response, url)
                    : Promise.resolve(send(response, 404, { error: "not found: use /graphql, /health, /artifacts/<id>, /datasets/<id>/files or /uploads" }));
    handle.catch((error: unknown) => {
      const outage = isOutage(error);
      if (!outage) console.error(error);
      if (response.headersSent) response.end();
      else if (outage) send(response, 503, { error: { code: "DATABASE_UNAVAILABLE", message: "database unavailable" } });
      else send(response, 500, { error: "internal error" });
    });
  };
}
