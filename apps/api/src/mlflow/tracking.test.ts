import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { mlflowClient, type MlflowTestClient } from "../testing/mlflow.ts";

let t: TestApi;
let team: SeededTeam;
let otherTeam: SeededTeam;
let member: MlflowTestClient;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  otherTeam = await seedTeam(t.db);
  member = mlflowClient(t.url, team.member.token);
});
afterAll(async () => {
  await t.close();
});

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/** set_experiment(name) then start_run(), as MLflow's Python client sends them. */
async function startRun(client: MlflowTestClient, experimentName = `exp-${randomUUID()}`) {
  const missing = await client.get("experiments/get-by-name", { experiment_name: experimentName });
  expect(missing).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
  const created = await client.post("experiments/create", { name: experimentName });
  expect(created.status).toBe(200);
  const experimentId: string = created.body.experiment_id;
  const run = await client.post("runs/create", {
    experiment_id: experimentId,
    user_id: "alice",
    start_time: T0,
    tags: [
      { key: "mlflow.user", value: "alice" },
      { key: "mlflow.source.name", value: "train.py" },
      { key: "mlflow.source.type", value: "LOCAL" },
    ],
    run_name: "bright-owl-1",
  });
  expect(run.status).toBe(200);
  return { experimentId, runId: run.body.run.info.run_id as string, created: run.body };
}

