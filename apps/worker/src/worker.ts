/**
 * A worker process's loop: graphile-worker hands out train jobs (each to exactly one worker,
 * up to `concurrency` at once); a timer sweeps for runs whose worker died; one LISTEN
 * connection hears cancellations.
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
  const context: WorkerContext = {
    pool, workerId, artifactRoot: options.artifactRoot, cancels,
    device: options.device ?? { device: "cpu", threads: 0 },
    heartbeatMs: options.heartbeatMs ?? 10_000,
    flushMs: options.flushMs ?? 500,
    ...(options.onOverhead ? { onOverhead: options.onOverhead } : {}),
  };
  const runner: Runner = await runQueue({
    pgPool: pool, concurrency, noHandleSignals: true, pollInterval: options.pollIntervalMs ?? 2_000, logger: quietLogger(),
    taskList: { [TRAIN_TASK]: async (payload) => trainJob(context, parseTrainJob(payload)) },
  });
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const sweeper = setInterval(() => {
    sweepStaleRuns(pool, staleAfterMs)
      .then((swept) => swept.forEach((r) => console.log(`worker ${workerId}: run ${r.id} lost its worker; ${r.requeued ? `queued again as attempt ${r.attempt + 1}` : "FAILED"}`)))
      .catch(() => undefined);
  }, Math.max(250, Math.min(staleAfterMs / 2, 10_000)));
  return {
    workerId,
    pool,
    async stop() {
      clearInterval(sweeper);
      await runner.stop();
      await cancels.stop();
      await pool.end();
    },
  };
}
