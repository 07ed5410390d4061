import { randomUUID } from "node:crypto";
import type { Db } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let teamA: SeededTeam;
let teamB: SeededTeam;

type Param = [key: string, value: number | string | boolean];
interface SeedRun {
  name: string;
  status: string;
  arch?: string;
  dataset?: string;
  tags?: string[];
  params?: Param[];
  hyperparameters?: Record<string, unknown>;
  /** key → [last, min, max] */
  metrics?: Record<string, [number, number, number]>;
  created: string;
  seconds?: number;
  running?: boolean;
}

async function seedRuns(db: Db, teamId: string, runs: SeedRun[]): Promise<void> {
  const projectId = randomUUID();
  await db.pool.query(`INSERT INTO project (id, team_id, name) VALUES ($1, $2, $3)`, [projectId, teamId, `p-${projectId}`]);
  const catalog = new Map<string, string>();
  const catalogId = async (table: "architecture" | "dataset", name: string | undefined) => {
    if (name === undefined) return null;
    const known = catalog.get(`${table}:${name}`);
    if (known) return known;
    const id = randomUUID();
    if (table === "architecture")
      await db.pool.query(
        `INSERT INTO architecture (id, team_id, name, family, source_format, input_size) VALUES ($1, $2, $3, 'mobilenet', 'ONNX', '{3,224,224}')`,
        [id, teamId, name],
      );
    else
      await db.pool.query(`INSERT INTO dataset (id, team_id, name, kind, source_uri, class_names) VALUES ($1, $2, $3, 'IMAGE_FOLDER', '/x', '{a,b}')`, [
        id,
        teamId,
        name,
      ]);
    catalog.set(`${table}:${name}`, id);
    return id;
  };
  for (const run of runs) {
    const id = randomUUID();
    const started = run.seconds === undefined ? null : new Date(Date.now() - run.seconds * 1000).toISOString();
    await db.pool.query(
      `INSERT INTO run (id, team_id, project_id, name, status, created_at, started_at, finished_at, architecture_id, dataset_id, tags, hyperparameters)
       VALUES ($1, $2, $3, $4, $5::"RunStatus", $6, $7, CASE WHEN $8 THEN NULL ELSE now() END, $9, $10, $11, $12)`,
      [
        id,
        teamId,
        projectId,
        run.name,
        run.status,
        run.created,
        started,
        run.running ?? false,
        await catalogId("architecture", run.arch),
        await catalogId("dataset", run.dataset),
        run.tags ?? [],
        JSON.stringify(run.hyperparameters ?? {}),
      ],
    );
    for (const [key, value] of run.params ?? []) {
      const type = typeof value === "number" ? "NUMBER" : typeof value === "boolean" ? "BOOLEAN" : "STRING";
      await db.pool.query(`INSERT INTO run_param (run_id, key, type, number_value, string_value) VALUES ($1, $2, $3::"ParamType", $4, $5)`, [
        id,
        key,
        type,
        typeof value === "number" ? value : null,
        typeof value === "number" ? null : String(value),
      ]);
    }
    for (const [key, [last, min, max]] of Object.entries(run.metrics ?? {})) {
      await db.pool.query(
        `INSERT INTO metric_summary (run_id, key, last, last_step, min, min_step, max, max_step, count) VALUES ($1, $2, $3, 9, $4, 1, $5, 2, 10)`,
        [id, key, last, min, max],
      );
    }
  }
}

