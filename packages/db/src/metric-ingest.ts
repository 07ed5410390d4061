/**
 * Metric ingestion as one SQL statement (one implicit transaction): lock the run, insert the points,
 * ignoring (run, key, step) already stored; fold only the newly inserted points into the
 * per-key summaries and into every rollup level; NOTIFY subscribers. A failure anywhere
 * leaves nothing written.
 */
import type { Queryable } from "./database.ts";
import { notFound } from "./errors.ts";
import { EVENTS_CHANNEL } from "./notify.ts";
import { ROLLUP_BASE, ROLLUP_LEVELS } from "./metric-rollup.ts";

export interface IncomingPoint {
  key: string;
  step: number;
  value: number;
  epoch?: number | null | undefined;
  wallTime?: Date | null | undefined;
}

export interface IngestResult {
  inserted: number;
  duplicates: number;
}

/**
 * Per group: count, last (by step), min and max with their steps (ties: earliest step).
 * Arrays compare element by element, so min(ARRAY[value, step]) is the min value with its
 * earliest step, and max(ARRAY[value, -step]) the max value with its earliest step: one
 * pass, no per-group sort. Steps are exact in float8 up to 2^53.
 */
const EXTREMES = `count(*) AS n,
  max(ARRAY[step::float8, value]) AS last_pair,
  min(ARRAY[value, step::float8]) AS min_pair,
  max(ARRAY[value, -step::float8]) AS max_pair`;

/** EXTREMES of groups of EXTREMES rows. */
const MERGED_EXTREMES = `sum(n) AS n, max(last_pair) AS last_pair, min(min_pair) AS min_pair, max(max_pair) AS max_pair`;

/** The columns last, last_step, min, min_step, max, max_step from EXTREMES' pairs. */
const EXTREME_COLUMNS = `last_pair[2], last_pair[1]::bigint, min_pair[1], min_pair[2]::bigint,
  max_pair[1], (-max_pair[2])::bigint`;

/** Merge of stored extremes (alias t) with new ones (EXCLUDED), same tie rules as the API's downsampling (apps/api/src/metrics/downsample.ts). */
const MERGE = `
  last = CASE WHEN EXCLUDED.last_step > t.last_step THEN EXCLUDED.last ELSE t.last END,
  last_step = greatest(t.last_step, EXCLUDED.last_step),
  min = CASE WHEN EXCLUDED.min < t.min OR (EXCLUDED.min = t.min AND EXCLUDED.min_step < t.min_step) THEN EXCLUDED.min ELSE t.min END,
  min_step = CASE WHEN EXCLUDED.min < t.min OR (EXCLUDED.min = t.min AND EXCLUDED.min_step < t.min_step) THEN EXCLUDED.min_step ELSE t.min_step END,
  max = CASE WHEN EXCLUDED.max > t.max OR (EXCLUDED.max = t.max AND EXCLUDED.max_step < t.max_step) THEN EXCLUDED.max ELSE t.max END,
  max_step = CASE WHEN EXCLUDED.max > t.max OR (EXCLUDED.max = t.max AND EXCLUDED.max_step < t.max_step) THEN EXCLUDED.max_step ELSE t.max_step END,
  count = t.count + EXCLUDED.count`;

