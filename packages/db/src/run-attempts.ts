/**
 * Run attempts: one row each time a worker takes a run (Run.attempt is the latest number). The
 * worker writes them: the start with the claim, the training process's pid once forked, the
 * checkpoint the attempt resumed from, and how it ended. Whoever ends an attempt first wins
 * (only an open attempt is ended): a cancel through the API, the worker's own conclusion, or
 * another worker's sweep when this one died.
 */
import type { Queryable } from "./database.ts";
import type { AttemptOutcome } from "./generated/prisma/enums.ts";

export interface RunAttemptRecord {
  runId: string;
  number: number;
  startedAt: Date;
  endedAt: Date | null;
  outcome: AttemptOutcome | null;
  error: string | null;
  resumedFromStep: number | null;
  resumedFromEpoch: number | null;
  workerId: string;
  host: string;
  pid: number | null;
}

export const RUN_ATTEMPT_COLUMNS = `ra.run_id AS "runId", ra.number, ra.started_at AS "startedAt", ra.ended_at AS "endedAt",
  ra.outcome, ra.error, ra.resumed_from_step AS "resumedFromStep", ra.resumed_from_epoch AS "resumedFromEpoch",
  ra.worker_id AS "workerId", ra.host, ra.pid`;

/** Attempt `number` of the run starts now on `workerId` (in the claim's transaction). A number taken again starts over. */
export async function startAttempt(q: Queryable, attempt: { runId: string; number: number; workerId: string; host: string }): Promise<void> {
  await q.run(
    `INSERT INTO run_attempt (run_id, number, started_at, worker_id, host) VALUES ($1, $2, now(), $3, $4)
     ON CONFLICT (run_id, number) DO UPDATE SET started_at = now(), ended_at = NULL, outcome = NULL, error = NULL,
       resumed_from_step = NULL, resumed_from_epoch = NULL, worker_id = EXCLUDED.worker_id, host = EXCLUDED.host, pid = NULL`,
    [attempt.runId, attempt.number, attempt.workerId, attempt.host],
  );
}

/** The process that trains the attempt. */
export async function recordAttemptProcess(q: Queryable, runId: string, number: number, pid: number): Promise<void> {
  await q.run(`UPDATE run_attempt SET pid = $3 WHERE run_id = $1 AND number = $2`, [runId, number, pid]);
}

/** The checkpoint the attempt resumed from: global step and epoch of the run's series. */
export async function recordAttemptResume(q: Queryable, runId: string, number: number, from: { step: number; epoch: number }): Promise<void> {
  await q.run(`UPDATE run_attempt SET resumed_from_step = $3, resumed_from_epoch = $4 WHERE run_id = $1 AND number = $2`, [
    runId,
    number,
    from.step,
    from.epoch,
  ]);
}

/** Ends attempt `number` of the run unless something ended it already; true when this call did. */
export async function endAttempt(q: Queryable, runId: string, number: number, outcome: AttemptOutcome, error: string | null = null): Promise<boolean> {
  const ended = await q.run(
    `UPDATE run_attempt SET ended_at = now(), outcome = $3::"AttemptOutcome", error = $4
     WHERE run_id = $1 AND number = $2 AND ended_at IS NULL`,
    [runId, number, outcome, error],
  );
  return ended > 0;
}