beforeAll(async () => {
  t = await startTestApi();
  teamA = await seedTeam(t.db);
  teamB = await seedTeam(t.db);
  await seedRuns(t.db, teamA.teamId, [
    {
      name: "alpha",
      status: "SUCCEEDED",
      arch: "mobilenet-v2-imagenet",
      dataset: "ants",
      tags: ["baseline"],
      params: [
        ["lr", 0.001],
        ["optimizer", "adam"],
        ["pretrained", true],
        ["recipe", "AUTO"],
        ["transfer.recipe", "LINEAR_PROBE"],
        ["batch size", 32],
      ],
      metrics: { accuracy: [0.95, 0.5, 0.96], loss: [0.2, 0.1, 2] },
      created: "2026-01-10T08:00:00Z",
      seconds: 120,
    },
    {
      name: "beta",
      status: "SUCCEEDED",
      arch: "resnet18",
      dataset: "ants",
      params: [
        ["lr", 0.02],
        ["optimizer", "sgd"],
        ["pretrained", false],
        ["recipe", "FINE_TUNE"],
      ],
      metrics: { accuracy: [0.85, 0.4, 0.92], loss: [0.4, 0.3, 1.5] },
      created: "2026-01-11T23:30:00Z",
      seconds: 60,
    },
    {
      name: "gamma",
      status: "FAILED",
      arch: "mobilenet-v2-imagenet",
      tags: ["baseline", "50%_off"],
      params: [["lr", 0.005]],
      hyperparameters: { recipe: "FIT_ONE_CYCLE" },
      created: "2026-01-12T00:00:00Z",
    },
    {
      name: "delta",
      status: "RUNNING",
      params: [["lr", 0.01]],
      metrics: { accuracy: [0.91, 0.2, 0.91] },
      created: new Date().toISOString(),
      seconds: 30,
      running: true,
    },
  ]);
  await seedRuns(t.db, teamB.teamId, [
    {
      name: "other",
      status: "SUCCEEDED",
      arch: "mobilenet-v2-imagenet",
      tags: ["baseline"],
      params: [["lr", 0.0001]],
      metrics: { accuracy: [0.99, 0.5, 0.99] },
      created: "2026-01-10T08:00:00Z",
    },
  ]);
});
afterAll(async () => {
  await t.close();
});

const RUNS_QUERY = `query($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {
  runs(filter: $filter, sort: $sort, first: $first, after: $after) { nodes { name } totalCount pageInfo { hasNextPage endCursor } } }`;

async function search(query: string, filter: Record<string, unknown> = {}, token = teamA.viewer.token): Promise<string[]> {
  const data = await gqlOk(t.url, token, RUNS_QUERY, { filter: { query, ...filter }, sort: { field: "NAME", direction: "ASC" }, first: 100 });
  return data.runs.nodes.map((n: { name: string }) => n.name);
}

async function searchError(query: string): Promise<Record<string, unknown>> {
  const result = await gql(t.url, teamA.viewer.token, RUNS_QUERY, { filter: { query } });
  expect(errorCode(result)).toBe("BAD_USER_INPUT");
  return { message: result.errors?.[0]?.message, ...result.errors?.[0]?.extensions };
}