export const INGEST_SQL = `
WITH run_lock AS (
  -- metric_point has no row-level foreign key (see its migration): this one lock per batch
  -- makes a concurrent delete of the run wait, and a deleted run take no points.
  SELECT id FROM run WHERE id = $1 FOR KEY SHARE
), input AS (
  -- unnest pads shorter arrays with NULL: epochs and wall times may be omitted.
  SELECT * FROM unnest($3::text[], $4::bigint[], $5::float8[], $6::float8[], $7::timestamptz[])
    AS i(key, step, value, epoch, wall_time)
), inserted AS (
  INSERT INTO metric_point (run_id, key, step, epoch, value, wall_time)
  SELECT run_lock.id, key, step, epoch, value, coalesce(wall_time, now()) FROM input CROSS JOIN run_lock
  ON CONFLICT DO NOTHING
  RETURNING key, step, value
), finest AS (
  -- Extremes per finest rollup bucket; coarser levels and the summary merge these rows.
  SELECT key, step / ${4 ** ROLLUP_BASE} AS bucket, ${EXTREMES} FROM inserted GROUP BY key, bucket
), per_key AS (
  SELECT key, ${MERGED_EXTREMES} FROM finest GROUP BY key
), summaries AS (
  INSERT INTO metric_summary AS t (run_id, key, last, last_step, min, min_step, max, max_step, count, updated_at)
  SELECT $1, key, ${EXTREME_COLUMNS}, n, now() FROM per_key ORDER BY key
  ON CONFLICT (run_id, key) DO UPDATE SET ${MERGE}, updated_at = now()
  RETURNING 1
), per_bucket AS (
  SELECT key, l.level, bucket / (1::bigint << (2 * l.level)) AS bucket, ${MERGED_EXTREMES}
  FROM finest CROSS JOIN generate_series(0, ${ROLLUP_LEVELS - 1}) AS l(level)
  GROUP BY key, l.level, bucket / (1::bigint << (2 * l.level))
), rollups AS (
  INSERT INTO metric_rollup AS t (run_id, key, level, bucket, last, last_step, min, min_step, max, max_step, count)
  SELECT $1, key, level, bucket, ${EXTREME_COLUMNS}, n FROM per_bucket
  ORDER BY key, level, bucket
  ON CONFLICT (run_id, key, level, bucket) DO UPDATE SET ${MERGE}
  RETURNING 1
), appended AS (
  SELECT count(*) AS inserted, min(step) AS from_step, max(step) AS to_step, array_agg(DISTINCT key) AS keys FROM inserted
)
SELECT a.inserted::int AS inserted, (SELECT count(*) FROM run_lock)::int AS runs,
  (SELECT count(*) FROM summaries)::int AS summaries,
  (SELECT count(*) FROM rollups)::int AS rollups,
  CASE WHEN a.inserted > 0 THEN pg_notify('${EVENTS_CHANNEL}', json_build_object(
    'kind', 'metrics', 'runId', $1::uuid, 'teamId', $2::uuid, 'keys', a.keys,
    'fromStep', a.from_step, 'toStep', a.to_step)::text) END AS notified
FROM appended a`;

/** Concurrent writers of one series lock the same summary and rollup rows; a deadlock is retried. */
const DEADLOCK_RETRIES = 3;

/** Prepared once per connection: parsing and planning this statement costs more than running it on small batches. */
const INGEST_STATEMENT = { name: "runboard_ingest_metrics_v2", text: INGEST_SQL };

/**
 * Points as parallel columns (what the SQL takes). epochs and wallTimes may be shorter than
 * keys, even empty: missing entries are null (epoch) and the time of receipt (wall time).
 */
export interface MetricColumns {
  keys: string[];
  steps: number[];
  values: number[];
  epochs: Array<number | null>;
  wallTimes: Array<Date | null>;
}

export function toColumns(points: IncomingPoint[]): MetricColumns {
  return {
    keys: points.map((p) => p.key),
    steps: points.map((p) => p.step),
    values: points.map((p) => p.value),
    epochs: points.map((p) => p.epoch ?? null),
    wallTimes: points.map((p) => p.wallTime ?? null),
  };
}

export async function ingestPoints(db: Queryable, run: { id: string; teamId: string }, points: IncomingPoint[]): Promise<IngestResult> {
  return ingestColumns(db, run, toColumns(points));
}

export async function ingestColumns(db: Queryable, run: { id: string; teamId: string }, columns: MetricColumns): Promise<IngestResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestOnce(db, run, columns);
    } catch (error) {
      const deadlock = typeof error === "object" && error !== null && "code" in error && error.code === "40P01";
      if (!deadlock || attempt >= DEADLOCK_RETRIES) throw error;
    }
  }
}

async function ingestOnce(db: Queryable, run: { id: string; teamId: string }, columns: MetricColumns): Promise<IngestResult> {
  const { keys, steps, values, epochs, wallTimes } = columns;
  const [row] = await db.rows<{ inserted: number; runs: number }>(INGEST_STATEMENT, [run.id, run.teamId, keys, steps, values, epochs, wallTimes]);
  if (row?.runs !== 1) throw notFound("run", run.id);
  const inserted = row.inserted;
  return { inserted, duplicates: keys.length - inserted };
}
