import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;
let otherTeam: SeededTeam;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  otherTeam = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
});

async function post(runId: string, token: string | null, body: unknown, method = "POST") {
  const response = await fetch(t.url.replace("/graphql", `/api/v1/runs/${runId}/metrics`), {
    method,
    headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    ...(method === "POST" ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function stored(runId: string) {
  const { rows } = await t.db.pool.query(
    `SELECT key, step::int, value, epoch, wall_time AS "wallTime" FROM metric_point WHERE run_id = $1 ORDER BY key, step`,
    [runId],
  );
  return rows;
}

describe("POST /api/v1/runs/:runId/metrics", () => {
  it("stores columnar points once, however often they are resent, with summaries like logMetrics", async () => {
    const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const body = {
      keys: ["loss", "loss", "loss", "acc"],
      steps: [0, 1, 2, 2],
      values: [2, 0.5, 1, 0.7],
      epochs: [0, null, 0, 1],
      wallTimes: [null, null, "2026-01-01T00:00:00.000Z", null],
    };
    expect(await post(runId, team.member.token, body)).toEqual({ status: 200, body: { inserted: 4, duplicates: 0 } });
    const resent = { keys: [...body.keys, "loss"], steps: [...body.steps, 3], values: [9, 9, 9, 9, 0.25] };
    expect(await post(runId, team.member.token, resent)).toEqual({ status: 200, body: { inserted: 1, duplicates: 4 } });

    const points = await stored(runId);
    expect(points.map((p) => [p.key, p.step, p.value, p.epoch])).toEqual([
      ["acc", 2, 0.7, 1],
      ["loss", 0, 2, 0],
      ["loss", 1, 0.5, null],
      ["loss", 2, 1, 0],
      ["loss", 3, 0.25, null],
    ]);
    expect(points[3]?.wallTime).toEqual(new Date("2026-01-01T00:00:00.000Z"));
    const { run } = await gqlOk(t.url, team.viewer.token, `query($id: ID!) { run(id: $id) { metrics { key last min max count } } }`, { id: runId });
    expect(run.metrics).toEqual([
      { key: "acc", last: 0.7, min: 0.7, max: 0.7, count: 1 },
      { key: "loss", last: 0.25, min: 0.25, max: 2, count: 4 },
    ]);
  });

  it("answers 401 without a valid token, 404 for another team's run or an unknown run, 403 for viewers", async () => {
    const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const body = { keys: ["loss"], steps: [1], values: [1] };
    expect((await post(runId, null, body)).status).toBe(401);
    expect((await post(runId, "rb_not-a-real-token", body)).status).toBe(401);
    const foreign = await post(runId, otherTeam.owner.token, body);
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    expect((await post(randomUUID(), team.member.token, body)).status).toBe(404);
    expect(await post(runId, team.viewer.token, body)).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN", permission: "run:write" } } });
    expect((await post(runId, team.member.token, body, "GET")).status).toBe(405);
    expect(await stored(runId)).toEqual([]);
  });

  it.each([
    ["not-a-uuid", { keys: ["x"], steps: [1], values: [1] }, "runId", "must be a UUID"],
    [null, "{not json", "body", "must be valid JSON"],
    [null, [1, 2], "body", "must be a JSON object"],
    [null, { keys: [], steps: [], values: [] }, "keys", "must hold at least one point"],
    [null, { keys: ["x"], steps: [1] }, "values", "must be an array"],
    [null, { keys: ["x", "y"], steps: [1], values: [1, 2] }, "steps", "must hold as many items as keys (2)"],
    [null, { keys: ["x", "bad\nkey"], steps: [1, 2], values: [1, 2] }, "keys.1", "may hold letters, digits, spaces and _ . - / : @ only"],
    [null, { keys: ["x", "x"], steps: [1, -1], values: [1, 2] }, "steps.1", "must be ≥ 0"],
    [null, { keys: ["x"], steps: [1.5], values: [1] }, "steps.0", "must be a whole number"],
    [null, { keys: ["x"], steps: [1], values: ["1"] }, "values.0", "must be a finite number"],
    [null, { keys: ["x"], steps: [1], values: [1], epochs: ["1"] }, "epochs.0", "must be a finite number"],
    [null, { keys: ["x"], steps: [1], values: [1], wallTimes: ["yesterday"] }, "wallTimes.0", "must be an ISO-8601 timestamp or null"],
    [null, { keys: ["x"], steps: [1], values: [1], value: [2] }, "value", "is not a field: use keys, steps, values, epochs, wallTimes"],
    [null, { keys: Array(10_001).fill("x"), steps: [], values: [] }, "keys", "must hold at most 10000 points"],
  ])("rejects a bad body with 400 naming the field and rule (run %s, body %j)", async (badRunId, body, field, rule) => {
    const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const result = await post(badRunId ?? runId, team.member.token, body);
    expect(result).toMatchObject({ status: 400, body: { error: { code: "BAD_USER_INPUT", field, rule } } });
    expect(await stored(runId)).toEqual([]);
  });
});
