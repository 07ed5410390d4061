import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { mlflowClient, type MlflowTestClient } from "../testing/mlflow.ts";

let t: TestApi;
let team: SeededTeam;
let client: MlflowTestClient;
let experimentId: string;
/** Run ids by name: alpha (adam, acc 0.95, FINISHED), beta (sgd, acc 0.80, FAILED), gamma (adam, no acc, RUNNING). */
const runs: Record<string, string> = {};

const T0 = 1_767_225_600_000;

async function createRun(name: string, startTime: number, batch: Record<string, unknown>, status?: string) {
  const created = await client.post("runs/create", { experiment_id: experimentId, run_name: name, start_time: startTime });
  const runId: string = created.body.run.info.run_id;
  runs[name] = runId;
  expect((await client.post("runs/log-batch", { run_id: runId, ...batch })).status).toBe(200);
  if (status !== undefined) await client.post("runs/update", { run_id: runId, status, end_time: startTime + 60_000 });
}

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  client = mlflowClient(t.url, team.member.token);
  experimentId = (await client.post("experiments/create", { name: `search-${randomUUID()}` })).body.experiment_id;
  await createRun(
    "alpha",
    T0,
    {
      params: [
        { key: "optimizer", value: "adam" },
        { key: "lr", value: "0.001" },
      ],
      metrics: [{ key: "acc", value: 0.95, timestamp: T0, step: 1 }],
      tags: [{ key: "stage", value: "head" }],
    },
    "FINISHED",
  );
  await createRun(
    "beta",
    T0 + 1000,
    {
      params: [
        { key: "optimizer", value: "sgd" },
        { key: "lr", value: "0.01" },
      ],
      metrics: [{ key: "acc", value: 0.8, timestamp: T0, step: 1 }],
      tags: [{ key: "stage", value: "full" }],
    },
    "FAILED",
  );
  await createRun("gamma", T0 + 2000, { params: [{ key: "optimizer", value: "adam" }], tags: [{ key: "stage", value: "head" }] });
});
afterAll(async () => {
  await t.close();
});

async function search(body: Record<string, unknown>) {
  const response = await client.post("runs/search", { experiment_ids: [experimentId], ...body });
  expect(response.status).toBe(200);
  return response.body as { runs: Array<{ info: { run_name: string } }>; next_page_token?: string };
}

async function names(body: Record<string, unknown>): Promise<string[]> {
  return (await search(body)).runs.map((run) => run.info.run_name);
}

