/**
 * Reading a series for charts: the raw points when they fit in maxPoints, else buckets
 * built from the rollup level that matches the bucket width (grouped in SQL), plus raw
 * points at the two edges of the range. A million-point series reads a few hundred rows.
 */
import type { Queryable } from "../data/database.ts";
import {
  bucketPoints,
  bucketize,
  planBuckets,
  rollupCoverage,
  rollupWidth,
  type Bucket,
  type Extremes,
  type MetricSample,
} from "./downsample.ts";

export interface SeriesHistory {
  runId: string;
  key: string;
  downsampled: boolean;
  points: MetricSample[];
  buckets: Bucket[];
}

export interface HistoryRequest {
  runId: string;
  key: string;
  /** Omitted: the whole series. */
  fromStep?: number | undefined;
  toStep?: number | undefined;
  maxPoints: number;
}

interface SeriesExtent {
  count: number | null;
  firstStep: number | null;
  lastStep: number | null;
}

const RAW_SQL = `SELECT step::float8 AS step, value FROM metric_point
  WHERE run_id = $1 AND key = $2 AND step BETWEEN $3 AND $4 ORDER BY metric_point.step LIMIT $5`;

/** The whole series' extent: its count from the summary, its ends from two index probes. */
const WHOLE_EXTENT_SQL = `SELECT (SELECT count::float8 FROM metric_summary WHERE run_id = $1 AND key = $2) AS count,
  (SELECT min(step)::float8 FROM metric_point WHERE run_id = $1 AND key = $2) AS "firstStep",
  (SELECT max(step)::float8 FROM metric_point WHERE run_id = $1 AND key = $2) AS "lastStep"`;

const RANGE_EXTENT_SQL = `SELECT NULL::float8 AS count,
  (SELECT min(step)::float8 FROM metric_point WHERE run_id = $1 AND key = $2 AND step BETWEEN $3 AND $4) AS "firstStep",
  (SELECT max(step)::float8 FROM metric_point WHERE run_id = $1 AND key = $2 AND step BETWEEN $3 AND $4) AS "lastStep"`;

/** Rollup rows merged k at a time into bucket-wide rows (see ingest.ts for the array trick). */
const BUCKETS_SQL = `
SELECT min_pair[1] AS min, min_pair[2] AS "minStep", max_pair[1] AS max, -max_pair[2] AS "maxStep",
  last_pair[2] AS last, last_pair[1] AS "lastStep", n AS count
FROM (
  SELECT sum(count)::float8 AS n, min(ARRAY[min, min_step::float8]) AS min_pair,
    max(ARRAY[max, -max_step::float8]) AS max_pair, max(ARRAY[last_step::float8, last]) AS last_pair
  FROM metric_rollup WHERE run_id = $1 AND key = $2 AND level = $3 AND bucket BETWEEN $4 AND $5
  GROUP BY bucket / $6
) grouped
UNION ALL
SELECT value, step::float8, value, step::float8, value, step::float8, 1 FROM metric_point
WHERE run_id = $1 AND key = $2 AND (step BETWEEN $7 AND $8 OR step BETWEEN $9 AND $10)`;

export async function readHistory(db: Queryable, request: HistoryRequest): Promise<SeriesHistory> {
  const { runId, key, maxPoints } = request;
  const whole = request.fromStep === undefined && request.toStep === undefined;
  const from = request.fromStep ?? 0;
  const to = request.toStep ?? Number.MAX_SAFE_INTEGER;
  const result = (points: MetricSample[], buckets: Bucket[] = []) => ({ runId, key, downsampled: buckets.length > 0, points, buckets });
  // A whole series knows its size from its summary; a range is probed with a bounded read.
  const [raw, [extent]] = await Promise.all([
    whole ? Promise.resolve(null) : db.rows<MetricSample>(RAW_SQL, [runId, key, from, to, maxPoints + 1]),
    db.rows<SeriesExtent>(whole ? WHOLE_EXTENT_SQL : RANGE_EXTENT_SQL, whole ? [runId, key] : [runId, key, from, to]),
  ]);
  if (raw !== null && raw.length <= maxPoints) return result(raw);
  const firstStep = extent?.firstStep ?? null;
  const lastStep = extent?.lastStep ?? null;
  if (firstStep === null || lastStep === null) return result([]);
  if (raw === null && (extent?.count ?? Number.POSITIVE_INFINITY) <= maxPoints) {
    return result(await db.rows<MetricSample>(RAW_SQL, [runId, key, firstStep, lastStep, maxPoints + 1]));
  }
  const buckets = await readBuckets(db, runId, key, firstStep, lastStep, maxPoints);
  return result(bucketPoints(buckets), buckets);
}

async function readBuckets(db: Queryable, runId: string, key: string, from: number, to: number, maxPoints: number) {
  const plan = planBuckets(from, to, maxPoints);
  const coverage = rollupCoverage(plan);
  const unit = plan.rollupLevel === null ? 1 : rollupWidth(plan.rollupLevel);
  const edges = [...coverage.rawRanges, [1, 0], [1, 0]].flat().slice(0, 4);
  const parts = await db.rows<Extremes>(BUCKETS_SQL, [
    runId,
    key,
    plan.rollupLevel ?? -1,
    coverage.firstBucket,
    coverage.lastBucket,
    plan.width / unit,
    ...edges,
  ]);
  return bucketize(plan, parts);
}
