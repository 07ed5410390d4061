/**
 * API benchmarks on a database of this machine (TEST_DATABASE_URL, else PostgreSQL on
 * 127.0.0.1:5432, else an embedded one), in a fresh database dropped at the end.
 *   npm run bench -w @runboard/api
 */
import { randomUUID } from "node:crypto";
import { createDb, generateApiToken, migrateDatabase, type Db } from "@runboard/db";
import { createDatabase, dropDatabase, newTestRunId } from "@runboard/db/testing/databases";
import { resolveTestServer, withDatabase } from "@runboard/db/testing/server";
import { Database } from "../src/data/database.ts";
import { ingestPoints } from "../src/metrics/ingest.ts";
import { createApiServer } from "../src/server/app.ts";
import { createRuns, seedRunTable, seedSeries } from "./seed.ts";

interface Target {
  endpoint: string;
  token: string;
  teamId: string;
  projectId: string;
}

async function post(target: Target, body: string): Promise<any> {
  const response = await fetch(target.endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
    body,
  });
  const result = (await response.json()) as { data?: unknown; errors?: unknown };
  if (result.errors !== undefined) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

const request = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

async function seedCaller(db: Db): Promise<Omit<Target, "endpoint">> {
  const teamId = randomUUID();
  const userId = randomUUID();
  const projectId = randomUUID();
  const { token, tokenHash, prefix } = generateApiToken();
  await db.pool.query(`INSERT INTO team (id, name, slug) VALUES ($1, 'bench', 'bench')`, [teamId]);
  await db.pool.query(`INSERT INTO app_user (id, email, name) VALUES ($1, 'bench@localhost', 'bench')`, [userId]);
  await db.pool.query(`INSERT INTO membership (team_id, user_id, role) VALUES ($1, $2, 'OWNER')`, [teamId, userId]);
  await db.pool.query(`INSERT INTO api_token (id, user_id, name, token_hash, prefix) VALUES ($1, $2, 'bench', $3, $4)`, [
    randomUUID(), userId, tokenHash, prefix,
  ]);
  await db.pool.query(`INSERT INTO project (id, team_id, name) VALUES ($1, $2, 'bench')`, [projectId, teamId]);
  return { token, teamId, projectId };
}

/** Median and 95th percentile of `iterations` sequential calls, after `warmup` untimed ones. */
async function percentiles(call: () => Promise<unknown>, iterations = 30, warmup = 3) {
  for (let i = 0; i < warmup; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`;

async function benchIngestion(target: Target, db: Db, clients = 4, batches = 50, batchSize = 1000) {
  const runIds = await createRuns(db.pool, target.teamId, target.projectId, clients);
  const keys = ["loss", "accuracy", "learning_rate", "grad_norm"];
  const perKey = batchSize / keys.length;
  // Request bodies are built before timing: the number measures the server, not JSON.stringify.
  const bodies = runIds.map((runId) =>
    Array.from({ length: batches + 1 }, (_, batch) =>
      request(LOG, {
        runId,
        points: keys.flatMap((key) => Array.from({ length: perKey }, (_, i) => ({ key, step: batch * perKey + i, value: Math.random() }))),
      }),
    ),
  );
  await Promise.all(bodies.map((list) => post(target, list[0] ?? "")));
  const start = performance.now();
  await Promise.all(bodies.map(async (list) => { for (const body of list.slice(1)) await post(target, body); }));
  const seconds = (performance.now() - start) / 1000;
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM metric_point WHERE run_id = ANY($1)`, [runIds]);
  if (rows[0].n !== clients * (batches + 1) * batchSize) throw new Error(`ingestion stored ${rows[0].n} points`);
  return (clients * batches * batchSize) / seconds;
}

/** The same ingestion without HTTP and GraphQL: what the SQL statement alone sustains. */
async function benchIngestionSql(target: Target, db: Db, writers = 4, batches = 50, batchSize = 1000) {
  const runIds = await createRuns(db.pool, target.teamId, target.projectId, writers);
  const database = new Database(db.pool);
  const start = performance.now();
  await Promise.all(
    runIds.map(async (id) => {
      for (let batch = 0; batch < batches; batch++) {
        const points = Array.from({ length: batchSize }, (_, i) => ({ key: `k${i % 4}`, step: batch * (batchSize / 4) + Math.floor(i / 4), value: Math.random() }));
        await ingestPoints(database, { id, teamId: target.teamId }, points);
      }
    }),
  );
  return (writers * batches * batchSize) / ((performance.now() - start) / 1000);
}

function report(name: string, value: string, target: string, ok: boolean) {
  console.log(`${name.padEnd(58)} ${value.padStart(16)}   target ${target.padEnd(14)} ${ok ? "ok" : "MISSED"}`);
}

