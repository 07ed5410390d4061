/**
 * Recovery: a RUNNING run whose worker is gone is queued again with a new attempt (the job
 * names it, so the old job can never train it), or FAILED with the reason once its attempts
 * are used up. The next attempt resumes from the run's last checkpoint when there is one, and
 * its log says from which step (or that it starts over).
 *
 * Two ways a worker is known to be gone:
 * - the sweep (every worker, on a timer): no heartbeat for the stale window. A worker never
 *   sweeps the runs it supervises itself: its supervisor is alive and knows their state.
 *   SKIP LOCKED lets several workers sweep at once without doing it twice.
 * - its own supervisor: the run's training process died (requeueOwnRun), or the worker is
 *   shutting down (a clean stop, which does not use up one of the run's attempts).
 * The attempt that ended is closed in the same transaction: LOST (its worker or training
 * process died), or REQUEUED (a clean stop), with the run's new error as its reason.
 */
import { endAttempt, notifyRunUpdated, poolQueryable, poolTransaction } from "@runboard/db";
import { enqueueTrainJob } from "@runboard/queue";
import type pg from "pg";

export interface RequeuedRun {
  id: string;
  teamId: string;
  /** The attempt that ended. */
  attempt: number;
  priority: number;
  requeued: boolean;
  error: string;
}

/** Applied to the runs of the `target` CTE (id, reason, spare: attempts given back). */
const REQUEUE = `
UPDATE run r SET
  max_attempts = r.max_attempts + t.spare,
  status = CASE WHEN r.attempt < r.max_attempts + t.spare THEN 'QUEUED'::"RunStatus" ELSE 'FAILED'::"RunStatus" END,
  finished_at = CASE WHEN r.attempt < r.max_attempts + t.spare THEN NULL ELSE now() END,
  error = CASE WHEN r.attempt < r.max_attempts + t.spare
    THEN format('%s; queued again as attempt %s of %s', t.reason, r.attempt + 1, r.max_attempts + t.spare)
    ELSE format('%s and all %s attempts are used', t.reason, r.max_attempts) END,
  worker_id = NULL
FROM target t WHERE r.id = t.id
RETURNING r.id, r.team_id AS "teamId", r.attempt, r.priority, r.status = 'QUEUED' AS requeued, r.error`;

const SWEEP_SQL = `
WITH target AS (
  SELECT id, format('worker %s stopped heartbeating', worker_id) AS reason, 0 AS spare FROM run
  WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1 / 1000.0) AND NOT (id = ANY($2::uuid[]))
  ORDER BY heartbeat_at LIMIT 100 FOR UPDATE SKIP LOCKED
)${REQUEUE}`;

const OWN_SQL = `
WITH target AS (
  SELECT id, $3::text AS reason, $4::int AS spare FROM run WHERE id = $1 AND worker_id = $2 AND status = 'RUNNING' FOR UPDATE
)${REQUEUE}`;

async function requeue(pool: pg.Pool, sql: string, values: unknown[], outcome: "LOST" | "REQUEUED"): Promise<RequeuedRun[]> {
  return poolTransaction(pool, async (client) => {
    const { rows } = await client.query<RequeuedRun>(sql, values);
    for (const run of rows) {
      await endAttempt(poolQueryable(client), run.id, run.attempt, outcome, run.error);
      if (run.requeued) await enqueueTrainJob(client, { runId: run.id, attempt: run.attempt + 1 }, run.priority);
      await notifyRunUpdated(poolQueryable(client), run);
    }
    return rows;
  });
}

/** Requeues (or fails) the RUNNING runs without a heartbeat for `staleAfterMs`, except `supervised` (this worker's own). */
export function sweepStaleRuns(pool: pg.Pool, staleAfterMs: number, supervised: readonly string[] = []): Promise<RequeuedRun[]> {
  return requeue(pool, SWEEP_SQL, [staleAfterMs, supervised], "LOST");
}

/**
 * Requeues (or fails) a run this worker still owns, saying why in its error field. `spareAttempt`:
 * the attempt is given back (a clean stop is no failure of the run). Null when the run is no
 * longer this worker's (canceled, or taken by another).
 */
export async function requeueOwnRun(pool: pg.Pool, runId: string, workerId: string, reason: string, spareAttempt: boolean): Promise<RequeuedRun | null> {
  const [run] = await requeue(pool, OWN_SQL, [runId, workerId, reason, spareAttempt ? 1 : 0], spareAttempt ? "REQUEUED" : "LOST");
  return run ?? null;
}
