import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { mlflowClient, type MlflowTestClient } from "../testing/mlflow.ts";
import { sampledSteps } from "./inputs.ts";

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

async function startRun(client: MlflowTestClient, experimentId?: string) {
  const experiment = experimentId ?? (await client.post("experiments/create", { name: `exp-${randomUUID()}` })).body.experiment_id;
  const run = await client.post("runs/create", { experiment_id: experiment, start_time: T0, tags: [{ key: "mlflow.user", value: "alice" }] });
  expect(run.status).toBe(200);
  return { experimentId: experiment as string, runId: run.body.run.info.run_id as string };
}

/** What `mlflow.log_input(mlflow.data.from_pandas(df, source=...), context="training")` sends. */
const TRAINING_INPUT = {
  tags: [{ key: "mlflow.data.context", value: "training" }],
  dataset: {
    name: "pets",
    digest: "a1b2c3d4",
    source_type: "local",
    source: '{"uri": "/data/pets.csv"}',
    schema: '{"mlflow_colspec": [{"type": "string", "name": "path"}, {"type": "long", "name": "label"}]}',
    profile: '{"num_rows": 240, "num_elements": 480}',
  },
};

describe("runs/log-inputs", () => {
  it("log_input → get_run: the dataset comes back as inputs.dataset_inputs, once however often it is logged; search shows it too", async () => {
    const { experimentId, runId } = await startRun(member);
    expect(await member.post("runs/log-inputs", { run_id: runId, datasets: [TRAINING_INPUT] })).toEqual({ status: 200, body: {} });
    const evaluation = {
      tags: [{ key: "mlflow.data.context", value: "eval" }],
      dataset: { name: "pets-valid", digest: "ffff", source_type: "local", source: "{}" },
    };
    // The same dataset again (MLflow keeps the first) and a new one.
    expect((await member.post("runs/log-inputs", { run_id: runId, datasets: [TRAINING_INPUT, evaluation] })).status).toBe(200);

    const run = await member.get("runs/get", { run_id: runId });
    expect(run.body.run.inputs).toEqual({ dataset_inputs: [TRAINING_INPUT, evaluation] });
    expect(run.body.run.data.tags).toContainEqual({ key: "mlflow.log-inputs.datasets", value: JSON.stringify([TRAINING_INPUT, evaluation]) });
    const search = await member.post("runs/search", { experiment_ids: [experimentId] });
    expect(search.body.runs[0].inputs.dataset_inputs.map((input: typeof TRAINING_INPUT) => input.dataset.name)).toEqual(["pets", "pets-valid"]);

    // A run without inputs answers MLflow's empty object.
    const bare = await startRun(member, experimentId);
    expect((await member.get("runs/get", { run_id: bare.runId })).body.run.inputs).toEqual({});
  });

  it("refuses a dataset without its digest, a long digest, a viewer, and another team's run", async () => {
    const { runId } = await startRun(member);
    const { digest: _, ...withoutDigest } = TRAINING_INPUT.dataset;
    expect(await member.post("runs/log-inputs", { run_id: runId, datasets: [{ dataset: withoutDigest }] })).toEqual({
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: "datasets[0].dataset.digest: is required" },
    });
    const long = await member.post("runs/log-inputs", { run_id: runId, datasets: [{ dataset: { ...TRAINING_INPUT.dataset, digest: "x".repeat(37) } }] });
    expect(long.body).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: "datasets[0].dataset.digest: must be at most 36 characters" });
    const badTag = await member.post("runs/log-inputs", { run_id: runId, datasets: [{ ...TRAINING_INPUT, tags: ["context"] }] });
    expect(badTag.body).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: "datasets[0].tags[0]: must be an object" });
    const viewer = mlflowClient(t.url, team.viewer.token);
    expect((await viewer.post("runs/log-inputs", { run_id: runId, datasets: [TRAINING_INPUT] })).body).toMatchObject({ error_code: "PERMISSION_DENIED" });
    const outsider = mlflowClient(t.url, otherTeam.owner.token);
    expect(await outsider.post("runs/log-inputs", { run_id: runId, datasets: [TRAINING_INPUT] })).toMatchObject({
      status: 404,
      body: { error_code: "RESOURCE_DOES_NOT_EXIST" },
    });
    expect((await member.get("runs/get", { run_id: runId })).body.run.inputs).toEqual({});
  });
});

