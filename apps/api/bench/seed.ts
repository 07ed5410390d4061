/**
 * Bench data written with set-based SQL (generate_series), not through the API: series with
 * their summaries and rollups (each level built from the one below), and a large team of runs
 * with params and metric summaries.
 */
import { randomUUID } from "node:crypto";
import { ROLLUP_BASE, ROLLUP_LEVELS } from "@runboard/db";
import type pg from "pg";

/** Same array trick as ingestion: one pass, no per-group sort (see packages/db/src/metric-ingest.ts). */
const EXTREMES = `max(ARRAY[step::float8, value]) AS last_pair, min(ARRAY[value, step::float8]) AS min_pair,
  max(ARRAY[value, -step::float8]) AS max_pair`;
const COLUMNS = `last_pair[2], last_pair[1]::bigint, min_pair[1], min_pair[2]::bigint, max_pair[1], (-max_pair[2])::bigint`;

export async function createRuns(pool: pg.Pool, teamId: string, projectId: string, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO run (id, team_id, project_id, name, status, tags)
     SELECT gen_random_uuid(), $1, $2, 'run-' || i, 'SUCCEEDED', ARRAY[]::text[] FROM generate_series(1, $3) AS i
     RETURNING id`,
    [teamId, projectId, count],
  );
  return rows.map((r) => r.id);
}

/** `steps` points of a noisy curve for each run, then summaries and every rollup level. */
export async function seedSeries(pool: pg.Pool, runIds: string[], key: string, steps: number): Promise<void> {
  await pool.query(
    `INSERT INTO metric_point (run_id, key, step, value, wall_time)
     SELECT r, $2, s, exp(-s / ($3::float8 / 4)) + 0.05 * sin(s * 0.37) + 0.02 * random(), now()
     FROM unnest($1::uuid[]) AS r, generate_series(0, $3 - 1) AS s`,
    [runIds, key, steps],
  );
  await pool.query(
    `INSERT INTO metric_summary (run_id, key, last, last_step, min, min_step, max, max_step, count)
     SELECT run_id, key, ${COLUMNS}, n FROM (
       SELECT run_id, key, count(*) AS n, ${EXTREMES} FROM metric_point WHERE run_id = ANY($1) AND key = $2 GROUP BY run_id, key) t`,
    [runIds, key],
  );
  await pool.query(
    `INSERT INTO metric_rollup (run_id, key, level, bucket, last, last_step, min, min_step, max, max_step, count)
     SELECT run_id, key, 0, bucket, ${COLUMNS}, n FROM (
       SELECT run_id, key, step / ${4 ** ROLLUP_BASE} AS bucket, count(*) AS n, ${EXTREMES}
       FROM metric_point WHERE run_id = ANY($1) AND key = $2 GROUP BY run_id, key, bucket) t`,
    [runIds, key],
  );
  for (let level = 1; level < ROLLUP_LEVELS; level++) {
    await pool.query(
      `INSERT INTO metric_rollup (run_id, key, level, bucket, last, last_step, min, min_step, max, max_step, count)
       SELECT run_id, key, $3::int, bucket, ${COLUMNS}, n FROM (
         SELECT run_id, key, bucket / 4 AS bucket, sum(count) AS n, max(ARRAY[last_step::float8, last]) AS last_pair,
           min(ARRAY[min, min_step::float8]) AS min_pair, max(ARRAY[max, -max_step::float8]) AS max_pair
         FROM metric_rollup WHERE run_id = ANY($1) AND key = $2 AND level = $3::int - 1 GROUP BY run_id, key, bucket / 4) t`,
      [runIds, key, level],
    );
  }
  await pool.query(`ANALYZE metric_point; ANALYZE metric_rollup`);
}

/** `count` runs with params p0..p19 (p0 has 10 distinct values) and metric summaries m0..m4. */
export async function seedRunTable(pool: pg.Pool, teamId: string, count: number): Promise<void> {
  const projectId = randomUUID();
  await pool.query(`INSERT INTO project (id, team_id, name) VALUES ($1, $2, $3)`, [projectId, teamId, `table-${projectId}`]);
  const runIds = await createRuns(pool, teamId, projectId, count);
  await pool.query(
    `INSERT INTO run_param (run_id, key, type, number_value)
     SELECT r, 'p' || k, 'NUMBER', CASE WHEN k = 0 THEN (ord % 10) ELSE random() END
     FROM unnest($1::uuid[]) WITH ORDINALITY AS u(r, ord), generate_series(0, 19) AS k`,
    [runIds],
  );
  await pool.query(
    `INSERT INTO metric_summary (run_id, key, last, last_step, min, min_step, max, max_step, count)
     SELECT r, 'm' || k, v, 100, v / 2, 10, v * 2, 50, 101
     FROM unnest($1::uuid[]) AS r, generate_series(0, 4) AS k, LATERAL (SELECT random() + k * 0 AS v) AS x`,
    [runIds],
  );
  await pool.query(`ANALYZE run; ANALYZE run_param; ANALYZE metric_summary`);
}