describe("the MLflow Python client's request sequence", () => {
  it("set_experiment → start_run → log_param/log_metric/log_batch → set_tag → end_run → get_run", async () => {
    const name = `pets-${randomUUID()}`;
    const { experimentId, runId, created } = await startRun(member, name);

    const experiment = await member.get("experiments/get", { experiment_id: experimentId });
    expect(experiment).toEqual({
      status: 200,
      body: {
        experiment: {
          experiment_id: experimentId,
          name,
          artifact_location: `mlflow-artifacts:/${experimentId}`,
          lifecycle_stage: "active",
          creation_time: expect.any(Number),
          last_update_time: expect.any(Number),
          tags: [],
        },
      },
    });
    expect((await member.get("experiments/get-by-name", { experiment_name: name })).body).toEqual(experiment.body);

    expect(created.run.info).toEqual({
      run_id: runId,
      run_uuid: runId,
      run_name: "bright-owl-1",
      experiment_id: experimentId,
      user_id: "alice",
      status: "RUNNING",
      start_time: T0,
      artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      lifecycle_stage: "active",
    });

    const ok = { status: 200, body: {} };
    expect(await member.post("runs/log-parameter", { run_id: runId, run_uuid: runId, key: "lr", value: "0.001" })).toEqual(ok);
    expect(await member.post("runs/log-metric", { run_id: runId, run_uuid: runId, key: "loss", value: 2.5, timestamp: T0 + 1000, step: 0 })).toEqual(ok);
    expect(
      await member.post("runs/log-batch", {
        run_id: runId,
        metrics: [
          { key: "loss", value: 1.5, timestamp: String(T0 + 2000), step: "1" },
          { key: "loss", value: 0.5, timestamp: T0 + 3000, step: 2 },
          { key: "acc", value: 0.93, timestamp: T0 + 3000, step: 2 },
        ],
        params: [
          { key: "batch_size", value: "32" },
          { key: "optimizer", value: "adam" },
          { key: "dropout", value: "0.10" },
        ],
        tags: [{ key: "stage", value: "head" }],
      }),
    ).toEqual(ok);
    expect(await member.post("runs/set-tag", { run_id: runId, run_uuid: runId, key: "note", value: "first try" })).toEqual(ok);
    const ended = await member.post("runs/update", { run_id: runId, run_uuid: runId, status: "FINISHED", end_time: T0 + 4000 });
    expect(ended.body.run_info).toMatchObject({ run_id: runId, status: "FINISHED", end_time: T0 + 4000, start_time: T0 });

    const { body } = await member.get("runs/get", { run_id: runId });
    expect(body.run.info).toMatchObject({ status: "FINISHED", end_time: T0 + 4000, lifecycle_stage: "active", run_name: "bright-owl-1" });
    expect(body.run.data.params).toEqual([
      { key: "batch_size", value: "32" },
      { key: "dropout", value: "0.10" },
      { key: "lr", value: "0.001" },
      { key: "optimizer", value: "adam" },
    ]);
    expect(body.run.data.metrics).toEqual([
      { key: "acc", value: 0.93, timestamp: T0 + 3000, step: 2 },
      { key: "loss", value: 0.5, timestamp: T0 + 3000, step: 2 },
    ]);
    expect(body.run.data.tags).toEqual([
      { key: "mlflow.runName", value: "bright-owl-1" },
      { key: "mlflow.source.name", value: "train.py" },
      { key: "mlflow.source.type", value: "LOCAL" },
      { key: "mlflow.user", value: "alice" },
      { key: "note", value: "first try" },
      { key: "stage", value: "head" },
    ]);

    const history = await member.get("metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect(history).toEqual({
      status: 200,
      body: {
        metrics: [
          { key: "loss", value: 2.5, timestamp: T0 + 1000, step: 0 },
          { key: "loss", value: 1.5, timestamp: T0 + 2000, step: 1 },
          { key: "loss", value: 0.5, timestamp: T0 + 3000, step: 2 },
        ],
      },
    });
  });

  it("shows the run through the GraphQL API like any other run: project, status, typed params, metric summaries", async () => {
    const { experimentId, runId } = await startRun(member);
    await member.post("runs/log-batch", {
      run_id: runId,
      params: [
        { key: "lr", value: "0.001" },
        { key: "pretrained", value: "true" },
        { key: "scale", value: "1.0" },
      ],
      metrics: [1, 2, 3].map((step) => ({ key: "loss", value: 1 / step, timestamp: T0 + step, step })),
    });
    await member.post("runs/update", { run_id: runId, status: "FAILED" });
    const { run } = await gqlOk(
      t.url,
      team.viewer.token,
      `query($id: ID!) { run(id: $id) { name status startedAt finishedAt project { id } params { key type value } metrics { key last min count } } }`,
      { id: runId },
    );
    expect(run).toMatchObject({ name: "bright-owl-1", status: "FAILED", project: { id: experimentId } });
    expect(new Date(run.startedAt).getTime()).toBe(T0);
    expect(run.finishedAt).not.toBeNull();
    expect(run.params).toEqual([
      { key: "lr", type: "NUMBER", value: 0.001 },
      { key: "pretrained", type: "BOOLEAN", value: true },
      { key: "scale", type: "STRING", value: "1.0" },
    ]);
    expect(run.metrics).toEqual([{ key: "loss", last: 1 / 3, min: 1 / 3, count: 3 }]);
    const { runs } = await gqlOk(t.url, team.member.token, `query($p: ID!) { runs(filter: { projectId: $p }) { nodes { id } } }`, { p: experimentId });
    expect(runs.nodes).toEqual([{ id: runId }]);
  });

  it("logs to the team's Default experiment when the client sends experiment_id 0", async () => {
    const first = await member.post("runs/create", { experiment_id: "0", start_time: T0 });
    const second = await member.post("runs/create", { experiment_id: "0", run_name: "second" });
    expect(first.status).toBe(200);
    expect(first.body.run.info.run_name).toMatch(/^run-[0-9a-f]{8}$/);
    expect(second.body.run.info.experiment_id).toBe(first.body.run.info.experiment_id);
    const experiment = await member.get("experiments/get", { experiment_id: "0" });
    expect(experiment.body.experiment).toMatchObject({ experiment_id: first.body.run.info.experiment_id, name: "Default" });
  });
});

