import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;
let projectId: string;
const RUNS = 24;

/** Runs i = 0..23: lr = 0.001·(i % 4 + 1), arch = a|b, val_acc last = i / 100, tags "even" on even i. */
beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  ({ projectId } = await createProjectAndRun(t.url, team.member.token, team.teamId, "ignored"));
  await t.db.pool.query(`UPDATE run SET status = 'SUCCEEDED' WHERE project_id = $1`, [projectId]);
  for (let i = 0; i < RUNS; i++) {
    const { createRun } = await gqlOk(t.url, team.member.token, `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`, {
      input: {
        projectId,
        name: `run-${String(i).padStart(2, "0")}`,
        tags: i % 2 === 0 ? ["even"] : [],
        hyperparameters: { lr: 0.001 * ((i % 4) + 1), arch: i % 2 ? "a" : "b" },
      },
    });
    await gqlOk(t.url, team.member.token, `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`, {
      runId: createRun.id,
      points: [
        { key: "val_acc", step: 0, value: 0 },
        { key: "val_acc", step: 1, value: i / 100 },
        { key: "loss", step: 1, value: 1 - i / 100 },
      ],
    });
  }
});
afterAll(async () => {
  await t.close();
});

const RUNS_QUERY = `query($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {
  runs(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { name } pageInfo { hasNextPage endCursor } } }`;

async function names(variables: Record<string, unknown>): Promise<string[]> {
  const data = await gqlOk(t.url, team.viewer.token, RUNS_QUERY, {
    filter: { projectId, ...(variables.filter as object) },
    ...variables,
    first: variables.first ?? 100,
  });
  return data.runs.nodes.map((n: { name: string }) => n.name);
}

