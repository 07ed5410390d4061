/**
 * The load bench: an API configured as `npm start` configures it (query limits, per-token rate
 * limits, a pool of 20 connections) over the bench's database, and four phases of `seconds`
 * each:
 *   REST and GraphQL, 4 loggers, no readers     throughput (≥ 150,000 and ≥ 100,000 points/s)
 *   REST and GraphQL, 8 loggers and 4 readers   latency (write and read p99 ≤ 250 ms)
 * Batches of 1,000 points. After each phase: rows stored = points acknowledged, exactly.
 */
import { createDb } from "@runboard/db";
import { createApiServer } from "../src/server/app.ts";
import { defaultQueryLimits } from "../src/server/limits-plugin.ts";
import { defaultRateLimits } from "../src/server/rate-limits.ts";
import { runLoadPhase, storedExactly, type LoadPhaseResult, type LoadPhaseSpec } from "./load.ts";
import { seedLoadTeam } from "./load-seed.ts";
import { cores, loadAverage, type LatencySummary } from "./measure.ts";

const BATCH = 1000;
/** Runs of the team besides the loggers' (params and summaries), for the runs page. */
const TABLE_RUNS = 2000;
const POOL_SIZE = 20;

/** A phase's targets (set for a quiet machine), each with whether the phase met it. */
type Target = (result: LoadPhaseResult) => Array<[label: string, met: boolean]>;

const throughput =
  (floor: number): Target =>
  (r) => [[`≥ ${floor.toLocaleString("en")} pts/s`, r.pointsPerSecond >= floor]];
const latency: Target = (r) => [
  ["write p99 ≤ 250 ms", r.writes.p99 <= 250],
  ["read p99 ≤ 250 ms", (r.reads.get("all reads")?.p99 ?? Number.NaN) <= 250],
];

export function loadPhases(seconds: number): Array<{ spec: LoadPhaseSpec; target: Target }> {
  const phase = (way: LoadPhaseSpec["way"], loggers: number, readers: number) => ({ way, loggers, readers, seconds, batchSize: BATCH });
  return [
    { spec: phase("rest", 4, 0), target: throughput(150_000) },
    { spec: phase("graphql", 4, 0), target: throughput(100_000) },
    { spec: phase("rest", 8, 4), target: latency },
    { spec: phase("graphql", 8, 4), target: latency },
  ];
}

/** `--load-seconds N` from the command line, else `fallback`. */
export function loadSecondsArgument(argv: readonly string[], fallback: number): number {
  const at = argv.indexOf("--load-seconds");
  if (at === -1) return fallback;
  const seconds = Number(argv[at + 1]);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--load-seconds needs a number of seconds > 0, got ${argv[at + 1]}`);
  return seconds;
}

const n = (value: number) => Math.round(value).toLocaleString("en");
const ms = (s: LatencySummary) =>
  `p50 ${s.p50.toFixed(1)} / p95 ${s.p95.toFixed(1)} / p99 ${s.p99.toFixed(1)} ms (max ${s.max.toFixed(0)}, ${n(s.count)} requests)`;

function printPhase(result: LoadPhaseResult, target: Target): void {
  const { way, loggers, readers } = result.spec;
  const title = `${way === "rest" ? "REST POST /api/v1/runs/:id/metrics" : "GraphQL logMetrics"}, ${loggers} loggers${readers > 0 ? ` + ${readers} readers` : ""}`;
  const verdicts = target(result)
    .map(([label, met]) => `${label} ${met ? "ok" : "MISSED"}`)
    .join("; ");
  console.log(`${title.padEnd(58)} ${`${n(result.pointsPerSecond)} pts/s`.padStart(16)}   ${verdicts}   load ${result.load}`);
  console.log(`      writes ${ms(result.writes)}`);
  for (const [kind, summary] of result.reads) {
    if (summary.count > 0) console.log(`      ${kind === "all reads" ? "reads " : `  ${kind}`.padEnd(16)} ${ms(summary)}`);
  }
  const { rows, summarized } = result.stored;
  const verdict = storedExactly(result) ? "equal, nothing lost or doubled" : "MISMATCH, points lost or doubled";
  console.log(`      stored ${n(rows)} rows for ${n(result.acknowledged)} acknowledged points, summaries count ${n(summarized)} — ${verdict}`);
  const perThousand = (seconds: number) => ((seconds * 1e6) / result.acknowledged).toFixed(1);
  const database = result.cpu.database === null ? "" : ` + PostgreSQL ${perThousand(result.cpu.database)} ms`;
  console.log(
    `      CPU per 1,000 points logged (reads included): API ${perThousand(result.cpu.node)} ms${database}; retried: ${result.rateLimited} × 429, ${result.failed} × fault`,
  );
}

/** Runs every phase against a database at `databaseUrl` (migrated); false when a phase lost or doubled points. */
export async function runLoadBench(databaseUrl: string, seconds: number): Promise<boolean> {
  const db = createDb(databaseUrl, { maxConnections: POOL_SIZE });
  const limits = { ...defaultQueryLimits, rate: defaultRateLimits };
  const api = await createApiServer({ pool: db.pool, limits });
  try {
    const endpoint = await api.listen(0, "127.0.0.1");
    const team = await seedLoadTeam(db, TABLE_RUNS);
    console.log(`load: ${seconds} s a phase, batches of ${n(BATCH)} points, each logger to a run of its own; readers load the runs, run and compare pages`);
    console.log(`      (${n(TABLE_RUNS)} other runs in the team); ${cores} cores, load average ${loadAverage()}; the clients run in the API's process`);
    console.log(
      `      rate limits: the API's defaults, per token ${n(defaultRateLimits.pointsPerSecond)} points/s and ${n(defaultRateLimits.queryCostPerSecond)} query cost/s;` +
        " every logger and reader has a token of its own",
    );
    let exact = true;
    for (const { spec, target } of loadPhases(seconds)) {
      const result = await runLoadPhase({ endpoint, db, team }, spec);
      printPhase(result, target);
      exact &&= storedExactly(result);
    }
    return exact;
  } finally {
    await api.close();
    await db.close();
  }
}