describe("params, tags and runs", () => {
  it("keeps a param once logged: the same value again is accepted, another is INVALID_PARAMETER_VALUE", async () => {
    const { runId } = await startRun(member);
    expect((await member.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.001" })).status).toBe(200);
    expect((await member.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.001" })).status).toBe(200);
    const changed = await member.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.01" });
    expect(changed).toEqual({
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: "value: param 'lr' was already logged with value '0.001' and cannot change to '0.01'" },
    });
  });

  it("writes nothing of a log-batch that breaks param immutability", async () => {
    const { runId } = await startRun(member);
    await member.post("runs/log-parameter", { run_id: runId, key: "lr", value: "0.1" });
    const batch = await member.post("runs/log-batch", {
      run_id: runId,
      metrics: [{ key: "loss", value: 1, timestamp: T0, step: 0 }],
      params: [{ key: "lr", value: "0.2" }],
      tags: [{ key: "stage", value: "head" }],
    });
    expect(batch).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    const { body } = await member.get("runs/get", { run_id: runId });
    expect(body.run.data.metrics).toEqual([]);
    expect(body.run.data.tags.map((tag: { key: string }) => tag.key)).not.toContain("stage");
  });

  it("renames the run through run_name or the mlflow.runName tag, and deletes tags", async () => {
    const { runId } = await startRun(member);
    await member.post("runs/set-tag", { run_id: runId, key: "mlflow.runName", value: "renamed" });
    expect((await member.get("runs/get", { run_id: runId })).body.run.info.run_name).toBe("renamed");
    const updated = await member.post("runs/update", { run_id: runId, run_name: "again" });
    expect(updated.body.run_info).toMatchObject({ run_name: "again", status: "RUNNING" });
    expect(await member.post("runs/delete-tag", { run_id: runId, key: "mlflow.source.type" })).toEqual({ status: 200, body: {} });
    const tags = (await member.get("runs/get", { run_id: runId })).body.run.data.tags;
    expect(tags).toContainEqual({ key: "mlflow.runName", value: "again" });
    expect(tags.map((tag: { key: string }) => tag.key)).not.toContain("mlflow.source.type");
    expect(await member.post("runs/delete-tag", { run_id: runId, key: "mlflow.source.type" })).toMatchObject({
      status: 404,
      body: { error_code: "RESOURCE_DOES_NOT_EXIST" },
    });
  });

  it("appends log-model's metadata to the run's mlflow.log-model.history tag", async () => {
    const { runId } = await startRun(member);
    const model = (flavor: string) => ({ run_id: runId, artifact_path: "model", flavors: { [flavor]: {} } });
    for (const flavor of ["onnx", "python_function"]) {
      expect(await member.post("runs/log-model", { run_id: runId, model_json: JSON.stringify(model(flavor)) })).toEqual({ status: 200, body: {} });
    }
    const tags = (await member.get("runs/get", { run_id: runId })).body.run.data.tags as Array<{ key: string; value: string }>;
    const history = tags.find((tag) => tag.key === "mlflow.log-model.history");
    expect(JSON.parse(history?.value ?? "null")).toEqual([model("onnx"), model("python_function")]);
    expect(await member.post("runs/log-model", { run_id: runId, model_json: "[1]" })).toEqual({
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: "model_json: must be a JSON object" },
    });
  });

  it("deletes and restores a run; a deleted run takes no writes", async () => {
    const { runId } = await startRun(member);
    expect(await member.post("runs/delete", { run_id: runId })).toEqual({ status: 200, body: {} });
    expect((await member.get("runs/get", { run_id: runId })).body.run.info.lifecycle_stage).toBe("deleted");
    const refused = await member.post("runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: T0 });
    expect(refused).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("is deleted") } });
    expect(await member.post("runs/restore", { run_id: runId })).toEqual({ status: 200, body: {} });
    expect((await member.get("runs/get", { run_id: runId })).body.run.info.lifecycle_stage).toBe("active");
    expect((await member.post("runs/restore", { run_id: runId })).status).toBe(400);
  });
});