describe("metrics/get-history-bulk-interval", () => {
  async function logLoss(runId: string, steps: number[]) {
    const metrics = steps.map((step) => ({ key: "loss", value: 1 / (step + 1), timestamp: T0 + step, step }));
    expect((await member.post("runs/log-batch", { run_id: runId, metrics })).status).toBe(200);
  }

  it("answers several runs' history at steps sampled over all of them, keeping each run's first and last step", async () => {
    const a = await startRun(member);
    const b = await startRun(member, a.experimentId);
    await logLoss(a.runId, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await logLoss(b.runId, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    // 15 distinct steps sampled to 5 (every third: 0, 3, 6, 9, 14) plus the last (18); run A's last step, 9, is kept anyway.
    const sampled = await member.get("metrics/get-history-bulk-interval", { run_ids: [a.runId, b.runId], metric_key: "loss", max_results: "5" });
    expect(sampled.status).toBe(200);
    const points = sampled.body.metrics as { run_id: string; step: number; value: number; key: string; timestamp: number }[];
    expect(points.map((p) => [p.run_id === a.runId ? "a" : "b", p.step])).toEqual([
      ["a", 0],
      ["a", 3],
      ["a", 6],
      ["a", 9],
      ["b", 0],
      ["b", 6],
      ["b", 14],
      ["b", 18],
    ]);
    expect(points[1]).toEqual({ key: "loss", value: 1 / 4, timestamp: T0 + 3, step: 3, run_id: a.runId });

    // A step range: every step inside it (max_results defaults to 2,500), in the order of run_ids.
    const range = await member.get("metrics/get-history-bulk-interval", { run_ids: [b.runId, a.runId], metric_key: "loss", start_step: "2", end_step: "5" });
    expect(range.body.metrics.map((p: { run_id: string; step: number }) => [p.run_id === a.runId ? "a" : "b", p.step])).toEqual([
      ["b", 2],
      ["b", 4],
      ["a", 2],
      ["a", 3],
      ["a", 4],
      ["a", 5],
    ]);
    // A viewer reads; an unknown metric is an empty list.
    const viewer = mlflowClient(t.url, team.viewer.token);
    expect((await viewer.get("metrics/get-history-bulk-interval", { run_ids: [a.runId], metric_key: "loss" })).body.metrics).toHaveLength(10);
    expect((await member.get("metrics/get-history-bulk-interval", { run_ids: [a.runId], metric_key: "acc" })).body).toEqual({ metrics: [] });
  });

  it("refuses half a step range, a reversed one, too many runs, max_results out of range, and another team's run", async () => {
    const { runId } = await startRun(member);
    const ask = (query: Record<string, string | string[]>) => member.get("metrics/get-history-bulk-interval", { metric_key: "loss", ...query });
    expect((await ask({ run_ids: [runId], start_step: "3" })).body).toEqual({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "start_step: give both start_step and end_step, or neither",
    });
    expect((await ask({ run_ids: [runId], start_step: "5", end_step: "3" })).body.message).toBe("end_step: must be ≥ start_step");
    const many = Array.from({ length: 101 }, () => randomUUID());
    expect((await ask({ run_ids: many })).body.message).toBe("run_ids: must hold at most 100 items");
    expect((await ask({ run_ids: [runId], max_results: "2501" })).body.message).toBe("max_results: must be ≤ 2500");
    expect((await ask({})).body.message).toBe("run_ids: must hold at least one run id");
    const outsider = mlflowClient(t.url, otherTeam.owner.token);
    expect((await outsider.get("metrics/get-history-bulk-interval", { run_ids: [runId], metric_key: "loss" })).status).toBe(404);
  });

  it("samples like MLflow: everything that fits, else evenly spaced steps plus the last", () => {
    expect([...sampledSteps(0, 10, 5, [1, 2, 3])]).toEqual([1, 2, 3]);
    expect([...sampledSteps(2, 3, 5, [1, 2, 3, 4])]).toEqual([2, 3]);
    expect(
      [
        ...sampledSteps(
          0,
          99,
          4,
          Array.from({ length: 100 }, (_, i) => i),
        ),
      ].sort((x, y) => x - y),
    ).toEqual([0, 25, 50, 75, 99]);
  });
});
