/**
 * One phase of the load bench: `loggers` concurrent loggers, each sending batches to its own
 * run over REST or GraphQL, and `readers` dashboard readers, for `seconds`; then the points
 * stored for the loggers' runs are counted and compared with the points the API acknowledged.
 */
import type { Db } from "@runboard/db";
import { emptyLoggerTally, logBatch, logUntil, type Caller, type LoadWay, type LoggerTally } from "./load-clients.ts";
import { emptyReaderTally, readUntil, type ReaderTally, type ReadKind } from "./load-dashboard.ts";
import { countStored, createLiveRuns, seedCallers, type LoadTeam } from "./load-seed.ts";
import { cpuMeter, latencySummary, loadAverage, type LatencySummary } from "./measure.ts";

export interface LoadTarget {
  /** The API's GraphQL endpoint. */
  endpoint: string;
  db: Db;
  team: LoadTeam;
}

export interface LoadPhaseSpec {
  way: LoadWay;
  loggers: number;
  readers: number;
  seconds: number;
  /** Points a batch (1,000 in the bench). */
  batchSize: number;
}

export interface LoadPhaseResult {
  spec: LoadPhaseSpec;
  /** The loggers' runs, one each. */
  runIds: string[];
  /** Load average (1, 5, 15 min) when the phase started. */
  load: string;
  /** Points acknowledged by the API, the warm-up batches included. */
  acknowledged: number;
  /** Points stored for the loggers' runs, and the points their summaries count. */
  stored: { rows: number; summarized: number };
  /** Points sent after the clock started, per second until the last logger's last answer. */
  pointsPerSecond: number;
  writes: LatencySummary;
  reads: Map<ReadKind | "all reads", LatencySummary>;
  /** 429 answers waited out, and faults resent, by loggers and readers together. */
  rateLimited: number;
  failed: number;
  /** CPU seconds of the API process (with the bench's clients) and of its PostgreSQL backends (null: not readable). */
  cpu: { node: number; database: number | null };
}

interface Logger {
  caller: Caller;
  runId: string;
  tally: LoggerTally;
}

/** Waits for every task, then throws the first failure (no task is left running behind the count). */
async function settleAll(tasks: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure !== undefined) throw failure.reason;
}

async function prepareLoggers(target: LoadTarget, count: number): Promise<Logger[]> {
  const tokens = await seedCallers(target.db, target.team.teamId, "MEMBER", count);
  const runIds = await createLiveRuns(target.db, target.team, count);
  return tokens.map((token, i) => ({ caller: { endpoint: target.endpoint, token }, runId: runIds[i] ?? "", tally: emptyLoggerTally() }));
}

function readLatencies(tallies: ReaderTally[]): Map<ReadKind | "all reads", LatencySummary> {
  const byKind = new Map<ReadKind | "all reads", number[]>([["all reads", []]]);
  for (const tally of tallies) {
    for (const [kind, times] of tally.latencies) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), ...times]);
      byKind.get("all reads")?.push(...times);
    }
  }
  return new Map([...byKind].map(([kind, times]) => [kind, latencySummary(times)]));
}

export async function runLoadPhase(target: LoadTarget, spec: LoadPhaseSpec): Promise<LoadPhaseResult> {
  const loggers = await prepareLoggers(target, spec.loggers);
  const readerTokens = await seedCallers(target.db, target.team.teamId, "VIEWER", spec.readers);
  const readers = readerTokens.map((token) => ({ caller: { endpoint: target.endpoint, token }, tally: emptyReaderTally() }));
  const dashboard = { teamId: target.team.teamId, liveRunIds: loggers.map((logger) => logger.runId) };
  // Batch 0 of each logger warms its connection and the prepared statements, and gives the
  // readers' runs a first point; it is acknowledged and counted, not timed.
  await settleAll(loggers.map((l) => logBatch(spec.way, l.caller, l.runId, 0, spec.batchSize, l.tally)));

  const load = loadAverage();
  const stopCpu = await cpuMeter(target.db.pool);
  const start = performance.now();
  const deadline = start + spec.seconds * 1000;
  let writesEnd = start;
  const writing = settleAll(loggers.map((l) => logUntil(spec.way, l.caller, l.runId, spec.batchSize, deadline, 1, l.tally))).finally(() => {
    writesEnd = performance.now();
  });
  await settleAll([writing, ...readers.map((r, i) => readUntil(r.caller, dashboard, deadline, i, r.tally))]);
  const cpu = await stopCpu();

  const sum = (pick: (tally: LoggerTally) => number) => loggers.reduce((total, l) => total + pick(l.tally), 0);
  const retries = [...loggers, ...readers].map((client) => client.tally);
  return {
    spec,
    runIds: dashboard.liveRunIds,
    load,
    acknowledged: sum((tally) => tally.acknowledged),
    stored: await countStored(target.db, dashboard.liveRunIds),
    pointsPerSecond: sum((tally) => tally.timedPoints) / ((writesEnd - start) / 1000),
    writes: latencySummary(loggers.flatMap((l) => l.tally.latencies)),
    reads: readLatencies(readers.map((r) => r.tally)),
    rateLimited: retries.reduce((total, tally) => total + tally.rateLimited, 0),
    failed: retries.reduce((total, tally) => total + tally.failed, 0),
    cpu,
  };
}

/** Nothing lost and nothing doubled: every acknowledged point stored once, and folded into the summaries once. */
export function storedExactly(result: Pick<LoadPhaseResult, "acknowledged" | "stored">): boolean {
  return result.stored.rows === result.acknowledged && result.stored.summarized === result.acknowledged;
}