describe("runs search on PostgreSQL", () => {
  it("compares metric summaries, with and/or/not and parentheses", async () => {
    expect(await search('accuracy > 0.9 and backbone = "mobilenet-v2-imagenet"')).toEqual(["alpha"]);
    expect(await search("accuracy > 0.9")).toEqual(["alpha", "delta"]);
    expect(await search("not accuracy > 0.9")).toEqual(["beta", "gamma"]);
    expect(await search("max(accuracy) >= 0.92")).toEqual(["alpha", "beta"]);
    expect(await search("max(accuracy) >= 0.92 and min(loss) < 0.2")).toEqual(["alpha"]);
    expect(await search("last(loss) = 0.4 or metrics.accuracy <= 0.91 and status = running")).toEqual(["beta", "delta"]);
    expect(await search("(last(loss) = 0.4 or metrics.accuracy <= 0.91) and status = running")).toEqual(["delta"]);
    expect(await search("loss and not (accuracy > 0.9)")).toEqual(["beta"]);
    expect(await search("accuracy")).toEqual(["alpha", "beta", "delta"]);
  });

  it("compares params by type, and tests tags", async () => {
    expect(await search("params.lr < 0.01 or tags.baseline")).toEqual(["alpha", "gamma"]);
    expect(await search("params.lr >= 0.01")).toEqual(["beta", "delta"]);
    expect(await search("params.optimizer = adam or params.pretrained = true")).toEqual(["alpha"]);
    expect(await search("params.pretrained != true")).toEqual(["beta"]);
    expect(await search('params.optimizer ~ "G"')).toEqual(["beta"]);
    expect(await search("params.optimizer != adam")).toEqual(["beta"]);
    expect(await search("params.`batch size` = 32")).toEqual(["alpha"]);
    expect(await search("params.lr")).toEqual(["alpha", "beta", "delta", "gamma"]);
    expect(await search("not tags.baseline")).toEqual(["beta", "delta"]);
    expect(await search('tag = "50%_off"')).toEqual(["gamma"]);
    expect(await search("tag != baseline")).toEqual(["beta", "delta"]);
    // % and _ are text, not patterns
    expect(await search('tags ~ "%"')).toEqual(["gamma"]);
    expect(await search('name ~ "_"')).toEqual([]);
    expect(await search('name ~ "ET"')).toEqual(["beta"]);
  });

  it("reads the built-in fields", async () => {
    expect(await search("status = failed or status = RUNNING")).toEqual(["delta", "gamma"]);
    expect(await search("status != succeeded")).toEqual(["delta", "gamma"]);
    expect(await search("recipe = linear_probe")).toEqual(["alpha"]);
    expect(await search("recipe = FINE_TUNE")).toEqual(["beta"]);
    expect(await search("recipe = fit_one_cycle")).toEqual(["gamma"]);
    expect(await search("dataset = ants and not backbone ~ mobile")).toEqual(["beta"]);
    expect(await search("backbone != resnet18")).toEqual(["alpha", "gamma"]);
    expect(await search("not backbone = resnet18")).toEqual(["alpha", "delta", "gamma"]);
    expect(await search('created > "2026-01-10"')).toEqual(["beta", "delta", "gamma"]);
    expect(await search('created = "2026-01-11"')).toEqual(["beta"]);
    expect(await search('created < "2026-01-11T00:00:00Z"')).toEqual(["alpha"]);
    expect(await search("duration >= 100")).toEqual(["alpha"]);
    expect(await search("duration < 100")).toEqual(["beta", "delta"]);
  });

  it("combines with the other filters, sorts, pages and counts", async () => {
    expect(await search("accuracy > 0.9", { status: ["SUCCEEDED"] })).toEqual(["alpha"]);
    const variables = { filter: { query: "accuracy > 0" }, sort: { field: "METRIC", key: "accuracy", direction: "DESC" }, first: 2 };
    const first = await gqlOk(t.url, teamA.viewer.token, RUNS_QUERY, variables);
    expect(first.runs.nodes.map((n: { name: string }) => n.name)).toEqual(["alpha", "delta"]);
    expect(first.runs.totalCount).toBe(3);
    const second = await gqlOk(t.url, teamA.viewer.token, RUNS_QUERY, { ...variables, after: first.runs.pageInfo.endCursor });
    expect(second.runs.nodes.map((n: { name: string }) => n.name)).toEqual(["beta"]);
    expect(second.runs.pageInfo.hasNextPage).toBe(false);
    expect(await search("   ")).toHaveLength(4);
  });

  it("keeps teams apart", async () => {
    expect(await search("accuracy > 0.98")).toEqual([]);
    expect(await search("tags.baseline", {}, teamB.viewer.token)).toEqual(["other"]);
    expect(await search("params.lr > 0", {}, teamB.viewer.token)).toEqual(["other"]);
    const foreign = await gql(t.url, teamA.viewer.token, RUNS_QUERY, { filter: { teamId: teamB.teamId, query: "accuracy > 0" } });
    expect(foreign.data?.runs ?? null).toBeNull();
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(errorCode(foreign));
  });

  it("keeps an injection attempt a value", async () => {
    expect(await search(`name = "x' OR '1'='1"`)).toEqual([]);
    expect(await search(`name = "alpha'; DROP TABLE run; --" or name = alpha`)).toEqual(["alpha"]);
    expect(await search(`params.optimizer = "adam' OR 'a'='a"`)).toEqual([]);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM run WHERE team_id = $1`, [teamA.teamId]);
    expect(rows[0].n).toBe(4);
    const key = await searchError("params.`lr') OR true --` > 0");
    expect(key.rule).toMatch(/expected a param key/);
  });

  it("answers BAD_USER_INPUT naming the position and what was expected", async () => {
    expect(await searchError("accuracy >")).toMatchObject({
      field: "filter.query",
      position: 11,
      message: 'filter.query: at 11: expected a value (a number, "text" or a word) after ">", found the end of the query',
    });
    expect(await searchError('accuracy > "high"')).toMatchObject({
      position: 12,
      rule: 'at 12: expected a number to compare metric accuracy with, found "high"',
    });
    expect(await searchError("status = done")).toMatchObject({
      position: 10,
      rule: 'at 10: expected one of queued, running, succeeded, failed, canceled, found "done"',
    });
    expect(await searchError("backbone > 3")).toMatchObject({ position: 1, rule: "at 1: expected = != ~ or !~ for backbone (it is text)" });
    expect(await searchError("created > yesterday")).toMatchObject({ position: 11 });
    expect(await searchError("status")).toMatchObject({ position: 1, rule: "at 1: expected an operator (= != < <= > >= ~ !~) after status" });
    expect(await searchError("tags.x = 1")).toMatchObject({ position: 1 });
    expect(await searchError("max(params.lr) > 1")).toMatchObject({ position: 1, rule: 'at 1: expected a metric name inside max( ), found "params.lr"' });
    expect(await searchError("params.lr < fast")).toMatchObject({ position: 13 });
  });
});

