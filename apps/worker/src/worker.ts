/**
 * A worker process's loop: graphile-worker hands out train jobs (each to exactly one worker,
 * up to `concurrency` at once), each trained in its own process under this one's supervision;
 * a timer sweeps for runs whose worker died; one LISTEN connection hears cancellations.
 *
 * stop(): every run in flight stops within one batch and goes back to the queue (it resumes
 * from its last checkpoint, here or on another worker), then the queue and the database
 * connections close. Calling it again waits for the same stop.
 */
import { hostname } from "node:os";
import { installQueue, parseTrainJob, quietLogger, TRAIN_TASK } from "@runboard/queue";
import { run as runQueue, type Runner } from "graphile-worker";
import pg from "pg";
import { CancelWatch } from "./cancel-watch.ts";
import type { DeviceOptions } from "./run-inputs.ts";
import { sweepStaleRuns } from "./recovery.ts";
import { trainJob, type WorkerContext } from "./train-run.ts";

export interface WorkerOptions {
  databaseUrl: string;
  artifactRoot: string;
  concurrency?: number;
  device?: DeviceOptions;
  workerId?: string;
  heartbeatMs?: number;
  staleAfterMs?: number;
  flushMs?: number;
  /** How often the queue is polled when no notification arrives (graphile-worker also LISTENs). */
  pollIntervalMs?: number;
  onOverhead?: WorkerContext["onOverhead"];
}

export interface RunningWorker {
  workerId: string;
  pool: pg.Pool;
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const concurrency = options.concurrency ?? 1;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: concurrency + 4, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by a restarting database must not crash the worker.
  pool.on("error", () => undefined);
  await installQueue(pool);
  const cancels = new CancelWatch(options.databaseUrl);
  await cancels.start();
  const shutdown = new AbortController();
  const context: WorkerContext = {
    pool,
    workerId,
    artifactRoot: options.artifactRoot,
    cancels,
    shutdown: shutdown.signal,
    supervised: new Set(),
    device: options.device ?? { device: "cpu", threads: 0 },
    heartbeatMs: options.heartbeatMs ?? 10_000,
    flushMs: options.flushMs ?? 500,
    ...(options.onOverhead ? { onOverhead: options.onOverhead } : {}),
  };
  const runner: Runner = await runQueue({
    pgPool: pool,
    concurrency,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs ?? 2_000,
    logger: quietLogger(),
    taskList: { [TRAIN_TASK]: async (payload) => trainJob(context, parseTrainJob(payload)) },
  });
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const sweeper = setInterval(
    () => {
      sweepStaleRuns(pool, staleAfterMs, [...context.supervised])
        .then((swept) => swept.forEach((r) => console.log(`worker ${workerId}: run ${r.id}: ${r.error}`)))
        .catch(() => undefined);
    },
    Math.max(250, Math.min(staleAfterMs / 2, 10_000)),
  );
  // The runner stops by itself when its pool fails for good; it must not be stopped twice.
  let runnerStopping = false;
  runner.events.on("stop", () => (runnerStopping = true));
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    clearInterval(sweeper);
    shutdown.abort();
    if (runnerStopping) await runner.promise.catch(() => undefined);
    else await runner.stop();
    await cancels.stop();
    await pool.end();
  };
  return {
    workerId,
    pool,
    stop: () => (stopped ??= stop()),
  };
}
