/**
 * Reading series for charts, any number of them in two round trips whatever their count:
 * a probe (each series' extent; for a step range also its first maxPoints + 1 points), then
 * one read of what each series needs: its raw points when they fit in maxPoints, else buckets
 * built from the rollup level that matches the bucket width (grouped in SQL) plus raw points
 * at the two edges of the range. A million-point series reads a few hundred rows.
 */
import type { Queryable } from "@runboard/db";
import { bucketPoints, bucketize, planBuckets, rollupCoverage, rollupWidth, type Bucket, type Extremes, type MetricSample } from "./downsample.ts";

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

/** What the first round trip learns about one series. */
export interface SeriesProbe {
  /** Points in the whole series (from its summary); null for a step range. */
  count: number | null;
  firstStep: number | null;
  lastStep: number | null;
  /** A step range's first maxPoints + 1 points; null for the whole series. */
  head: MetricSample[] | null;
}

/** Per series: its count from the summary (whole series only) and its ends from two index probes. */
const EXTENT_SQL = `
SELECT (SELECT count::float8 FROM metric_summary s WHERE r.whole AND s.run_id = r.run_id AND s.key = r.key) AS count,
  (SELECT min(step)::float8 FROM metric_point p WHERE p.run_id = r.run_id AND p.key = r.key AND p.step BETWEEN r.from_step AND r.to_step) AS "firstStep",
  (SELECT max(step)::float8 FROM metric_point p WHERE p.run_id = r.run_id AND p.key = r.key AND p.step BETWEEN r.from_step AND r.to_step) AS "lastStep"
FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::boolean[]) WITH ORDINALITY AS r(run_id, key, from_step, to_step, whole, i)
ORDER BY r.i`;

/** The first `lim` points of each step range. */
const HEAD_SQL = `
SELECT r.series, p.step::float8 AS step, p.value
FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::int[], $6::int[]) AS r(run_id, key, from_step, to_step, lim, series)
CROSS JOIN LATERAL (
  SELECT step, value FROM metric_point m
  WHERE m.run_id = r.run_id AND m.key = r.key AND m.step BETWEEN r.from_step AND r.to_step ORDER BY m.step LIMIT r.lim
) p
ORDER BY r.series, p.step`;

/**
 * Per series: rollup rows merged group_size at a time into bucket-wide rows (see @runboard/db metric-ingest.ts
 * for the array trick), and raw points in up to two step ranges. A series read raw has
 * level -1 (no rollup rows) and its whole range as the first raw range.
 */
const PARTS_SQL = `
SELECT r.series, g.min, g."minStep", g.max, g."maxStep", g.last, g."lastStep", g.count
FROM unnest($1::uuid[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[],
            $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::int[])
  AS r(run_id, key, level, first_bucket, last_bucket, group_size, raw_from1, raw_to1, raw_from2, raw_to2, series)
CROSS JOIN LATERAL (
  SELECT min_pair[1] AS min, min_pair[2] AS "minStep", max_pair[1] AS max, -max_pair[2] AS "maxStep",
    last_pair[2] AS last, last_pair[1] AS "lastStep", n AS count
  FROM (
    SELECT sum(count)::float8 AS n, min(ARRAY[min, min_step::float8]) AS min_pair,
      max(ARRAY[max, -max_step::float8]) AS max_pair, max(ARRAY[last_step::float8, last]) AS last_pair
    FROM metric_rollup
    WHERE run_id = r.run_id AND key = r.key AND level = r.level AND bucket BETWEEN r.first_bucket AND r.last_bucket
    GROUP BY bucket / r.group_size
  ) grouped
  UNION ALL
  SELECT value, step::float8, value, step::float8, value, step::float8, 1 FROM metric_point
  WHERE run_id = r.run_id AND key = r.key AND (step BETWEEN r.raw_from1 AND r.raw_to1 OR step BETWEEN r.raw_from2 AND r.raw_to2)
) g`;

/** Reads of many series are split into this many concurrent statements, so PostgreSQL can use several cores. */
export const PARALLEL_READS = 4;

const WHOLE_FROM = 0;
const WHOLE_TO = Number.MAX_SAFE_INTEGER;