describe("runs/search", () => {
  it("returns full runs, newest first by default", async () => {
    const result = await search({});
    expect(result.runs.map((run) => run.info.run_name)).toEqual(["gamma", "beta", "alpha"]);
    expect(result.next_page_token).toBeUndefined();
    const alpha = result.runs[2] as Record<string, any>;
    expect(alpha.info).toMatchObject({ run_id: runs.alpha, status: "FINISHED", start_time: T0, end_time: T0 + 60_000 });
    expect(alpha.data.params).toEqual([
      { key: "lr", value: "0.001" },
      { key: "optimizer", value: "adam" },
    ]);
    expect(alpha.data.metrics).toEqual([{ key: "acc", value: 0.95, timestamp: T0, step: 1 }]);
    expect(alpha.data.tags).toContainEqual({ key: "stage", value: "head" });
  });

  it.each([
    ["metrics.acc > 0.9", ["alpha"]],
    ["metrics.acc >= 0.8 AND metrics.acc < 0.9", ["beta"]],
    ["metrics.acc != 0.95", ["beta"]],
    ["params.optimizer = 'adam'", ["gamma", "alpha"]],
    ["params.optimizer != 'adam'", ["beta"]],
    ["params.lr = '0.001'", ["alpha"]],
    ["params.lr LIKE '0.0%'", ["beta", "alpha"]],
    ["tags.stage = 'head'", ["gamma", "alpha"]],
    ["tags.stage ILIKE 'FU%'", ["beta"]],
    ["metrics.acc > 0.9 AND params.optimizer = 'adam' AND tags.stage = 'head'", ["alpha"]],
    ["status = 'FINISHED'", ["alpha"]],
    ["attributes.status != 'RUNNING'", ["beta", "alpha"]],
    ["status IN ('FAILED', 'RUNNING')", ["gamma", "beta"]],
    ["run_name LIKE '%a'", ["gamma", "beta", "alpha"]],
    ["attributes.run_name = 'beta'", ["beta"]],
    [`start_time > ${T0}`, ["gamma", "beta"]],
    [`end_time <= ${T0 + 60_000}`, ["alpha"]],
    ["params.missing = 'x'", []],
  ])("filters with %j", async (filter, expected) => {
    expect(await names({ filter })).toEqual(expected);
  });

  it("filters by run_id", async () => {
    expect(await names({ filter: `run_id IN ('${runs.alpha}', '${runs.gamma}')` })).toEqual(["gamma", "alpha"]);
    expect(await names({ filter: `attributes.run_id = '${runs.beta}'` })).toEqual(["beta"]);
  });

  it("orders by metrics, params, tags and attributes; runs without the key come last", async () => {
    expect(await names({ order_by: ["metrics.acc DESC"] })).toEqual(["alpha", "beta", "gamma"]);
    expect(await names({ order_by: ["metrics.acc ASC"] })).toEqual(["beta", "alpha", "gamma"]);
    expect(await names({ order_by: ["params.lr"] })).toEqual(["alpha", "beta", "gamma"]);
    expect(await names({ order_by: ["tags.stage DESC", "run_name"] })).toEqual(["alpha", "gamma", "beta"]);
    expect(await names({ order_by: ["attributes.start_time ASC"] })).toEqual(["alpha", "beta", "gamma"]);
  });

  it("pages with max_results and page_token until no token comes back", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await search({ max_results: 2, order_by: ["run_name"], ...(token === undefined ? {} : { page_token: token }) });
      seen.push(...result.runs.map((run) => run.info.run_name));
      token = result.next_page_token;
      if (token === undefined) break;
    }
    expect(seen).toEqual(["alpha", "beta", "gamma"]);
  });

  it("hides deleted runs unless run_view_type asks for them", async () => {
    const created = await client.post("runs/create", { experiment_id: experimentId, run_name: "doomed" });
    const runId = created.body.run.info.run_id;
    await client.post("runs/delete", { run_id: runId });
    expect(await names({})).not.toContain("doomed");
    expect(await names({ run_view_type: "DELETED_ONLY" })).toEqual(["doomed"]);
    expect(await names({ run_view_type: "ALL" })).toContain("doomed");
  });

  it.each([
    [{ filter: "metrics.acc > 'high'" }, "filter: metrics.acc > needs a number"],
    [{ filter: "params.lr > '0.1'" }, "filter: params.lr takes = != LIKE ILIKE only, not >"],
    [{ filter: "status = 'DONE'" }, "filter: must be one of RUNNING"],
    [{ filter: "colour = 'red'" }, "filter: 'colour' is not a searchable attribute"],
    [{ filter: "metrics.acc > 1 OR metrics.acc < 0" }, "filter: OR is not supported"],
    [{ order_by: ["metrics.acc SIDEWAYS"] }, "order_by[0]: expected ASC, DESC or the end"],
    [{ max_results: 50_001 }, "max_results: must be ≤ 50000"],
    [{ page_token: "not-a-token" }, "page_token: is not a page token this server issued"],
    [{ run_view_type: "SOME" }, "run_view_type: must be ACTIVE_ONLY, DELETED_ONLY or ALL"],
    [{ experiment_ids: [] }, "experiment_ids: must hold at least one experiment id"],
  ])("refuses %j with INVALID_PARAMETER_VALUE", async (body, message) => {
    const response = await client.post("runs/search", { experiment_ids: [experimentId], ...body });
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(response.body.message).toContain(message);
  });
});

