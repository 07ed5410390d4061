import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;
let projectId: string;

const CREATE_RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id name status startedAt hyperparameters tags
  params { key type value } experiment { id } dataset { name } architecture { name } parentRun { id } } }`;
const LOG_PARAMS = `mutation($runId: ID!, $params: [ParamInput!]!) { logParams(runId: $runId, params: $params) { key type value } }`;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  ({ projectId } = await createProjectAndRun(t.url, team.member.token, team.teamId));
});
afterAll(async () => {
  await t.close();
});

describe("createRun", () => {
  it("freezes hyperparameters and turns their scalar leaves into typed params", async () => {
    const { createRun } = await gqlOk(t.url, team.member.token, CREATE_RUN, {
      input: {
        projectId,
        name: "fine-tune",
        tags: ["baseline", "baseline", "cpu"],
        hyperparameters: { lr: 0.001, epochs: 5, optimizer: { name: "adamw", nesterov: false }, sizes: [1, 2] },
      },
    });
    expect(createRun).toMatchObject({ name: "fine-tune", status: "RUNNING", tags: ["baseline", "cpu"], experiment: null });
    expect(createRun.hyperparameters.sizes).toEqual([1, 2]);
    expect(createRun.params).toEqual([
      { key: "epochs", type: "NUMBER", value: 5 },
      { key: "lr", type: "NUMBER", value: 0.001 },
      { key: "optimizer.name", type: "STRING", value: "adamw" },
      { key: "optimizer.nesterov", type: "BOOLEAN", value: false },
    ]);
  });

  it("links a parent run, and refuses an experiment of another project", async () => {
    const parent = await gqlOk(t.url, team.member.token, CREATE_RUN, { input: { projectId, name: "parent" } });
    const child = await gqlOk(t.url, team.member.token, CREATE_RUN, {
      input: { projectId, name: "child", parentRunId: parent.createRun.id },
    });
    expect(child.createRun.parentRun).toEqual({ id: parent.createRun.id });

    const other = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const { createExperiment } = await gqlOk(t.url, team.member.token, `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { id } }`, {
      input: { projectId: other.projectId, name: "elsewhere" },
    });
    const result = await gql(t.url, team.member.token, CREATE_RUN, {
      input: { projectId, name: "mismatch", experimentId: createExperiment.id, hyperparameters: { lr: 1 } },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.experimentId" });
    const { rowCount } = await t.db.pool.query(`SELECT 1 FROM run WHERE name = 'mismatch'`);
    expect(rowCount).toBe(0);
  });
});

describe("logParams", () => {
  it("accepts a param once, the same value again, and refuses a change naming the key", async () => {
    const { createRun } = await gqlOk(t.url, team.member.token, CREATE_RUN, { input: { projectId, name: "params" } });
    const runId = createRun.id;
    const first = await gqlOk(t.url, team.member.token, LOG_PARAMS, {
      runId,
      params: [
        { key: "lr", value: 0.01 },
        { key: "arch", value: "resnet18" },
      ],
    });
    expect(first.logParams).toEqual([
      { key: "arch", type: "STRING", value: "resnet18" },
      { key: "lr", type: "NUMBER", value: 0.01 },
    ]);
    const again = await gqlOk(t.url, team.member.token, LOG_PARAMS, { runId, params: [{ key: "lr", value: 0.01 }] });
    expect(again.logParams).toEqual([{ key: "lr", type: "NUMBER", value: 0.01 }]);

    const changed = await gql(t.url, team.member.token, LOG_PARAMS, {
      runId,
      params: [
        { key: "batch", value: 32 },
        { key: "lr", value: 0.1 },
      ],
    });
    expect(errorCode(changed)).toBe("BAD_USER_INPUT");
    expect(changed.errors?.[0]?.extensions?.field).toBe("params.lr");
    expect(changed.errors?.[0]?.message).toMatch(/lr is already set to 0.01/);
    // The whole call was rolled back: batch was not stored either.
    const { rows } = await t.db.pool.query(`SELECT key, number_value FROM run_param WHERE run_id = $1 ORDER BY key`, [runId]);
    expect(rows).toEqual([
      { key: "arch", number_value: null },
      { key: "lr", number_value: 0.01 },
    ]);
  });

  it("refuses a changed type and bad values", async () => {
    const { createRun } = await gqlOk(t.url, team.member.token, CREATE_RUN, { input: { projectId, name: "types", hyperparameters: { seed: 1 } } });
    const asString = await gql(t.url, team.member.token, LOG_PARAMS, { runId: createRun.id, params: [{ key: "seed", value: "1" }] });
    expect(asString.errors?.[0]?.extensions?.field).toBe("params.seed");
    const objectValue = await gql(t.url, team.member.token, LOG_PARAMS, { runId: createRun.id, params: [{ key: "x", value: { a: 1 } }] });
    expect(objectValue.errors?.[0]?.extensions).toMatchObject({ field: "params.0.value", rule: "must be a number, a string or a boolean" });
    const viewer = await gql(t.url, team.viewer.token, LOG_PARAMS, { runId: createRun.id, params: [{ key: "y", value: 1 }] });
    expect(errorCode(viewer)).toBe("FORBIDDEN");
  });
});

describe("tags, note, finishRun, run", () => {
  it("updates tags and note, finishes once, and reads the run back", async () => {
    const { createRun } = await gqlOk(t.url, team.member.token, CREATE_RUN, { input: { projectId, name: "lifecycle" } });
    const runId = createRun.id;
    const tagged = await gqlOk(t.url, team.member.token, `mutation($runId: ID!) { setTags(runId: $runId, tags: ["best", "kfold"]) { tags } }`, { runId });
    expect(tagged.setTags.tags).toEqual(["best", "kfold"]);
    const noted = await gqlOk(t.url, team.member.token, `mutation($runId: ID!) { setNote(runId: $runId, note: "lr too high") { note } }`, { runId });
    expect(noted.setNote.note).toBe("lr too high");

    const FINISH = `mutation($runId: ID!, $status: FinalRunStatus!) { finishRun(runId: $runId, status: $status, error: "diverged") { status finishedAt error } }`;
    const finished = await gqlOk(t.url, team.member.token, FINISH, { runId, status: "FAILED" });
    expect(finished.finishRun).toMatchObject({ status: "FAILED", error: "diverged" });
    expect(finished.finishRun.finishedAt).toEqual(expect.any(String));
    const twice = await gql(t.url, team.member.token, FINISH, { runId, status: "SUCCEEDED" });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "runId", rule: "run has already finished" });

    const { run } = await gqlOk(t.url, team.viewer.token, `query($id: ID!) { run(id: $id) { status tags note project { id } team { id } } }`, { id: runId });
    expect(run).toEqual({ status: "FAILED", tags: ["best", "kfold"], note: "lr too high", project: { id: projectId }, team: { id: team.teamId } });
    const missing = await gqlOk(t.url, team.viewer.token, `{ run(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(missing.run).toBeNull();
  });

  it("rejects too many tags", async () => {
    const { createRun } = await gqlOk(t.url, team.member.token, CREATE_RUN, { input: { projectId, name: "tags" } });
    const tags = Array.from({ length: 101 }, (_, i) => `t${i}`);
    const result = await gql(t.url, team.member.token, `mutation($runId: ID!, $tags: [String!]!) { setTags(runId: $runId, tags: $tags) { id } }`, {
      runId: createRun.id,
      tags,
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ field: "tags", rule: "must hold at most 100 tags" });
  });
});