const GROUPS_QUERY = `query($filter: RunFilter, $groupBy: RunGroupBy!, $metrics: [GroupMetricInput!]) {
  runGroups(filter: $filter, groupBy: $groupBy, metrics: $metrics) { value count metrics { key summary count mean std min max } } }`;

interface Group {
  value: unknown;
  count: number;
  metrics: Array<{ key: string; summary: string; count: number; mean: number | null; std: number | null; min: number | null; max: number | null }>;
}

async function groups(variables: Record<string, unknown>, token = teamA.viewer.token): Promise<Group[]> {
  return (await gqlOk(t.url, token, GROUPS_QUERY, variables)).runGroups;
}

describe("run groups", () => {
  it("groups by backbone, param, tag and status with mean ± std of metric summaries", async () => {
    const byBackbone = await groups({ groupBy: { field: "BACKBONE" }, metrics: [{ key: "accuracy" }] });
    expect(byBackbone.map((g) => [g.value, g.count, g.metrics[0]!.count, g.metrics[0]!.mean])).toEqual([
      ["mobilenet-v2-imagenet", 2, 1, 0.95],
      ["resnet18", 1, 1, 0.85],
      [null, 1, 1, 0.91],
    ]);
    expect(byBackbone[0]!.metrics[0]!.std).toBeNull();

    const byLr = await groups({ filter: { query: "tags.baseline" }, groupBy: { field: "PARAM", key: "lr" } });
    expect(byLr.map((g) => [g.value, g.count])).toEqual([
      [0.001, 1],
      [0.005, 1],
    ]);

    const byTag = await groups({ groupBy: { field: "TAG" }, metrics: [{ key: "accuracy", summary: "MAX" }, { key: "loss" }] });
    expect(byTag.map((g) => [g.value, g.count])).toEqual([
      ["baseline", 2],
      [null, 2],
      ["50%_off", 1],
    ]);
    const untagged = byTag[1]!.metrics[0]!;
    expect(untagged).toMatchObject({ key: "accuracy", summary: "MAX", count: 2, min: 0.91, max: 0.92 });
    expect(untagged.mean).toBeCloseTo(0.915, 10);
    expect(untagged.std).toBeCloseTo(Math.sqrt(2 * 0.005 ** 2), 10);
    expect(byTag[1]!.metrics[1]).toMatchObject({ key: "loss", count: 1, mean: 0.4 });

    const byStatus = await groups({ groupBy: { field: "STATUS" } });
    expect(byStatus.map((g) => [g.value, g.count])).toEqual([
      ["SUCCEEDED", 2],
      ["FAILED", 1],
      ["RUNNING", 1],
    ]);
    const byRecipe = await groups({ filter: { status: ["SUCCEEDED", "FAILED"] }, groupBy: { field: "RECIPE" } });
    expect(byRecipe.map((g) => g.value)).toEqual(["FINE_TUNE", "FIT_ONE_CYCLE", "LINEAR_PROBE"]);
  });

  it("keeps teams apart and refuses bad input", async () => {
    expect((await groups({ groupBy: { field: "STATUS" } }, teamB.viewer.token)).map((g) => [g.value, g.count])).toEqual([["SUCCEEDED", 1]]);
    const noKey = await gql(t.url, teamA.viewer.token, GROUPS_QUERY, { groupBy: { field: "PARAM" } });
    expect(noKey.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "groupBy.key" });
    const badQuery = await gql(t.url, teamA.viewer.token, GROUPS_QUERY, { filter: { query: "accuracy >" }, groupBy: { field: "STATUS" } });
    expect(badQuery.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.query", position: 11 });
    const foreign = await gql(t.url, teamA.viewer.token, GROUPS_QUERY, { filter: { teamId: teamB.teamId }, groupBy: { field: "STATUS" } });
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(errorCode(foreign));
  });
});