describe("validation and errors, in MLflow's format", () => {
  it.each([
    ["runs/log-metric", { key: "loss", value: 1, timestamp: T0 }, "run_id: is required"],
    ["runs/log-metric", { RUN: 1, key: "loss", value: "NaN", timestamp: T0 }, "value: must be a finite number"],
    ["runs/log-metric", { RUN: 1, key: "loss", value: 1 }, "timestamp: is required"],
    ["runs/log-metric", { RUN: 1, key: "loss", value: 1, timestamp: T0, step: -1 }, "step: must be ≥ 0"],
    ["runs/log-metric", { RUN: 1, key: "loss", value: 1, timestamp: T0, step: 1.5 }, "step: must be a whole number"],
    ["runs/log-metric", { RUN: 1, key: "bad*key", value: 1, timestamp: T0 }, "key: may hold letters"],
    ["runs/log-parameter", { RUN: 1, key: "lr", value: 0.1 }, "value: must be a string"],
    ["runs/log-parameter", { RUN: 1, key: "lr", value: "x".repeat(6001) }, "value: must be at most 6000 characters"],
    ["runs/set-tag", { RUN: 1, key: "t" }, "value: is required"],
    [
      "runs/log-batch",
      {
        RUN: 1,
        metrics: [
          { key: "a", value: 1, timestamp: T0 },
          { key: "b", value: "x", timestamp: T0 },
        ],
      },
      "metrics[1].value: must be a finite number",
    ],
    [
      "runs/log-batch",
      {
        RUN: 1,
        params: [
          { key: "a", value: "1" },
          { key: "a", value: "2" },
        ],
      },
      "params[1].value: param 'a' is given twice",
    ],
    ["runs/log-batch", { RUN: 1, tags: [{ value: "v" }] }, "tags[0].key: is required"],
    ["runs/log-batch", { RUN: 1, metrics: "loss" }, "metrics: must be a list"],
    ["runs/update", { RUN: 1, status: "DONE" }, "status: must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED"],
    ["runs/update", { RUN: 1, end_time: "soon" }, "end_time: must be a whole number"],
    ["experiments/create", { name: "  " }, "name: must hold more than spaces"],
    ["experiments/create", { name: "x", artifact_location: "s3://bucket" }, "artifact_location: is chosen by this server"],
    ["experiments/create", { name: "x", tags: [{ key: "owner", value: "me" }] }, "tags[0].key: experiment tags are not stored"],
  ])("%s refuses a bad field (case %#) with 400 INVALID_PARAMETER_VALUE naming it", async (endpoint, body, message) => {
    const { runId } = await startRun(member);
    const { RUN, ...rest } = body as Record<string, unknown>;
    const response = await member.post(endpoint, RUN === undefined ? rest : { run_id: runId, ...rest });
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(response.body.message).toContain(message);
  });

  it("enforces MLflow's log-batch limits: 1,000 metrics, 100 params, 100 tags", async () => {
    const { runId } = await startRun(member);
    const metrics = (n: number) => Array.from({ length: n }, (_, step) => ({ key: "loss", value: step, timestamp: T0, step }));
    const params = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `p${i}`, value: "1" }));
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `t${i}`, value: "1" }));
    const refusals = await Promise.all([
      member.post("runs/log-batch", { run_id: runId, metrics: metrics(1001) }),
      member.post("runs/log-batch", { run_id: runId, params: params(101) }),
      member.post("runs/log-batch", { run_id: runId, tags: tags(101) }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.message])).toEqual([
      [400, "metrics: must hold at most 1000 items"],
      [400, "params: must hold at most 100 items"],
      [400, "tags: must hold at most 100 items"],
    ]);
    const full = await member.post("runs/log-batch", { run_id: runId, metrics: metrics(1000), params: params(100), tags: tags(100) });
    expect(full).toEqual({ status: 200, body: {} });
    const { body } = await member.get("runs/get", { run_id: runId });
    expect(body.run.data.params).toHaveLength(100);
    expect(body.run.data.metrics).toEqual([{ key: "loss", value: 999, timestamp: T0, step: 999 }]);
  });

  it("answers unknown ids, unknown endpoints, wrong methods and unreadable bodies", async () => {
    expect(await member.get("runs/get", { run_id: randomUUID() })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await member.get("runs/get", { run_id: "not-ours" })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await member.get("experiments/get", { experiment_id: "12" })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await member.get("runs/get")).toEqual({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: "run_id: is required" } });
    expect(await member.get("model-versions/get")).toMatchObject({ status: 404, body: { error_code: "ENDPOINT_NOT_FOUND" } });
    expect((await member.get("runs/create")).status).toBe(405);
    expect(await member.raw("POST", "runs/create", "{oops")).toEqual({
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: "body: must be valid JSON" },
    });
    const name = `dup-${randomUUID()}`;
    await member.post("experiments/create", { name });
    expect(await member.post("experiments/create", { name })).toMatchObject({ status: 400, body: { error_code: "RESOURCE_ALREADY_EXISTS" } });
  });

  it("answers 401 UNAUTHENTICATED without a valid token", async () => {
    for (const token of [null, "rb_not-a-real-token"]) {
      const client = mlflowClient(t.url, token);
      expect(await client.get("experiments/get-by-name", { experiment_name: "x" })).toMatchObject({ status: 401, body: { error_code: "UNAUTHENTICATED" } });
      expect((await client.post("runs/create", { experiment_id: "0" })).status).toBe(401);
    }
  });
});

