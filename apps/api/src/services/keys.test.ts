import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insertParams, poolQueryable, typedParam } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { mlflowClient } from "../testing/mlflow.ts";

let t: TestApi;
let a: SeededTeam;
let b: SeededTeam;
let flowers = "";
let ants = "";
let datasetOfB = "";
// Registered paths must lie in a source root: a temporary one, holding the dataset's folder.
const tmp = realpathSync(mkdtempSync(join(tmpdir(), "keys-")));
const sourceRoot = join(tmp, "sources");
const datasetFolder = join(sourceRoot, "flowers");

const DATASET = `mutation($teamId: ID!, $name: String!, $sourceUri: String!) {
  registerDataset(input: { teamId: $teamId, name: $name, kind: IMAGE_FOLDER, sourceUri: $sourceUri, classNames: ["x"] }) { id } }`;
const RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`;
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`;
const KEYS = `query($teamId: ID, $datasetId: ID) { metricKeys(teamId: $teamId, datasetId: $datasetId) paramKeys(teamId: $teamId, datasetId: $datasetId) }`;

/** A run of `team` on `datasetId` with params and one point per metric key. */
async function run(team: SeededTeam, projectId: string, datasetId: string | null, params: Record<string, unknown>, metrics: string[]) {
  const { createRun } = await gqlOk(t.url, team.member.token, RUN, { input: { projectId, name: "r", datasetId, hyperparameters: params } });
  if (metrics.length > 0) {
    await gqlOk(t.url, team.member.token, LOG, { runId: createRun.id, points: metrics.map((key) => ({ key, step: 1, value: 0.5 })) });
  }
}

