/**
 * The run queue on graphile-worker, in the platform's own database (schema graphile_worker).
 * Jobs are added with SQL (`graphile_worker.add_job`) so the API writes a run and its job in
 * one transaction; a worker takes each job exactly once. The job only names the run and the
 * attempt: the run row is the truth, and a job for an attempt that is no longer current is
 * skipped (that is how a run resumed after its worker died never trains twice).
 */
import { Logger, runMigrations } from "graphile-worker";
import type pg from "pg";

export const TRAIN_TASK = "train_run";

export interface TrainJob {
  runId: string;
  attempt: number;
}

export interface SqlExecutor {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Anything with a `run(text, values)` (the API's Queryable) or pg's `query`. */
export type Executor = SqlExecutor | { run(text: string, values?: unknown[]): Promise<number> };

async function execute(executor: Executor, text: string, values: unknown[]): Promise<void> {
  if ("run" in executor) await executor.run(text, values);
  else await executor.query(text, values);
}

/**
 * Adds the job inside the caller's transaction. graphile-worker runs lower priority numbers
 * first; runs carry "higher first", hence the sign. max_attempts 1: retries are the
 * platform's (recovery), never the queue's.
 */
export async function enqueueTrainJob(executor: Executor, job: TrainJob, priority = 0): Promise<void> {
  await execute(
    executor,
    `SELECT graphile_worker.add_job($1, json_build_object('runId', $2::text, 'attempt', $3::int),
       max_attempts := 1, job_key := $4, priority := $5)`,
    [TRAIN_TASK, job.runId, job.attempt, `run:${job.runId}:${job.attempt}`, -priority],
  );
}

export function parseTrainJob(payload: unknown): TrainJob {
  const job = payload as Partial<TrainJob> | null;
  if (typeof job?.runId !== "string" || typeof job.attempt !== "number") {
    throw new Error(`train job payload must be {runId, attempt}, got ${JSON.stringify(payload)}`);
  }
  return { runId: job.runId, attempt: job.attempt };
}

const installed = new WeakMap<pg.Pool, Promise<void>>();

/** Creates or upgrades the graphile_worker schema once per pool (concurrent installs are safe). */
export function installQueue(pool: pg.Pool): Promise<void> {
  let done = installed.get(pool);
  if (done === undefined) {
    done = runMigrations({ pgPool: pool, logger: quietLogger() });
    done.catch(() => installed.delete(pool));
    installed.set(pool, done);
  }
  return done;
}

/** graphile-worker's logger, keeping warnings and errors only, each with its cause (some messages leave it in their metadata). */
export function quietLogger(): Logger {
  return new Logger(() => (level, message, meta) => {
    if (level !== "error" && level !== "warning") return;
    const cause = meta?.error instanceof Error && !message.includes(meta.error.message) ? `: ${meta.error.message}` : "";
    console.error(`queue: ${message}${cause}`);
  });
}
