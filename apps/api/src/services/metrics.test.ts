import { ingestPoints } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketize, bucketPoints, planBuckets, sampleExtremes } from "../metrics/downsample.ts";
import { PARALLEL_READS } from "../metrics/history.ts";
import { createProjectAndRun, errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
});

const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted duplicates } }`;
const HISTORY = `query($runId: ID!, $key: String!, $from: Long, $to: Long, $maxPoints: Int) {
  metricHistory(runId: $runId, key: $key, fromStep: $from, toStep: $to, maxPoints: $maxPoints) {
    downsampled points { step value } buckets { start end min minStep max maxStep last lastStep count } } }`;

function wave(step: number): number {
  return Math.sin(step / 37) + ((step * 7919) % 101) / 100;
}

/** Sends the batches newest first, so summaries and rollups must merge out-of-order appends. */
async function logSeries(runId: string, key: string, steps: number, batch = 7_000) {
  for (let start = Math.floor((steps - 1) / batch) * batch; start >= 0; start -= batch) {
    const points = Array.from({ length: Math.min(batch, steps - start) }, (_, i) => ({ key, step: start + i, value: wave(start + i) }));
    await gqlOk(t.url, team.member.token, LOG, { runId, points });
  }
}

describe("logMetrics", () => {
  it("stores each (key, step) once, however often it is resent, and keeps summaries exact", async () => {
    const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const points = [
      { key: "loss", step: 0, value: 2.0, epoch: 0 },
      { key: "loss", step: 1, value: 0.5 },
      { key: "loss", step: 2, value: 1.0, wallTime: "2026-01-01T00:00:00.000Z" },
      { key: "acc", step: 2, value: 0.7 },
    ];
    expect((await gqlOk(t.url, team.member.token, LOG, { runId, points })).logMetrics).toEqual({ inserted: 4, duplicates: 0 });
    const resent = [...points, { key: "loss", step: 1, value: 99 }, { key: "loss", step: 3, value: 0.25 }];
    expect((await gqlOk(t.url, team.member.token, LOG, { runId, points: resent })).logMetrics).toEqual({ inserted: 1, duplicates: 5 });

    const { run } = await gqlOk(t.url, team.viewer.token, `query($id: ID!) { run(id: $id) { metrics { key last lastStep min minStep max maxStep count } } }`, {
      id: runId,
    });
    expect(run.metrics).toEqual([
      { key: "acc", last: 0.7, lastStep: 2, min: 0.7, minStep: 2, max: 0.7, maxStep: 2, count: 1 },
      { key: "loss", last: 0.25, lastStep: 3, min: 0.25, minStep: 3, max: 2, maxStep: 0, count: 4 },
    ]);
    const { rows } = await t.db.pool.query(`SELECT sum(count)::int AS n FROM metric_rollup WHERE run_id = $1 AND key = 'loss' AND level = 0`, [runId]);
    expect(rows[0].n).toBe(4);
  });

  it("rejects an oversized or invalid batch, and writes none of it", async () => {
    const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const tooMany = Array.from({ length: 10_001 }, (_, step) => ({ key: "x", step, value: 1 }));
    const big = await gql(t.url, team.member.token, LOG, { runId, points: tooMany });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "points", rule: "must hold at most 10000 points" });
    const negative = await gql(t.url, team.member.token, LOG, {
      runId,
      points: [
        { key: "x", step: 1, value: 1 },
        { key: "x", step: -1, value: 1 },
      ],
    });
    expect(negative.errors?.[0]?.extensions).toMatchObject({ field: "points.1.step", rule: "must be ≥ 0" });
    const badKey = await gql(t.url, team.member.token, LOG, { runId, points: [{ key: "bad\nkey", step: 1, value: 1 }] });
    expect(badKey.errors?.[0]?.extensions?.field).toBe("points.0.key");
    const { rowCount } = await t.db.pool.query(`SELECT 1 FROM metric_point WHERE run_id = $1 UNION ALL SELECT 1 FROM metric_summary WHERE run_id = $1`, [
      runId,
    ]);
    expect(rowCount).toBe(0);
    const viewer = await gql(t.url, team.viewer.token, LOG, { runId, points: [{ key: "x", step: 1, value: 1 }] });
    expect(errorCode(viewer)).toBe("FORBIDDEN");
  });
});

describe("points of deleted runs", () => {
  it("are deleted with their run, also through the project cascade, and a deleted run takes no more", async () => {
    const first = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const second = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const points = [
      { key: "loss", step: 1, value: 1 },
      { key: "acc", step: 1, value: 0.5 },
    ];
    for (const { runId } of [first, second]) await gqlOk(t.url, team.member.token, LOG, { runId, points });
    const count = async (runId: string) => (await t.db.pool.query(`SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1`, [runId])).rows[0].n;
    expect([await count(first.runId), await count(second.runId)]).toEqual([2, 2]);

    await t.db.pool.query(`DELETE FROM run WHERE id = $1`, [first.runId]);
    await t.db.pool.query(`DELETE FROM project WHERE id = $1`, [second.projectId]);
    expect([await count(first.runId), await count(second.runId)]).toEqual([0, 0]);

    const late = ingestPoints(t.api.db, { id: first.runId, teamId: team.teamId }, points);
    await expect(late).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    expect(await count(first.runId)).toBe(0);
  });
});

describe("metricHistory", () => {
  let runId: string;
  const STEPS = 30_000;
  const all = Array.from({ length: STEPS }, (_, step) => ({ step, value: wave(step) }));

  beforeAll(async () => {
    ({ runId } = await createProjectAndRun(t.url, team.member.token, team.teamId));
    await logSeries(runId, "loss", STEPS);
  });

  it("returns raw points when they fit", async () => {
    const { metricHistory } = await gqlOk(t.url, team.viewer.token, HISTORY, { runId, key: "loss", from: 100, to: 299, maxPoints: 200 });
    expect(metricHistory.downsampled).toBe(false);
    expect(metricHistory.points).toEqual(all.slice(100, 300));
  });

  it.each([
    [null, null, 1000],
    [0, STEPS - 1, 1000],
    [1234, 25_000, 300],
    [10_000, 12_000, 600],
  ])("downsamples [%s, %s] at %i points exactly as a scan of every point would", async (fromStep, toStep, maxPoints) => {
    const { metricHistory } = await gqlOk(t.url, team.viewer.token, HISTORY, { runId, key: "loss", from: fromStep, to: toStep, maxPoints });
    const [from, to] = [fromStep ?? 0, toStep ?? STEPS - 1];
    const expected = bucketize(planBuckets(from, to, maxPoints), all.slice(from, to + 1).map(sampleExtremes));
    expect(metricHistory.downsampled).toBe(true);
    expect(metricHistory.buckets).toEqual(expected);
    expect(metricHistory.points).toEqual(bucketPoints(expected));
    expect(metricHistory.points.length).toBeLessThanOrEqual(maxPoints);
  });

  it("re-buckets a zoomed range with finer buckets", async () => {
    const wide = await gqlOk(t.url, team.viewer.token, HISTORY, { runId, key: "loss", maxPoints: 300 });
    const zoomed = await gqlOk(t.url, team.viewer.token, HISTORY, { runId, key: "loss", from: 5000, to: 8000, maxPoints: 300 });
    const width = (h: { buckets: Array<{ start: number; end: number }> }) => (h.buckets[1]?.end ?? 0) - (h.buckets[1]?.start ?? 0) + 1;
    expect(width(zoomed.metricHistory)).toBeLessThan(width(wide.metricHistory) / 5);
  });

  it("validates the range and caps maxPoints", async () => {
    const reversed = await gql(t.url, team.viewer.token, HISTORY, { runId, key: "loss", from: 10, to: 5 });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ field: "toStep", rule: "must be ≥ fromStep" });
    const tooMany = await gql(t.url, team.viewer.token, HISTORY, { runId, key: "loss", maxPoints: 5001 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ field: "maxPoints", rule: "must be ≤ 5000" });
  });

  it("compares runs key by key", async () => {
    const other = await createProjectAndRun(t.url, team.member.token, team.teamId);
    await logSeries(other.runId, "loss", 500);
    const { compareRuns } = await gqlOk(
      t.url,
      team.viewer.token,
      `query($runIds: [ID!]!) { compareRuns(runIds: $runIds, keys: ["loss", "missing"], maxPoints: 600) {
        runs { id } series { runId key downsampled points { step } } } }`,
      { runIds: [runId, other.runId] },
    );
    expect(compareRuns.runs).toEqual([{ id: runId }, { id: other.runId }]);
    expect(
      compareRuns.series.map((s: { runId: string; key: string; downsampled: boolean; points: unknown[] }) => [
        s.runId,
        s.key,
        s.downsampled,
        s.points.length > 0,
      ]),
    ).toEqual([
      [runId, "loss", true, true],
      [runId, "missing", false, false],
      [other.runId, "loss", false, true],
      [other.runId, "missing", false, false],
    ]);
    const rawSeries = compareRuns.series[2] as { points: Array<{ step: number }> };
    expect(rawSeries.points.map((p) => p.step)).toEqual(Array.from({ length: 500 }, (_, step) => step));
    const tooMany = await gql(t.url, team.viewer.token, `query($ids: [ID!]!) { compareRuns(runIds: $ids, keys: ["loss"]) { runs { id } } }`, {
      ids: Array.from({ length: 101 }, () => runId),
    });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ field: "runIds", rule: "must hold at most 100 runs" });
  });
});

describe("compareRuns", () => {
  const SERIES = `series { runId key downsampled points { step value } buckets { start end min minStep max maxStep last lastStep count } }`;

  it("answers each series exactly as metricHistory does, in a bounded number of statements", async () => {
    const runs = await Promise.all([0, 1, 2, 3, 4, 5].map(() => createProjectAndRun(t.url, team.member.token, team.teamId)));
    for (const [index, { runId }] of runs.entries()) await logSeries(runId, "loss", [9_000, 300, 14_000, 0, 5_000, 7_000][index] ?? 0, 9_000);
    const runIds = runs.map((r) => r.runId);
    const statements = async (ids: string[]) => {
      const before = t.api.db.queryCount;
      const { compareRuns } = await gqlOk(
        t.url,
        team.viewer.token,
        `query($ids: [ID!]!) { compareRuns(runIds: $ids, keys: ["loss"], maxPoints: 900) { ${SERIES} } }`,
        { ids },
      );
      return { count: t.api.db.queryCount - before, series: compareRuns.series };
    };
    await statements(runIds.slice(0, 1));
    const all = await statements(runIds);
    // Authentication, the runs (one batch), the probe, then at most PARALLEL_READS reads.
    expect(all.count).toBeLessThanOrEqual(3 + PARALLEL_READS);
    for (const [index, runId] of runIds.entries()) {
      const { metricHistory } = await gqlOk(t.url, team.viewer.token, HISTORY, { runId, key: "loss", maxPoints: 900 });
      expect(all.series[index]).toEqual({ runId, key: "loss", ...metricHistory });
    }
    expect(all.series.map((s: { downsampled: boolean; points: unknown[] }) => [s.downsampled, s.points.length])).toEqual([
      [true, expect.any(Number)],
      [false, 300],
      [true, expect.any(Number)],
      [false, 0],
      [true, expect.any(Number)],
      [true, expect.any(Number)],
    ]);
  });

  it("reads a step range of every series exactly as metricHistory reads it", async () => {
    const runs = await Promise.all([0, 1, 2].map(() => createProjectAndRun(t.url, team.member.token, team.teamId)));
    for (const [index, { runId }] of runs.entries()) await logSeries(runId, "loss", [12_000, 2_500, 600][index] ?? 0);
    const runIds = runs.map((r) => r.runId);
    const range = { from: 500, to: 9_000, maxPoints: 400 };
    const { compareRuns } = await gqlOk(
      t.url,
      team.viewer.token,
      `query($ids: [ID!]!, $from: Long, $to: Long, $maxPoints: Int) {
        compareRuns(runIds: $ids, keys: ["loss"], fromStep: $from, toStep: $to, maxPoints: $maxPoints) { ${SERIES} } }`,
      { ids: runIds, ...range },
    );
    for (const [index, runId] of runIds.entries()) {
      const { metricHistory } = await gqlOk(t.url, team.viewer.token, HISTORY, { runId, key: "loss", ...range });
      expect(compareRuns.series[index]).toEqual({ runId, key: "loss", ...metricHistory });
    }
    const series = compareRuns.series as Array<{ downsampled: boolean; points: Array<{ step: number }> }>;
    expect(series.map((s) => s.downsampled)).toEqual([true, true, false]);
    expect(series[2]?.points.map((p) => p.step)).toEqual(Array.from({ length: 100 }, (_, i) => 500 + i));
    for (const s of series) expect(s.points.every((p) => p.step >= 500 && p.step <= 9_000)).toBe(true);
    const reversed = await gql(
      t.url,
      team.viewer.token,
      `query($ids: [ID!]!) { compareRuns(runIds: $ids, keys: ["loss"], fromStep: 9, toStep: 3) { runs { id } } }`,
      { ids: runIds },
    );
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "toStep", rule: "must be ≥ fromStep" });
    const negative = await gql(t.url, team.viewer.token, `query($ids: [ID!]!) { compareRuns(runIds: $ids, keys: ["loss"], fromStep: -1) { runs { id } } }`, {
      ids: runIds,
    });
    expect(negative.errors?.[0]?.extensions).toMatchObject({ field: "fromStep", rule: "must be ≥ 0" });
  });

  it("compares 100 runs × 4 keys in a bounded number of statements, and caps series and points", async () => {
    const { projectId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO run (id, team_id, project_id, name, status) SELECT gen_random_uuid(), $1, $2, 'bulk-' || i, 'RUNNING'
       FROM generate_series(1, 100) i RETURNING id`,
      [team.teamId, projectId],
    );
    const runIds = rows.map((row) => row.id);
    const logged = runIds.filter((_, index) => index % 10 === 0);
    for (const [index, runId] of logged.entries()) {
      const points = ["loss", "acc"].flatMap((metricKey) =>
        Array.from({ length: 50 + index }, (_, step) => ({ key: metricKey, step, value: wave(step + index) })),
      );
      await gqlOk(t.url, team.member.token, LOG, { runId, points });
    }
    const COMPARE = `query($ids: [ID!]!, $keys: [String!]!, $maxPoints: Int, $from: Long) {
      compareRuns(runIds: $ids, keys: $keys, maxPoints: $maxPoints, fromStep: $from) { runs { id } series { runId key points { step } } } }`;
    const keys = ["loss", "acc", "lr", "missing"];
    const before = t.api.db.queryCount;
    const { compareRuns } = await gqlOk(t.url, team.viewer.token, COMPARE, { ids: runIds, keys, maxPoints: 1000, from: 10 });
    // Authentication, the runs (one batch), the probe (extents and heads), then at most PARALLEL_READS reads.
    expect(t.api.db.queryCount - before).toBeLessThanOrEqual(4 + PARALLEL_READS);
    expect(compareRuns.runs.map((r: { id: string }) => r.id)).toEqual(runIds);
    expect(compareRuns.series).toHaveLength(400);
    const lengths = (metricKey: string) =>
      compareRuns.series.filter((s: { key: string }) => s.key === metricKey).map((s: { points: unknown[] }) => s.points.length);
    expect(lengths("acc")).toEqual(runIds.map((_, index) => (index % 10 === 0 ? 40 + index / 10 : 0)));
    expect(lengths("missing").every((n: number) => n === 0)).toBe(true);

    const fiveKeys = await gql(t.url, team.viewer.token, COMPARE, { ids: runIds, keys: [...keys, "x"], maxPoints: 10 });
    expect(fiveKeys.errors?.[0]?.extensions).toMatchObject({ field: "keys", rule: "runs × keys must be at most 400" });
    const points = await gql(t.url, team.viewer.token, COMPARE, { ids: runIds, keys, maxPoints: 1001 });
    expect(points.errors?.[0]?.extensions).toMatchObject({ field: "maxPoints", rule: "maxPoints × runs × keys must be at most 400000" });
    const few = await gqlOk(t.url, team.viewer.token, COMPARE, { ids: runIds.slice(0, 80), keys: ["loss"], maxPoints: 5000 });
    expect(few.compareRuns.series).toHaveLength(80);

    const other = await seedTeam(t.db);
    const foreign = await gql(t.url, other.owner.token, COMPARE, { ids: runIds, keys: ["loss"], maxPoints: 100 });
    expect(foreign.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(foreign.data).toBeNull();
  });
});