/** First round trip(s), in parallel: extents of all series, heads of the step ranges. */
export async function probeSeries(db: Queryable, requests: HistoryRequest[]): Promise<SeriesProbe[]> {
  const whole = requests.map((r) => r.fromStep === undefined && r.toStep === undefined);
  const ranged = requests.flatMap((r, series) => (whole[series] === true ? [] : [{ ...r, series }]));
  const [extents, heads] = await Promise.all([
    db.rows<Omit<SeriesProbe, "head">>(EXTENT_SQL, [
      requests.map((r) => r.runId),
      requests.map((r) => r.key),
      requests.map((r) => r.fromStep ?? WHOLE_FROM),
      requests.map((r) => r.toStep ?? WHOLE_TO),
      whole,
    ]),
    ranged.length === 0
      ? Promise.resolve([])
      : db.rows<MetricSample & { series: number }>(HEAD_SQL, [
          ranged.map((r) => r.runId),
          ranged.map((r) => r.key),
          ranged.map((r) => r.fromStep ?? WHOLE_FROM),
          ranged.map((r) => r.toStep ?? WHOLE_TO),
          ranged.map((r) => r.maxPoints + 1),
          ranged.map((r) => r.series),
        ]),
  ]);
  const headOf = new Map<number, MetricSample[]>(ranged.map((r) => [r.series, []]));
  for (const { series, step, value } of heads) headOf.get(series)?.push({ step, value });
  return extents.map((extent, series) => ({ ...extent, head: headOf.get(series) ?? null }));
}

/** How one series is answered: from the probe alone, or by reading parts. */
type SeriesPlan =
  { kind: "done"; points: MetricSample[] } | { kind: "raw"; from: number; to: number } | { kind: "buckets"; plan: ReturnType<typeof planBuckets> };

function planSeries(request: HistoryRequest, probe: SeriesProbe): SeriesPlan {
  if (probe.head !== null && probe.head.length <= request.maxPoints) return { kind: "done", points: probe.head };
  const { firstStep, lastStep } = probe;
  if (firstStep === null || lastStep === null) return { kind: "done", points: [] };
  if (probe.head === null && (probe.count ?? Number.POSITIVE_INFINITY) <= request.maxPoints) {
    return { kind: "raw", from: firstStep, to: lastStep };
  }
  return { kind: "buckets", plan: planBuckets(firstStep, lastStep, request.maxPoints) };
}

/** One PARTS_SQL row of parameters: rollup level and range, group size, two raw ranges. */
function partsParameters(plan: SeriesPlan): [number, number, number, number, number, number, number, number] {
  if (plan.kind !== "buckets") {
    const [from, to] = plan.kind === "raw" ? [plan.from, plan.to] : [1, 0];
    return [-1, 0, -1, 1, from, to, 1, 0];
  }
  const coverage = rollupCoverage(plan.plan);
  const unit = plan.plan.rollupLevel === null ? 1 : rollupWidth(plan.plan.rollupLevel);
  const [first = [1, 0], second = [1, 0]] = coverage.rawRanges;
  return [plan.plan.rollupLevel ?? -1, coverage.firstBucket, coverage.lastBucket, plan.plan.width / unit, ...first, ...second];
}

async function readParts(db: Queryable, requests: HistoryRequest[], plans: SeriesPlan[]): Promise<Extremes[][]> {
  const parts = plans.map((): Extremes[] => []);
  const pending = plans.flatMap((plan, series) => (plan.kind === "done" ? [] : [series]));
  const chunkSize = Math.ceil(pending.length / PARALLEL_READS);
  const chunks = Array.from({ length: Math.ceil(pending.length / Math.max(1, chunkSize)) }, (_, c) => pending.slice(c * chunkSize, (c + 1) * chunkSize));
  await Promise.all(
    chunks.map(async (chunk) => {
      const columns = chunk.map((series) => partsParameters(plans[series] as SeriesPlan));
      const rows = await db.rows<Extremes & { series: number }>(PARTS_SQL, [
        chunk.map((series) => requests[series]?.runId),
        chunk.map((series) => requests[series]?.key),
        ...Array.from({ length: 8 }, (_, column) => columns.map((row) => row[column])),
        chunk,
      ]);
      for (const row of rows) parts[row.series]?.push(row);
    }),
  );
  return parts;
}

/** Second round trip: the histories of all requests, given their probes (same order). */
export async function readHistories(db: Queryable, requests: HistoryRequest[], probes: SeriesProbe[]): Promise<SeriesHistory[]> {
  const plans = requests.map((request, series) => planSeries(request, probes[series] as SeriesProbe));
  const parts = await readParts(db, requests, plans);
  return requests.map(({ runId, key }, series) => {
    const plan = plans[series] as SeriesPlan;
    const found = parts[series] ?? [];
    if (plan.kind === "done") return { runId, key, downsampled: false, points: plan.points, buckets: [] };
    if (plan.kind === "raw") {
      const points = found.map((part) => ({ step: part.lastStep, value: part.last })).sort((a, b) => a.step - b.step);
      return { runId, key, downsampled: false, points, buckets: [] };
    }
    const buckets = bucketize(plan.plan, found);
    return { runId, key, downsampled: buckets.length > 0, points: bucketPoints(buckets), buckets };
  });
}