beforeAll(async () => {
  mkdirSync(datasetFolder, { recursive: true });
  t = await startTestApi({ artifactRoot: join(tmp, "artifacts"), sourceRoots: [sourceRoot] });
  a = await seedTeam(t.db);
  b = await seedTeam(t.db);
  // Naming a server path is an owner's (path:import).
  const sourceUri = datasetFolder;
  flowers = (await gqlOk(t.url, a.owner.token, DATASET, { teamId: a.teamId, name: "flowers", sourceUri })).registerDataset.id;
  ants = (await gqlOk(t.url, a.owner.token, DATASET, { teamId: a.teamId, name: "ants", sourceUri })).registerDataset.id;
  datasetOfB = (await gqlOk(t.url, b.owner.token, DATASET, { teamId: b.teamId, name: "flowers", sourceUri })).registerDataset.id;
  const { projectId } = await createProjectAndRun(t.url, a.member.token, a.teamId);
  await run(a, projectId, flowers, { lr: 0.1, optimizer: { name: "adamw" } }, ["loss", "val_accuracy"]);
  await run(a, projectId, flowers, { lr: 0.01, epochs: 3 }, ["loss", "val_f1"]);
  await run(a, projectId, ants, { batch_size: 32 }, ["loss", "ants/recall"]);
  await run(a, projectId, null, { seed: 1 }, []);
  const ofB = await createProjectAndRun(t.url, b.member.token, b.teamId);
  await run(b, ofB.projectId, datasetOfB, { secret_param: 1 }, ["secret_metric"]);
});
afterAll(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("metricKeys and paramKeys", () => {
  it("lists the distinct keys of the caller's runs, sorted", async () => {
    const all = await gqlOk(t.url, a.viewer.token, KEYS);
    expect(all.metricKeys).toEqual(["ants/recall", "loss", "val_accuracy", "val_f1"]);
    expect(all.paramKeys).toEqual(["batch_size", "epochs", "lr", "optimizer.name", "seed"]);
    expect(await gqlOk(t.url, a.viewer.token, KEYS, { teamId: a.teamId })).toEqual(all);
  });

  it("narrows to one dataset's runs", async () => {
    expect(await gqlOk(t.url, a.viewer.token, KEYS, { datasetId: flowers })).toEqual({
      metricKeys: ["loss", "val_accuracy", "val_f1"],
      paramKeys: ["epochs", "lr", "optimizer.name"],
    });
    expect(await gqlOk(t.url, a.viewer.token, KEYS, { teamId: a.teamId, datasetId: ants })).toEqual({
      metricKeys: ["ants/recall", "loss"],
      paramKeys: ["batch_size"],
    });
  });

  it("shows nothing of other teams: their keys stay out, their team or dataset answers NOT_FOUND", async () => {
    const ofB = await gqlOk(t.url, b.viewer.token, KEYS);
    expect(ofB).toEqual({ metricKeys: ["secret_metric"], paramKeys: ["secret_param"] });
    for (const field of ["metricKeys", "paramKeys"]) {
      const team = await gql(t.url, a.owner.token, `query($id: ID) { ${field}(teamId: $id) }`, { id: b.teamId });
      expect(team.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", kind: "team" });
      expect(team.data).toBeNull();
      const dataset = await gql(t.url, a.owner.token, `query($id: ID) { ${field}(datasetId: $id) }`, { id: datasetOfB });
      expect(dataset.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", kind: "dataset" });
      const bad = await gql(t.url, a.owner.token, `query { ${field}(datasetId: "flowers") }`);
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "datasetId", rule: "must be a UUID" });
    }
  });

  it("answers an empty list for a caller without runs, in one statement", async () => {
    const lonely = await seedTeam(t.db);
    expect(await gqlOk(t.url, lonely.viewer.token, KEYS)).toEqual({ metricKeys: [], paramKeys: [] });
    const before = t.api.db.queryCount;
    await gqlOk(t.url, a.viewer.token, `{ metricKeys }`);
    // Authentication, then the keys.
    expect(t.api.db.queryCount - before).toBeLessThanOrEqual(2);
    expect(errorCode(await gql(t.url, null, `{ metricKeys }`))).toBe("UNAUTHENTICATED");
  });
});

describe("paramKeys after each way params are written", () => {
  const LOG_PARAMS = `mutation($runId: ID!, $params: [ParamInput!]!) { logParams(runId: $runId, params: $params) { key } }`;
  let c: SeededTeam;
  const keysOf = async (team: SeededTeam) => (await gqlOk(t.url, team.viewer.token, `{ paramKeys }`)).paramKeys as string[];
  /** project_param_key must hold exactly the keys run_param has for each project's runs. */
  async function expectKeyTableExact() {
    const { rows } = await t.db.pool.query(
      `(SELECT project_id, key FROM project_param_key EXCEPT SELECT DISTINCT r.project_id, p.key FROM run_param p JOIN run r ON r.id = p.run_id)
       UNION ALL
       (SELECT DISTINCT r.project_id, p.key FROM run_param p JOIN run r ON r.id = p.run_id EXCEPT SELECT project_id, key FROM project_param_key)`,
    );
    expect(rows).toEqual([]);
  }

  beforeAll(async () => {
    c = await seedTeam(t.db);
  });

  it("follows createRun, logParams, the MLflow API and the worker's writes; other teams see none of it", async () => {
    const { projectId } = await createProjectAndRun(t.url, c.member.token, c.teamId);
    await run(c, projectId, null, { lr: 0.1, model: { depth: 18 } }, []);
    expect(await keysOf(c)).toEqual(["lr", "model.depth"]);

    const { createRun } = await gqlOk(t.url, c.member.token, RUN, { input: { projectId, name: "logged" } });
    await gqlOk(t.url, c.member.token, LOG_PARAMS, {
      runId: createRun.id,
      params: [
        { key: "warmup", value: true },
        { key: "lr", value: 0.2 },
      ],
    });
    expect(await keysOf(c)).toEqual(["lr", "model.depth", "warmup"]);

    const mlflow = mlflowClient(t.url, c.member.token);
    const experiment = await mlflow.post("experiments/create", { name: `keys-${randomUUID()}` });
    const created = await mlflow.post("runs/create", { experiment_id: experiment.body.experiment_id, start_time: Date.now() });
    const mlflowRun: string = created.body.run.info.run_id;
    expect((await mlflow.post("runs/log-parameter", { run_id: mlflowRun, key: "optimizer", value: "sgd" })).status).toBe(200);
    expect((await mlflow.post("runs/log-batch", { run_id: mlflowRun, params: [{ key: "momentum", value: "0.9" }] })).status).toBe(200);
    expect(await keysOf(c)).toEqual(["lr", "model.depth", "momentum", "optimizer", "warmup"]);

    // The worker records its params with the same data-layer function.
    await insertParams(poolQueryable(t.db.pool), createRun.id, [typedParam("worker.device", "cpu"), typedParam("lr", 0.2)]);
    expect(await keysOf(c)).toEqual(["lr", "model.depth", "momentum", "optimizer", "warmup", "worker.device"]);

    expect(await keysOf(a)).toEqual(["batch_size", "epochs", "lr", "optimizer.name", "seed"]);
    expect(await keysOf(b)).toEqual(["secret_param"]);
    await expectKeyTableExact();
  });

  it("drops a key once no run of the project has it, and moves keys with a run", async () => {
    const { projectId } = await createProjectAndRun(t.url, c.member.token, c.teamId);
    const { createRun: kept } = await gqlOk(t.url, c.member.token, RUN, { input: { projectId, name: "kept", hyperparameters: { shared: 1 } } });
    const { createRun: gone } = await gqlOk(t.url, c.member.token, RUN, { input: { projectId, name: "gone", hyperparameters: { shared: 2, only_here: 1 } } });
    expect(await keysOf(c)).toContain("only_here");
    // No API deletes runs or params; SQL does, and the keys follow.
    await t.db.pool.query(`DELETE FROM run WHERE id = $1`, [gone.id]);
    expect(await keysOf(c)).not.toContain("only_here");
    expect(await keysOf(c)).toContain("shared");
    await expectKeyTableExact();

    await t.db.pool.query(`DELETE FROM run_param WHERE run_id = $1 AND key = 'shared'`, [kept.id]);
    await expectKeyTableExact();

    await insertParams(poolQueryable(t.db.pool), kept.id, [typedParam("moving", 1)]);
    const other = await createProjectAndRun(t.url, b.member.token, b.teamId);
    await t.db.pool.query(`UPDATE run SET project_id = $2, team_id = $3 WHERE id = $1`, [kept.id, other.projectId, b.teamId]);
    expect(await keysOf(c)).not.toContain("moving");
    expect(await keysOf(b)).toEqual(["moving", "secret_param"]);
    await expectKeyTableExact();
  });
});
