/**
 * POST /api/v1/runs/:runId/metrics: compact metric ingestion for scripts that log many points
 * (columnar JSON, see metrics/columnar.ts). The same Bearer token, team scope and permission
 * (run:write) as the logMetrics mutation, and the same ingestion statement; it only skips
 * GraphQL's per-object input coercion, which costs more than the SQL on large batches.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { badInput, ingestColumns, notFound } from "@runboard/db";
import { GraphQLError } from "graphql";
import { createLoaders } from "../data/loaders.ts";
import { parseMetricColumns } from "../metrics/columnar.ts";
import { authorize } from "../services/permissions.ts";
import { authenticate } from "../services/viewer.ts";
import { id } from "../validation.ts";
import type { ContextDeps } from "./context.ts";

export const METRICS_ROUTE = /^\/api\/v1\/runs\/([^/]+)\/metrics$/;

/** 10,000 points with keys, epochs and wall times stay well under this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const STATUS_BY_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
};

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw badInput("body", `must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw badInput("body", "must be valid JSON");
  }
}

export async function serveMetricsRoute(deps: ContextDeps, request: IncomingMessage, response: ServerResponse, runId: string): Promise<void> {
  if (request.method !== "POST") {
    send(response, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "use POST" } }, { allow: "POST" });
    return;
  }
  try {
    const validRunId = id.safeParse(runId).success;
    // The run is read alongside authentication (one round trip less per batch); nothing of it
    // is used or revealed unless the caller may write to it.
    const [caller, run] = await Promise.all([
      authenticate(deps.db, request.headers.authorization),
      validRunId ? createLoaders(deps.db).run.load(runId) : Promise.resolve(null),
    ]);
    if (!validRunId) throw badInput("runId", "must be a UUID");
    const columns = parseMetricColumns(await readJson(request));
    if (run === null) throw notFound("run", runId);
    authorize(caller, run.teamId, "run:write", { kind: "run", id: runId });
    deps.rateLimits.charge("points", caller.tokenId, columns.keys.length);
    send(response, 200, await ingestColumns(deps.db, run, columns));
  } catch (error) {
    const code = error instanceof GraphQLError ? error.extensions.code : undefined;
    const status = typeof code === "string" ? STATUS_BY_CODE[code] : undefined;
    if (!(error instanceof GraphQLError) || status === undefined) throw error;
    const { field, rule, permission, retryAfter } = error.extensions;
    const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
    send(response, status, { error: { code, message: error.message, field, rule, permission, retryAfter } }, headers);
  }
}
