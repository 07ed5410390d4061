/** The run rows as a worker sees them: claim, heartbeat, params, artifacts, the final status. */
import { hostname } from "node:os";
import { endAttempt, insertParams, notifyRunUpdated, poolQueryable, poolTransaction, startAttempt, type TypedParam } from "@runboard/db";
import type pg from "pg";

export interface ClaimedRun {
  id: string;
  teamId: string;
  name: string;
  attempt: number;
  maxAttempts: number;
  hyperparameters: Record<string, unknown>;
  fold: number | null;
  nextLogSeq: number;
  dataset: { name: string; sourceUri: string; classNames: string[] };
  architecture: { name: string; family: string; fileUri: string | null; fileHash: string | null; pretrainedOn: string | null };
}

/**
 * Takes the run for this attempt: only a QUEUED run whose previous attempt is attempt − 1
 * (a job of an older attempt, or of a canceled run, takes nothing and is dropped). The attempt's
 * row (run_attempt) is written in the same transaction. The run's startedAt stays the first
 * attempt's start.
 */
export async function claimRun(pool: pg.Pool, runId: string, attempt: number, workerId: string): Promise<ClaimedRun | null> {
  const run = await poolTransaction(pool, async (client) => {
    const claimed = await claimRow(client, runId, attempt, workerId);
    if (claimed !== null) await startAttempt(poolQueryable(client), { runId: claimed.id, number: claimed.attempt, workerId, host: hostname() });
    return claimed;
  });
  if (run !== null) await notifyRunUpdated(poolQueryable(pool), run);
  return run;
}

async function claimRow(client: pg.PoolClient, runId: string, attempt: number, workerId: string): Promise<ClaimedRun | null> {
  const { rows } = await client.query<ClaimedRun>(
    `WITH claimed AS (
       UPDATE run SET status = 'RUNNING', attempt = $2, worker_id = $3, heartbeat_at = now(), started_at = coalesce(started_at, now())
       WHERE id = $1 AND status = 'QUEUED' AND attempt = $2 - 1
       RETURNING id, team_id, name, attempt, max_attempts, hyperparameters, fold, dataset_id, architecture_id
     )
     SELECT c.id, c.team_id AS "teamId", c.name, c.attempt, c.max_attempts AS "maxAttempts", c.hyperparameters, c.fold,
       (SELECT coalesce(max(seq) + 1, 0) FROM run_log WHERE run_id = c.id)::int AS "nextLogSeq",
       json_build_object('name', d.name, 'sourceUri', d.source_uri, 'classNames', d.class_names) AS dataset,
       json_build_object('name', a.name, 'family', a.family, 'fileUri', a.file_uri, 'fileHash', a.file_hash,
         'pretrainedOn', a.pretrained_on) AS architecture
     FROM claimed c LEFT JOIN dataset d ON d.id = c.dataset_id LEFT JOIN architecture a ON a.id = c.architecture_id`,
    [runId, attempt, workerId],
  );
  return rows[0] ?? null;
}

export type HeartbeatResult = "ok" | "canceled" | "lost";

/** Refreshes the heartbeat; "canceled" or "lost" (another worker took the run) tells the worker to stop. */
export async function heartbeat(pool: pg.Pool, runId: string, workerId: string): Promise<HeartbeatResult> {
  const { rows } = await pool.query<{ status: string; workerId: string | null; beat: boolean }>(
    `WITH beat AS (UPDATE run SET heartbeat_at = now() WHERE id = $1 AND worker_id = $2 AND status = 'RUNNING' RETURNING id)
     SELECT status, worker_id AS "workerId", EXISTS (SELECT 1 FROM beat) AS beat FROM run WHERE id = $1`,
    [runId, workerId],
  );
  const row = rows[0];
  if (row === undefined || row.status === "CANCELED") return "canceled";
  if (row.beat) return "ok";
  // The UPDATE waited for a concurrent change (a cancel) and saw it, but this statement's SELECT
  // reads the snapshot from before it: read the row again before calling the run lost.
  const current = (await pool.query<{ status: string }>(`SELECT status FROM run WHERE id = $1`, [runId])).rows[0];
  return current === undefined || current.status === "CANCELED" ? "canceled" : "lost";
}

export async function recordParams(pool: pg.Pool, runId: string, params: TypedParam[]): Promise<void> {
  await insertParams(poolQueryable(pool), runId, params);
}

export interface StoredArtifact {
  kind: string;
  name: string;
  uri: string;
  bytes: number;
  sha256: string;
}

/** One row per (run, name); a resumed run that writes the same name again replaces it. */
export async function recordArtifact(pool: pg.Pool, runId: string, artifact: StoredArtifact): Promise<void> {
  await pool.query(
    `INSERT INTO artifact (id, run_id, kind, name, uri, bytes, sha256) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
     ON CONFLICT (run_id, name) DO UPDATE SET kind = EXCLUDED.kind, uri = EXCLUDED.uri, bytes = EXCLUDED.bytes,
       sha256 = EXCLUDED.sha256, created_at = now()`,
    [runId, artifact.kind, artifact.name, artifact.uri, artifact.bytes, artifact.sha256],
  );
}

/**
 * The final status, only while this worker still owns the RUNNING run (a canceled run stays
 * CANCELED), and the attempt's end (FINISHED or FAILED) with it.
 */
export async function finishRun(
  pool: pg.Pool,
  run: { id: string; teamId: string; attempt: number },
  workerId: string,
  status: "SUCCEEDED" | "FAILED",
  error: string | null,
) {
  const finished = await poolTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      `UPDATE run SET status = $3::"RunStatus", finished_at = now(), error = $4, heartbeat_at = now()
       WHERE id = $1 AND worker_id = $2 AND status = 'RUNNING'`,
      [run.id, workerId, status, error],
    );
    if ((rowCount ?? 0) === 0) return false;
    await endAttempt(poolQueryable(client), run.id, run.attempt, status === "SUCCEEDED" ? "FINISHED" : "FAILED", error);
    return true;
  });
  await notifyRunUpdated(poolQueryable(pool), run);
  return finished;
}

/** Ends this worker's attempt when it stopped without a final status of its own (canceled, or taken for lost). */
export async function endOwnAttempt(pool: pg.Pool, run: { id: string; attempt: number }, outcome: "CANCELED" | "LOST", error: string): Promise<void> {
  await endAttempt(poolQueryable(pool), run.id, run.attempt, outcome, error);
}

/** Puts a run this worker gives up on (shutdown) back in the queue right away, for another worker. */
export async function currentStatus(pool: pg.Pool, runId: string): Promise<string | null> {
  const { rows } = await pool.query<{ status: string }>(`SELECT status FROM run WHERE id = $1`, [runId]);
  return rows[0]?.status ?? null;
}