async function main() {
  const server = await resolveTestServer();
  const database = `${newTestRunId()}_bench`;
  await createDatabase(server.maintenanceUrl, database);
  const url = withDatabase(server.maintenanceUrl, database);
  const db = createDb(url, { maxConnections: 16 });
  let api: Awaited<ReturnType<typeof createApiServer>> | undefined;
  try {
    await migrateDatabase(url);
    api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 } });
    const target = { endpoint: await api.listen(0, "127.0.0.1"), ...(await seedCaller(db)) };
    console.log(`database: ${server.source}`);

    const pointsPerSecond = await benchIngestion(target, db);
    report("logMetrics over HTTP, 4 clients, batches of 1,000", `${Math.round(pointsPerSecond).toLocaleString("en")} pts/s`, "≥ 100,000/s", pointsPerSecond >= 100_000);

    const sqlOnly = await benchIngestionSql(target, db);
    report("  same points, SQL statement only (no HTTP, no GraphQL)", `${Math.round(sqlOnly).toLocaleString("en")} pts/s`, "-", true);

    let t0 = performance.now();
    const [longRun] = await createRuns(db.pool, target.teamId, target.projectId, 1);
    await seedSeries(db.pool, [longRun ?? ""], "loss", 1_000_000);
    console.log(`  (seeded 1,000,000 points in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const history = request(`query($runId: ID!) { metricHistory(runId: $runId, key: "loss", maxPoints: 1000) { points { step value } } }`, { runId: longRun });
    const h = await percentiles(() => post(target, history));
    report("metricHistory, 1,000,000 points, maxPoints 1,000", `p50 ${h.p50.toFixed(1)} ms`, "p50 ≤ 50 ms", h.p50 <= 50);
    const zoom = request(`query($runId: ID!) { metricHistory(runId: $runId, key: "loss", fromStep: 400000, toStep: 650000, maxPoints: 1000) { points { step } } }`, { runId: longRun });
    const z = await percentiles(() => post(target, zoom));
    report("  same, zoomed to 250,000 steps", `p50 ${z.p50.toFixed(1)} ms`, "-", true);

    t0 = performance.now();
    await seedRunTable(db.pool, target.teamId, 10_000);
    console.log(`  (seeded 10,000 runs × 20 params × 5 summaries in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const runsPage = request(
      `query($teamId: ID) { runs(filter: { teamId: $teamId, params: [{ key: "p0", equals: 3 }] }, sort: { field: METRIC, key: "m0", direction: DESC }, first: 50) {
        nodes { id name status metric(key: "m0") { last } param(key: "p1") { value } } pageInfo { hasNextPage endCursor } } }`,
      { teamId: target.teamId },
    );
    const r = await percentiles(() => post(target, runsPage));
    report("runs: 10,000 runs, param filter, metric sort, first 50", `p50 ${r.p50.toFixed(1)} ms`, "p50 ≤ 50 ms", r.p50 <= 50);
    const counted = request(`query($teamId: ID) { runs(filter: { teamId: $teamId, params: [{ key: "p0", equals: 3 }] }, first: 50) { totalCount } }`, { teamId: target.teamId });
    const n = await percentiles(() => post(target, counted));
    report("  runs.totalCount, same filter", `p50 ${n.p50.toFixed(1)} ms`, "p50 ≤ 50 ms", n.p50 <= 50);
    for (const field of ["metricKeys", "paramKeys"]) {
      const keys = await percentiles(() => post(target, request(`query($teamId: ID) { ${field}(teamId: $teamId) }`, { teamId: target.teamId })));
      report(`${field}: 10,000 runs of the team`, `p50 ${keys.p50.toFixed(1)} ms`, "p50 ≤ 50 ms", keys.p50 <= 50);
    }

    t0 = performance.now();
    const compared = await createRuns(db.pool, target.teamId, target.projectId, 20);
    await seedSeries(db.pool, compared, "loss", 100_000);
    console.log(`  (seeded 20 × 100,000 points in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const compare = request(`query($runIds: [ID!]!) { compareRuns(runIds: $runIds, keys: ["loss"], maxPoints: 1000) { series { runId points { step value } } } }`, { runIds: compared });
    const c = await percentiles(() => post(target, compare), 20);
    report("compareRuns, 20 runs × 100,000 points, 1,000 per series", `p50 ${c.p50.toFixed(1)} ms`, "p50 ≤ 300 ms", c.p50 <= 300);
  } finally {
    await api?.close();
    await db.close();
    await dropDatabase(server.maintenanceUrl, database);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
