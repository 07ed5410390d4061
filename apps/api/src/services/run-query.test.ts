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
      input: { projectId, name: `run-${String(i).padStart(2, "0")}`, tags: i % 2 === 0 ? ["even"] : [], hyperparameters: { lr: 0.001 * ((i % 4) + 1), arch: i % 2 ? "a" : "b" } },
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
  const data = await gqlOk(t.url, team.viewer.token, RUNS_QUERY, { filter: { projectId, ...(variables.filter as object) }, ...variables, first: variables.first ?? 100 });
  return data.runs.nodes.map((n: { name: string }) => n.name);
}

describe("runs", () => {
  it("filters by param value and range, status, tags and metric-summary range", async () => {
    expect(await names({ filter: { params: [{ key: "lr", equals: 0.004 }] } })).toHaveLength(6);
    expect(await names({ filter: { params: [{ key: "arch", equals: "a" }, { key: "lr", gte: 0.0035 }] } })).toHaveLength(6);
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
      const data: { runs: { nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await gqlOk(t.url, team.viewer.token, RUNS_QUERY, {
        filter: { projectId },
        sort: { field: "METRIC", key: "loss", direction: "ASC" },
        first: 7,
        after,
      });
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
