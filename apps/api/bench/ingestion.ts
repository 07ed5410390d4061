/**
 * Ingestion throughput: 4 concurrent clients, each sending batches of 1,000 points (4 keys ×
 * 250 steps) to its own run, through GraphQL (logMetrics) and through the compact REST route;
 * and the same points through the SQL statement alone, without HTTP. Each way is measured
 * several times, alternating, and reports the load average and the CPU it cost.
 */
import { Database, type Db, ingestPoints } from "@runboard/db";
import { cpuMeter, loadAverage } from "./measure.ts";
import { createRuns } from "./seed.ts";

export interface Target {
  endpoint: string;
  token: string;
  teamId: string;
  projectId: string;
}

export type IngestionWay = "graphql" | "rest" | "sql";

export interface IngestionMeasurement {
  way: IngestionWay;
  pointsPerSecond: number;
  load: string;
  /** CPU milliseconds per 1,000 points: API process (with the bench's clients) and PostgreSQL backends. */
  cpuPerBatch: { node: number; database: number | null };
}

const KEYS = ["loss", "accuracy", "learning_rate", "grad_norm"];
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`;

function batchPoints(batch: number, batchSize: number) {
  const perKey = batchSize / KEYS.length;
  return KEYS.flatMap((key) => Array.from({ length: perKey }, (_, i) => ({ key, step: batch * perKey + i, value: Math.random() })));
}

/** A request for one batch: URL and body, built before timing (the number measures the server). */
function requestFor(way: "graphql" | "rest", target: Target, runId: string, points: ReturnType<typeof batchPoints>) {
  if (way === "graphql") return { url: target.endpoint, body: JSON.stringify({ query: LOG, variables: { runId, points } }) };
  return {
    url: target.endpoint.replace(/\/graphql$/, `/api/v1/runs/${runId}/metrics`),
    body: JSON.stringify({ keys: points.map((p) => p.key), steps: points.map((p) => p.step), values: points.map((p) => p.value) }),
  };
}

async function send(target: Target, request: { url: string; body: string }): Promise<void> {
  const response = await fetch(request.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
    body: request.body,
  });
  const result = (await response.json()) as { errors?: unknown; error?: unknown };
  if (!response.ok || result.errors !== undefined || result.error !== undefined) throw new Error(JSON.stringify(result));
}

async function ingestOverHttp(way: "graphql" | "rest", target: Target, runIds: string[], batches: number, batchSize: number) {
  const requests = runIds.map((runId) => Array.from({ length: batches + 1 }, (_, batch) => requestFor(way, target, runId, batchPoints(batch, batchSize))));
  // The first batch of each client warms connections and prepared statements; it is not timed.
  await Promise.all(requests.map((list) => send(target, list[0] as { url: string; body: string })));
  return () =>
    Promise.all(
      requests.map(async (list) => {
        for (const request of list.slice(1)) await send(target, request);
      }),
    );
}

async function ingestOverSql(db: Db, teamId: string, runIds: string[], batches: number, batchSize: number) {
  const database = new Database(db.pool);
  return () =>
    Promise.all(
      runIds.map(async (id) => {
        for (let batch = 0; batch < batches; batch++) await ingestPoints(database, { id, teamId }, batchPoints(batch, batchSize));
      }),
    );
}

export async function measureIngestion(way: IngestionWay, target: Target, db: Db, clients = 4, batches = 50, batchSize = 1000): Promise<IngestionMeasurement> {
  const runIds = await createRuns(db.pool, target.teamId, target.projectId, clients);
  const run =
    way === "sql" ? await ingestOverSql(db, target.teamId, runIds, batches, batchSize) : await ingestOverHttp(way, target, runIds, batches, batchSize);
  const load = loadAverage();
  const stop = await cpuMeter(db.pool);
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = await stop();
  const expected = clients * (way === "sql" ? batches : batches + 1) * batchSize;
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM metric_point WHERE run_id = ANY($1)`, [runIds]);
  if (rows[0].n !== expected) throw new Error(`${way} ingestion stored ${rows[0].n} points, expected ${expected}`);
  const perBatch = (cpuSeconds: number) => (cpuSeconds * 1000) / (clients * batches);
  return {
    way,
    pointsPerSecond: (clients * batches * batchSize) / seconds,
    load,
    cpuPerBatch: { node: perBatch(cpu.node), database: cpu.database === null ? null : perBatch(cpu.database) },
  };
}
