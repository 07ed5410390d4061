/**
 * The MLflow-compatible tracking REST API under /api/2.0/mlflow/ (the artifacts proxy beside
 * it is artifacts.ts): the route table, Bearer authentication (MLFLOW_TRACKING_TOKEN is sent
 * as `Authorization: Bearer …`), request fields from the query (GET) or the JSON body (POST),
 * and MLflow's error format.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createLoaders } from "../data/loaders.ts";
import type { ContextDeps } from "../server/context.ts";
import { authenticate } from "../services/viewer.ts";
import { ARTIFACTS_PREFIX, serveMlflowArtifacts } from "./artifacts.ts";
import type { Handler } from "./context.ts";
import { invalidField, MlflowError } from "./errors.ts";
import { experimentRoutes } from "./experiments.ts";
import { fieldsOfBody, fieldsOfQuery } from "./input.ts";
import { inputRoutes } from "./inputs.ts";
import { loggingRoutes } from "./logging.ts";
import { answerErrors, sendJson } from "./respond.ts";
import { runRoutes } from "./runs.ts";
import { searchRoutes } from "./search.ts";

export const MLFLOW_PREFIX = "/api/2.0/mlflow/";

/** A log-batch of 1,000 metrics with long keys stays well under this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const ROUTES: Record<string, { methods: string[]; handle: Handler }> = {
  ...experimentRoutes,
  ...runRoutes,
  ...loggingRoutes,
  ...searchRoutes,
  ...inputRoutes,
};

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalidField("body", `must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Whether the path belongs to the MLflow API (tracking or artifacts). */
export function isMlflowPath(pathname: string): boolean {
  return pathname.startsWith(MLFLOW_PREFIX) || pathname === ARTIFACTS_PREFIX || pathname.startsWith(`${ARTIFACTS_PREFIX}/`);
}

export function serveMlflow(deps: ContextDeps, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  if (!url.pathname.startsWith(MLFLOW_PREFIX)) return serveMlflowArtifacts(deps, request, response, url);
  return answerErrors(request, response, async () => {
    const name = url.pathname.slice(MLFLOW_PREFIX.length);
    const route = ROUTES[name];
    if (route === undefined)
      throw new MlflowError("ENDPOINT_NOT_FOUND", `no endpoint ${url.pathname} on this server (see the API's README for the supported ones)`);
    const method = request.method ?? "GET";
    if (!route.methods.includes(method)) {
      sendJson(response, 405, { error_code: "BAD_REQUEST", message: `${name} takes ${route.methods.join(" or ")}` }, { allow: route.methods.join(", ") });
      return;
    }
    const caller = await authenticate(deps.db, request.headers.authorization);
    const fields = method === "GET" ? fieldsOfQuery(url.searchParams) : fieldsOfBody(await readText(request));
    const scope = { db: deps.db, loaders: createLoaders(deps.db), caller };
    sendJson(response, 200, await route.handle({ scope, deps, fields }));
  });
}
