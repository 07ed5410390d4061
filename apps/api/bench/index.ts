/**
 * API benchmarks on a database of this machine (TEST_DATABASE_URL, else PostgreSQL on
 * 127.0.0.1:5432, else an embedded one), in a fresh database dropped at the end: single
 * requests, then the load phases (bench/load-bench.ts), 5 s each by default.
 *   npm run bench -w @runboard/api [-- --load-seconds 60]
 */
import { randomUUID } from "node:crypto";
import { createDb, generateApiToken, type Db } from "@runboard/db";
import { createApiServer } from "../src/server/app.ts";
import { withBenchDatabase } from "./database.ts";
import { measureIngestion, type IngestionMeasurement, type IngestionWay, type Target } from "./ingestion.ts";
import { loadSecondsArgument, runLoadBench } from "./load-bench.ts";
import { cores, loadAverage, median, percentiles } from "./measure.ts";
import { createRuns, seedRunTable, seedSeries } from "./seed.ts";

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
    randomUUID(),
    userId,
    tokenHash,
    prefix,
  ]);
  await db.pool.query(`INSERT INTO project (id, team_id, name) VALUES ($1, $2, 'bench')`, [projectId, teamId]);
  return { token, teamId, projectId };
}

const ROUNDS = 3;

/** Each way ROUNDS times, alternating, so that all see the same conditions; the median is reported. */
async function ingestionRounds(target: Target, db: Db) {
  const ways: IngestionWay[] = ["graphql", "rest", "sql"];
  const results = new Map<IngestionWay, IngestionMeasurement[]>(ways.map((way) => [way, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const way of ways) results.get(way)?.push(await measureIngestion(way, target, db));
  }
  return results;
}

/** Points/s that `cores` idle cores would sustain if CPU-bound: the API is one thread, PostgreSQL uses all cores. */
function capacity(m: IngestionMeasurement): number | null {
  const { node, database } = m.cpuPerBatch;
  if (database === null) return null;
  return Math.min((cores * 1e6) / (node + database), 1e6 / node);
}

function reportIngestion(name: string, list: IngestionMeasurement[], withTarget: boolean) {
  const rate = median(list.map((m) => m.pointsPerSecond));
  const all = list.map((m) => `${Math.round(m.pointsPerSecond / 1000)}k@${m.load.split(" ")[0]}`).join(" ");
  report(name, `${Math.round(rate).toLocaleString("en")} pts/s`, withTarget ? "≥ 100,000/s" : "-", !withTarget || rate >= 100_000);
  const cpu = median(list.map((m) => m.cpuPerBatch.node + (m.cpuPerBatch.database ?? Number.NaN)));
  const bound = median(list.map((m) => capacity(m) ?? Number.NaN));
  console.log(
    `      runs (rate@load1): ${all}; CPU per 1,000 points: API ${median(list.map((m) => m.cpuPerBatch.node)).toFixed(1)} ms` +
      (Number.isNaN(cpu)
        ? ""
        : ` + PostgreSQL ${median(list.map((m) => m.cpuPerBatch.database ?? 0)).toFixed(1)} ms → ≈ ${Math.round(bound / 1000)}k pts/s on ${cores} idle cores`),
  );
}

function report(name: string, value: string, target: string, ok: boolean, load = loadAverage()) {
  console.log(`${name.padEnd(58)} ${value.padStart(16)}   target ${target.padEnd(14)} ${(ok ? "ok" : "MISSED").padEnd(7)} load ${load}`);
}

function reportLatency(name: string, result: { p50: number; p95: number; load: string }, target: number | null) {
  const value = `p50 ${result.p50.toFixed(1)} ms`;
  report(`${name} (p95 ${result.p95.toFixed(1)})`, value, target === null ? "-" : `p50 ≤ ${target} ms`, target === null || result.p50 <= target, result.load);
}

/** The benches of single requests: ingestion rates, then read latencies over seeded data. */
async function requestBenches(url: string) {
  const db = createDb(url, { maxConnections: 16 });
  let api: Awaited<ReturnType<typeof createApiServer>> | undefined;
  try {
    api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 } });
    const target = { endpoint: await api.listen(0, "127.0.0.1"), ...(await seedCaller(db)) };

    console.log(`machine: ${cores} cores, load average ${loadAverage()} (1, 5, 15 min)`);
    const ingestion = await ingestionRounds(target, db);
    reportIngestion("logMetrics over HTTP (GraphQL), 4 clients, batches of 1,000", ingestion.get("graphql") ?? [], true);
    reportIngestion("POST /api/v1/runs/:id/metrics (REST), 4 clients, 1,000", ingestion.get("rest") ?? [], true);
    reportIngestion("  same points, SQL statement only (no HTTP, no GraphQL)", ingestion.get("sql") ?? [], false);

    let t0 = performance.now();
    const [longRun] = await createRuns(db.pool, target.teamId, target.projectId, 1);
    await seedSeries(db.pool, [longRun ?? ""], "loss", 1_000_000);
    console.log(`  (seeded 1,000,000 points in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const history = request(`query($runId: ID!) { metricHistory(runId: $runId, key: "loss", maxPoints: 1000) { points { step value } } }`, { runId: longRun });
    reportLatency("metricHistory, 1,000,000 points, maxPoints 1,000", await percentiles(() => post(target, history)), 50);
    const zoom = request(
      `query($runId: ID!) { metricHistory(runId: $runId, key: "loss", fromStep: 400000, toStep: 650000, maxPoints: 1000) { points { step } } }`,
      { runId: longRun },
    );
    reportLatency("  same, zoomed to 250,000 steps", await percentiles(() => post(target, zoom)), null);

    t0 = performance.now();
    await seedRunTable(db.pool, target.teamId, 10_000);
    console.log(`  (seeded 10,000 runs × 20 params × 5 summaries in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const runsPage = request(
      `query($teamId: ID) { runs(filter: { teamId: $teamId, params: [{ key: "p0", equals: 3 }] }, sort: { field: METRIC, key: "m0", direction: DESC }, first: 50) {
        nodes { id name status metric(key: "m0") { last } param(key: "p1") { value } } pageInfo { hasNextPage endCursor } } }`,
      { teamId: target.teamId },
    );
    reportLatency("runs: 10,000 runs, param filter, metric sort, first 50", await percentiles(() => post(target, runsPage)), 50);
    const counted = request(`query($teamId: ID) { runs(filter: { teamId: $teamId, params: [{ key: "p0", equals: 3 }] }, first: 50) { totalCount } }`, {
      teamId: target.teamId,
    });
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
    const compare = request(
      `query($runIds: [ID!]!) { compareRuns(runIds: $runIds, keys: ["loss"], maxPoints: 1000) { series { runId points { step value } } } }`,
      { runIds: compared },
    );
    reportLatency("compareRuns, 20 runs × 100,000 points, 1,000/series", await percentiles(() => post(target, compare), 20), 300);
  } finally {
    await api?.close();
    await db.close();
  }
}

/** The load phases here are short unless `--load-seconds N` is given (`npm run bench:load`: 60 s each). */
const LOAD_SECONDS = 5;

async function main() {
  const loadSeconds = loadSecondsArgument(process.argv.slice(2), LOAD_SECONDS);
  await withBenchDatabase(async ({ url, source }) => {
    console.log(`database: ${source}`);
    await requestBenches(url);
    if (!(await runLoadBench(url, loadSeconds))) process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