describe("team scope", () => {
  it("hides team A's experiments and runs from team B's token: RESOURCE_DOES_NOT_EXIST, no writes", async () => {
    const name = `private-${randomUUID()}`;
    const { experimentId, runId } = await startRun(member, name);
    const outsider = mlflowClient(t.url, otherTeam.owner.token);
    const notFound = { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } };
    expect(await outsider.get("experiments/get", { experiment_id: experimentId })).toMatchObject(notFound);
    expect(await outsider.get("experiments/get-by-name", { experiment_name: name })).toMatchObject(notFound);
    expect(await outsider.get("runs/get", { run_id: runId })).toMatchObject(notFound);
    expect(await outsider.get("metrics/get-history", { run_id: runId, metric_key: "loss" })).toMatchObject(notFound);
    expect(await outsider.post("runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: T0 })).toMatchObject(notFound);
    expect(await outsider.post("runs/log-parameter", { run_id: runId, key: "lr", value: "1" })).toMatchObject(notFound);
    expect(await outsider.post("runs/set-tag", { run_id: runId, key: "x", value: "1" })).toMatchObject(notFound);
    expect(await outsider.post("runs/update", { run_id: runId, status: "KILLED" })).toMatchObject(notFound);
    expect(await outsider.post("runs/delete", { run_id: runId })).toMatchObject(notFound);
    expect(await outsider.post("runs/create", { experiment_id: experimentId })).toMatchObject(notFound);
    expect(await outsider.post("experiments/delete", { experiment_id: experimentId })).toMatchObject(notFound);
    expect(await outsider.post("experiments/update", { experiment_id: experimentId, new_name: "mine" })).toMatchObject(notFound);
    expect((await outsider.post("runs/search", { experiment_ids: [experimentId] })).body).toEqual({ runs: [] });
    const listed = await outsider.post("experiments/search", { filter: `name = '${name}'` });
    expect(listed.body.experiments).toEqual([]);

    const { body } = await member.get("runs/get", { run_id: runId });
    expect(body.run.info).toMatchObject({ status: "RUNNING", lifecycle_stage: "active" });
    expect(body.run.data.params).toEqual([]);
    expect(body.run.data.metrics).toEqual([]);
    expect((await member.get("experiments/get", { experiment_id: experimentId })).body.experiment.name).toBe(name);
  });

  it("lets a viewer read but not write (403 PERMISSION_DENIED)", async () => {
    const { runId } = await startRun(member);
    const viewer = mlflowClient(t.url, team.viewer.token);
    expect((await viewer.get("runs/get", { run_id: runId })).status).toBe(200);
    expect(await viewer.post("runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: T0 })).toMatchObject({
      status: 403,
      body: { error_code: "PERMISSION_DENIED" },
    });
    expect((await viewer.post("experiments/create", { name: `v-${randomUUID()}` })).status).toBe(403);
  });
});
