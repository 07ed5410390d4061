/**
 * Reading a series for charts: the raw points when they fit in maxPoints, else buckets
 * built from the rollup level that matches the bucket width (plus raw points at the two
 * edges of the range). A million-point series thus reads a few thousand rows.
 */
import type { Queryable } from "../data/database.ts";
import {
  bucketPoints,
  bucketize,
  planBuckets,
  rollupCoverage,
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
  fromStep: number;
  toStep: number;
  maxPoints: number;
}

export async function readHistory(db: Queryable, request: HistoryRequest): Promise<SeriesHistory> {
  const { runId, key, fromStep, toStep, maxPoints } = request;
  const raw = await db.rows<MetricSample>(
    `SELECT step::float8 AS step, value FROM metric_point
     WHERE run_id = $1 AND key = $2 AND step BETWEEN $3 AND $4 ORDER BY metric_point.step LIMIT $5`,
    [runId, key, fromStep, toStep, maxPoints + 1],
  );
  const first = raw[0];
  if (raw.length <= maxPoints || first === undefined) return { runId, key, downsampled: false, points: raw, buckets: [] };
  const [bounds] = await db.rows<{ lastStep: number }>(
    `SELECT max(step)::float8 AS "lastStep" FROM metric_point WHERE run_id = $1 AND key = $2 AND step <= $3`,
    [runId, key, toStep],
  );
  const plan = planBuckets(first.step, bounds?.lastStep ?? first.step, maxPoints);
  const coverage = rollupCoverage(plan);
  const edges = [...coverage.rawRanges, [1, 0], [1, 0]].flat().slice(0, 4);
  const parts = await db.rows<Extremes>(
    `SELECT min, min_step::float8 AS "minStep", max, max_step::float8 AS "maxStep", last,
       last_step::float8 AS "lastStep", count::float8 AS count
     FROM metric_rollup WHERE run_id = $1 AND key = $2 AND level = $3 AND bucket BETWEEN $4 AND $5
     UNION ALL
     SELECT value, step::float8, value, step::float8, value, step::float8, 1 FROM metric_point
     WHERE run_id = $1 AND key = $2 AND (step BETWEEN $6 AND $7 OR step BETWEEN $8 AND $9)`,
    [runId, key, plan.rollupLevel ?? -1, coverage.firstBucket, coverage.lastBucket, ...edges],
  );
  const buckets = bucketize(plan, parts);
  return { runId, key, downsampled: true, points: bucketPoints(buckets), buckets };
}