describe("runs", () => {
  it("filters by param value and range, status, tags and metric-summary range", async () => {
    expect(await names({ filter: { params: [{ key: "lr", equals: 0.004 }] } })).toHaveLength(6);
    expect(
      await names({
        filter: {
          params: [
            { key: "arch", equals: "a" },
            { key: "lr", gte: 0.0035 },
          ],
        },
      }),
    ).toHaveLength(6);
    expect(await names({ filter: { tags: ["even"] } })).toHaveLength(12);
    expect(await names({ filter: { status: ["SUCCEEDED"] } })).toEqual(["ignored"]);
    const top = await names({ filter: { metrics: [{ key: "val_acc", gte: 0.2 }] }, sort: { field: "NAME", direction: "ASC" } });
    expect(top).toEqual(["run-20", "run-21", "run-22", "run-23"]);
    const lowMin = await names({ filter: { metrics: [{ key: "loss", field: "MIN", lte: 0.78 }] } });
    expect(lowMin).toHaveLength(2);
  });

  it("sorts by a metric summary or a param, missing values last", async () => {
    const byAcc = await names({ sort: { field: "METRIC", key: "val_acc", direction: "DESC" }, first: 3 });
    expect(byAcc).toEqual(["run-23", "run-22", "run-21"]);
    const byLrThenId = await names({ sort: { field: "PARAM", key: "lr", direction: "ASC" } });
    expect(byLrThenId.slice(0, 6).every((n) => Number(n.slice(4)) % 4 === 0)).toBe(true);
    expect(byLrThenId.at(-1)).toBe("ignored");
    const needsKey = await gql(t.url, team.viewer.token, RUNS_QUERY, { sort: { field: "METRIC" } });
    expect(needsKey.errors?.[0]?.extensions).toMatchObject({ field: "sort.key" });
  });

  it("pages with cursors through every run exactly once", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const data: { runs: { nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await gqlOk(
        t.url,
        team.viewer.token,
        RUNS_QUERY,
        {
          filter: { projectId },
          sort: { field: "METRIC", key: "loss", direction: "ASC" },
          first: 7,
          after,
        },
      );
      seen.push(...data.runs.nodes.map((n: { name: string }) => n.name));
      if (!data.runs.pageInfo.hasNextPage) break;
      after = data.runs.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(RUNS + 1);
    expect(new Set(seen).size).toBe(RUNS + 1);
    expect(seen[0]).toBe("run-23");
    const bad = await gql(t.url, team.viewer.token, RUNS_QUERY, { after: "garbage" });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
  });

  /** Every page of `first` runs in the sort, following endCursor; `between` runs after each page. */
  async function pagedNames(sort: Record<string, unknown>, first: number, between?: () => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const data: { runs: { nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await gqlOk(
        t.url,
        team.viewer.token,
        RUNS_QUERY,
        {
          filter: { projectId },
          sort,
          first,
          after,
        },
      );
      seen.push(...data.runs.nodes.map((n) => n.name));
      if (!data.runs.pageInfo.hasNextPage) return seen;
      after = data.runs.pageInfo.endCursor;
      await between?.();
    }
    throw new Error("more than 50 pages");
  }

  it("pages in the same order as one page, through ties and missing values, in both directions", async () => {
    const sorts = [
      { field: "PARAM", key: "arch", direction: "ASC" },
      { field: "PARAM", key: "lr", direction: "DESC" },
      { field: "METRIC", key: "val_acc", direction: "DESC" },
      { field: "METRIC", key: "val_acc", summary: "MIN", direction: "ASC" },
      { field: "NAME", direction: "DESC" },
      { field: "CREATED_AT", direction: "ASC" },
    ];
    for (const sort of sorts) {
      const whole = await names({ sort });
      expect(whole).toHaveLength(RUNS + 1);
      expect(await pagedNames(sort, 4)).toEqual(whole);
    }
  });

  it("keeps its place when runs are created between pages", async () => {
    const sort = { field: "CREATED_AT", direction: "DESC" };
    const before = await names({ sort });
    let created = 0;
    const paged = await pagedNames(sort, 5, async () => {
      created++;
      await gqlOk(t.url, team.member.token, `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`, {
        input: { projectId, name: `late-${created}` },
      });
    });
    // the new runs sort before every page already read: none of them shows, and no run repeats
    expect(paged).toEqual(before);
    await t.db.pool.query(`DELETE FROM run WHERE project_id = $1 AND name LIKE 'late-%'`, [projectId]);
  });

  it("refuses a cursor from another sort", async () => {
    const first = await gqlOk(t.url, team.viewer.token, RUNS_QUERY, { filter: { projectId }, sort: { field: "NAME", direction: "ASC" }, first: 2 });
    const other = await gql(t.url, team.viewer.token, RUNS_QUERY, {
      filter: { projectId },
      sort: { field: "NAME", direction: "DESC" },
      first: 2,
      after: first.runs.pageInfo.endCursor,
    });
    expect(errorCode(other)).toBe("BAD_USER_INPUT");
    expect(other.errors?.[0]?.extensions).toMatchObject({ field: "after" });
  });

  it("filters by ids, within the other filters and the caller's teams, at most 500 ids", async () => {
    const all = await gqlOk(
      t.url,
      team.viewer.token,
      `query($p: ID) { runs(filter: { projectId: $p }, sort: { field: NAME, direction: ASC }, first: 100) { nodes { id name } } }`,
      { p: projectId },
    );
    const chosen = all.runs.nodes.filter((_: unknown, index: number) => index % 5 === 1);
    const byIds = await names({ filter: { ids: chosen.map((n: { id: string }) => n.id) }, sort: { field: "NAME", direction: "ASC" } });
    expect(byIds).toEqual(chosen.map((n: { name: string }) => n.name));
    const evenOnly = await names({ filter: { ids: chosen.map((n: { id: string }) => n.id), tags: ["even"] } });
    expect(evenOnly.sort()).toEqual(chosen.map((n: { name: string }) => n.name).filter((n: string) => Number(n.slice(4)) % 2 === 0));
    expect(await names({ filter: { ids: [] } })).toEqual([]);

    const other = await seedTeam(t.db);
    const foreign = await gqlOk(t.url, other.owner.token, `query($ids: [ID!]) { runs(filter: { ids: $ids }) { nodes { id } totalCount } }`, {
      ids: chosen.map((n: { id: string }) => n.id),
    });
    expect(foreign.runs).toEqual({ nodes: [], totalCount: 0 });

    const tooMany = await gql(t.url, team.viewer.token, RUNS_QUERY, { filter: { ids: Array.from({ length: 501 }, () => randomUUID()) } });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.ids", rule: "must hold at most 500 ids" });
    const notUuid = await gql(t.url, team.viewer.token, RUNS_QUERY, { filter: { ids: ["x"] } });
    expect(notUuid.errors?.[0]?.extensions).toMatchObject({ field: "filter.ids.0", rule: "must be a UUID" });
  });

  it("counts every run matching the filter with one more statement, only when totalCount is selected", async () => {
    const COUNTED = `query($filter: RunFilter, $sort: RunSort) { runs(filter: $filter, sort: $sort, first: 5) { nodes { id } totalCount } }`;
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ projectId }, RUNS + 1],
      [{ projectId, tags: ["even"] }, 12],
      [{ projectId, params: [{ key: "lr", equals: 0.004 }], metrics: [{ key: "val_acc", gte: 0.1 }] }, 4],
      [{ projectId, status: ["FAILED"] }, 0],
    ];
    for (const [filter, expected] of cases) {
      const data = await gqlOk(t.url, team.viewer.token, COUNTED, { filter, sort: { field: "METRIC", key: "loss" } });
      expect(data.runs.totalCount).toBe(expected);
      expect(data.runs.nodes).toHaveLength(Math.min(5, expected));
    }
    const statements = async (query: string) => {
      await gqlOk(t.url, team.viewer.token, query, { filter: { projectId } });
      const before = t.api.db.queryCount;
      await gqlOk(t.url, team.viewer.token, query, { filter: { projectId } });
      return t.api.db.queryCount - before;
    };
    const twice = `query($filter: RunFilter) { runs(filter: $filter, first: 5) { nodes { id } totalCount total: totalCount } }`;
    const without = `query($filter: RunFilter) { runs(filter: $filter, first: 5) { nodes { id } } }`;
    expect(await statements(twice)).toBe((await statements(without)) + 1);
    const other = await seedTeam(t.db);
    const foreign = await gqlOk(t.url, other.owner.token, `{ runs { totalCount } }`);
    expect(foreign.runs.totalCount).toBe(0);
  });

  it("costs the same number of SQL queries for a page of 2 runs and of 24", async () => {
    const PAGE = `query($first: Int, $projectId: ID) { runs(filter: { projectId: $projectId }, first: $first) {
      edges { cursor node { id name project { name } team { name } experiment { name } dataset { name } architecture { name }
        params { key value } param(key: "lr") { value } metrics { key last } metric(key: "loss") { min } parentRun { id } } } } }`;
    const count = async (first: number) => {
      await gqlOk(t.url, team.viewer.token, PAGE, { first, projectId }); // warm: lastUsedAt written at most once a minute
      const before = t.api.db.queryCount;
      const data = await gqlOk(t.url, team.viewer.token, PAGE, { first, projectId });
      expect(data.runs.edges).toHaveLength(first);
      return t.api.db.queryCount - before;
    };
    const small = await count(2);
    const large = await count(24);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(6);
  });
});