describe("metrics/get-history", () => {
  it("pages a metric's points by step", async () => {
    const runId = (await client.post("runs/create", { experiment_id: experimentId, run_name: "history" })).body.run.info.run_id;
    const metrics = [0, 1, 2, 3, 4].map((step) => ({ key: "loss", value: 5 - step, timestamp: T0 + step, step: step * 10 }));
    await client.post("runs/log-batch", { run_id: runId, metrics });
    const pages: number[][] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { run_id: runId, metric_key: "loss", max_results: "2", ...(token === undefined ? {} : { page_token: token }) };
      const { status, body } = await client.get("metrics/get-history", query);
      expect(status).toBe(200);
      pages.push(body.metrics.map((point: { step: number }) => point.step));
      token = body.next_page_token;
    } while (token !== undefined && pages.length < 10);
    expect(pages).toEqual([[0, 10], [20, 30], [40]]);
    const unknown = await client.get("metrics/get-history", { run_id: runId, metric_key: "nope" });
    expect(unknown).toEqual({ status: 200, body: { metrics: [] } });
    expect((await client.get("metrics/get-history", { run_id: runId })).body.message).toBe("metric_key: is required");
  });
});

describe("experiments", () => {
  it("searches by name, renames, deletes with their runs and restores them", async () => {
    const name = `lifecycle-${randomUUID()}`;
    const id = (await client.post("experiments/create", { name, tags: [{ key: "mlflow.note.content", value: "pets" }] })).body.experiment_id;
    const found = await client.get("experiments/search", { filter: `name LIKE 'lifecycle-%'`, max_results: "10" });
    expect(found.body.experiments).toEqual([expect.objectContaining({ experiment_id: id, name, tags: [{ key: "mlflow.note.content", value: "pets" }] })]);

    const kept = (await client.post("runs/create", { experiment_id: id, run_name: "kept" })).body.run.info.run_id;
    const earlier = (await client.post("runs/create", { experiment_id: id, run_name: "deleted-before" })).body.run.info.run_id;
    await client.post("runs/delete", { run_id: earlier });

    const renamed = `${name}-renamed`;
    expect(await client.post("experiments/update", { experiment_id: id, new_name: renamed })).toEqual({ status: 200, body: {} });
    expect((await client.get("experiments/get-by-name", { experiment_name: renamed })).body.experiment.experiment_id).toBe(id);

    expect(await client.post("experiments/delete", { experiment_id: id })).toEqual({ status: 200, body: {} });
    expect((await client.get("experiments/get", { experiment_id: id })).body.experiment.lifecycle_stage).toBe("deleted");
    expect((await client.get("runs/get", { run_id: kept })).body.run.info.lifecycle_stage).toBe("deleted");
    expect((await client.post("experiments/search", { filter: `name = '${renamed}'` })).body.experiments).toEqual([]);
    expect((await client.post("experiments/search", { filter: `name = '${renamed}'`, view_type: "DELETED_ONLY" })).body.experiments).toHaveLength(1);
    expect(await client.post("runs/create", { experiment_id: id })).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });

    expect(await client.post("experiments/restore", { experiment_id: id })).toEqual({ status: 200, body: {} });
    expect((await client.get("runs/get", { run_id: kept })).body.run.info.lifecycle_stage).toBe("active");
    expect((await client.get("runs/get", { run_id: earlier })).body.run.info.lifecycle_stage).toBe("deleted");
    expect((await client.post("experiments/restore", { experiment_id: id })).status).toBe(400);
  });

  it("pages experiments/search and refuses unknown attributes", async () => {
    const prefix = `paged-${randomUUID()}`;
    for (const suffix of ["a", "b", "c"]) await client.post("experiments/create", { name: `${prefix}-${suffix}` });
    const first = await client.post("experiments/search", { filter: `name LIKE '${prefix}%'`, order_by: ["name DESC"], max_results: 2 });
    expect(first.body.experiments.map((e: { name: string }) => e.name)).toEqual([`${prefix}-c`, `${prefix}-b`]);
    const second = await client.post("experiments/search", {
      filter: `name LIKE '${prefix}%'`,
      order_by: ["name DESC"],
      max_results: 2,
      page_token: first.body.next_page_token,
    });
    expect(second.body).toEqual({ experiments: [expect.objectContaining({ name: `${prefix}-a` })] });
    const refused = await client.post("experiments/search", { filter: "tags.owner = 'me'" });
    expect(refused).toMatchObject({
      status: 400,
      body: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("filter: experiments can be searched") },
    });
  });
});
