import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "./testing/harness.ts";
import { BLANK_KEY_RULE, key } from "./validation.ts";

let t: TestApi;
let team: SeededTeam;
let runId: string;
let projectId: string;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  ({ runId, projectId } = await createProjectAndRun(t.url, team.member.token, team.teamId));
});
afterAll(async () => {
  await t.close();
});

async function stored(table: "metric_point" | "run_param"): Promise<number> {
  const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE run_id = $1`, [runId]);
  return rows[0].n;
}

describe("keys of only spaces", () => {
  it("are refused by the key rule, while spaces inside a key stay allowed", () => {
    expect(key.safeParse("   ").error?.issues[0]?.message).toBe(BLANK_KEY_RULE);
    expect(key.safeParse("val loss").success).toBe(true);
  });

  it("are refused in logMetrics, naming the point's key, with nothing stored", async () => {
    const points = [
      { key: "loss", step: 0, value: 1 },
      { key: "   ", step: 0, value: 1 },
    ];
    const result = await gql(
      t.url,
      team.member.token,
      `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`,
      { runId, points },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "points.1.key", rule: BLANK_KEY_RULE });
    expect(await stored("metric_point")).toBe(0);
  });

  it("are refused by the REST route, naming the index, with nothing stored", async () => {
    const response = await fetch(t.url.replace("/graphql", `/api/v1/runs/${runId}/metrics`), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${team.member.token}` },
      body: JSON.stringify({ keys: ["loss", " "], steps: [0, 1], values: [1, 2] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: "BAD_USER_INPUT", field: "keys.1", rule: BLANK_KEY_RULE });
    expect(await stored("metric_point")).toBe(0);
  });

  it("are refused as param keys, in logParams and in a run's hyperparameters at any depth", async () => {
    const params = await gql(t.url, team.member.token, `mutation($runId: ID!, $params: [ParamInput!]!) { logParams(runId: $runId, params: $params) { key } }`, {
      runId,
      params: [{ key: "  ", value: 1 }],
    });
    expect(params.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "params.0.key", rule: BLANK_KEY_RULE });
    expect(await stored("run_param")).toBe(0);

    const create = `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`;
    const nested = await gql(t.url, team.member.token, create, { input: { projectId, name: "blank", hyperparameters: { optimizer: { lr: 0.1, "  ": 2 } } } });
    expect(nested.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.hyperparameters.optimizer.  ", rule: BLANK_KEY_RULE });
    const top = await gql(t.url, team.member.token, create, { input: { projectId, name: "blank", hyperparameters: { " ": 1 } } });
    expect(top.errors?.[0]?.extensions).toMatchObject({ field: "input.hyperparameters. ", rule: BLANK_KEY_RULE });
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM run WHERE project_id = $1 AND name = 'blank'`, [projectId]);
    expect(rows[0].n).toBe(0);
    await gqlOk(t.url, team.member.token, create, { input: { projectId, name: "spaced", hyperparameters: { "learning rate": 0.1 } } });
  });

  it("are refused as tags, naming the tag", async () => {
    const result = await gql(t.url, team.member.token, `mutation($runId: ID!, $tags: [String!]!) { setTags(runId: $runId, tags: $tags) { tags } }`, {
      runId,
      tags: ["ok", "   "],
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "tags.1", rule: "must not be empty" });
  });
});
