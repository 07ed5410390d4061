/**
 * Recovery: every worker sweeps for RUNNING runs whose heartbeat is older than staleAfter
 * (their worker died or lost the database for good). Each is queued again with a new attempt
 * (the job names it, so the old job can never train it), or FAILED with the reason once its
 * attempts are used up. SKIP LOCKED lets several workers sweep at once without doing it twice.
 */
import { enqueueTrainJob } from "@runboard/queue";
import type pg from "pg";
import { EVENTS_CHANNEL } from "./run-store.ts";
import { transaction } from "./sql.ts";

interface SweptRun {
  id: string;
  teamId: string;
  attempt: number;
  priority: number;
  requeued: boolean;
}

const SWEEP_SQL = `
WITH stale AS (
  SELECT id FROM run WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1 / 1000.0)
  ORDER BY heartbeat_at LIMIT 100 FOR UPDATE SKIP LOCKED
)
UPDATE run r SET
  status = CASE WHEN r.attempt < r.max_attempts THEN 'QUEUED'::"RunStatus" ELSE 'FAILED'::"RunStatus" END,
  finished_at = CASE WHEN r.attempt < r.max_attempts THEN NULL ELSE now() END,
  error = CASE WHEN r.attempt < r.max_attempts
    THEN format('worker %s stopped heartbeating; resumed from the last checkpoint (attempt %s of %s)', r.worker_id, r.attempt + 1, r.max_attempts)
    ELSE format('worker %s stopped heartbeating and all %s attempts are used', r.worker_id, r.max_attempts) END,
  worker_id = NULL
FROM stale WHERE r.id = stale.id
RETURNING r.id, r.team_id AS "teamId", r.attempt, r.priority, r.status = 'QUEUED' AS requeued`;

export async function sweepStaleRuns(pool: pg.Pool, staleAfterMs: number): Promise<SweptRun[]> {
  return transaction(pool, async (client) => {
    const { rows } = await client.query<SweptRun>(SWEEP_SQL, [staleAfterMs]);
    for (const run of rows) {
      if (run.requeued) await enqueueTrainJob(client, { runId: run.id, attempt: run.attempt + 1 }, run.priority);
      await client.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, JSON.stringify({ kind: "run", runId: run.id, teamId: run.teamId })]);
    }
    return rows;
  });
}
