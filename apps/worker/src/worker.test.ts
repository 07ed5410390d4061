import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gqlOk, type TestApi, waitFor, wsClient } from "@runboard/api/testing/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Catalog, FAST_SETTINGS, launch, registerCatalog, runAttempts, runStatus, startLaunchApi, waitForStatus } from "./testing/fixtures.ts";
import { type RunningWorker, startWorker } from "./worker.ts";

let t: TestApi;
let catalog: Catalog;
let worker: RunningWorker;
const artifactRoot = mkdtempSync(join(tmpdir(), "worker-artifacts-"));

beforeAll(async () => {
  t = await startLaunchApi(artifactRoot);
  catalog = await registerCatalog(t.url, t.db);
  worker = await startWorker({
    databaseUrl: t.db.pool.options.connectionString!,
    artifactRoot,
    heartbeatMs: 300,
    flushMs: 100,
    pollIntervalMs: 200,
    device: { device: "cpu", threads: 1 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

const RUN = `query($id: ID!) { run(id: $id) { status attempt workerId error params { key value }
  metrics { key last count } artifacts { kind name bytes sha256 downloadPath } logs { seq message } } }`;

describe("a launched run", () => {
  it("is trained by the worker, with metrics, params, logs and artifacts visible through GraphQL and the subscription", async () => {
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, lrFind: true, lrFindSteps: 5 });
    const client = wsClient(t.wsUrl, catalog.token);
    const appended: string[] = [];
    const unsubscribe = client.subscribe(
      { query: `subscription($runId: ID!) { metricsAppended(runId: $runId) { keys } }`, variables: { runId } },
      {
        next: (value) => appended.push(...((value.data?.metricsAppended as { keys: string[] } | undefined)?.keys ?? [])),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await waitForStatus(t.db, runId, ["SUCCEEDED", "FAILED"]);
    expect(await runStatus(t.db, runId)).toMatchObject({ status: "SUCCEEDED", error: null });
    await waitFor(() => appended.includes("valid_loss"), 5_000);
    unsubscribe();
    await client.dispose();

    const { run } = await gqlOk(t.url, catalog.token, RUN, { id: runId });
    expect(run).toMatchObject({ status: "SUCCEEDED", attempt: 1, error: null });
    const metrics = Object.fromEntries(run.metrics.map((m: { key: string; count: number }) => [m.key, m.count]));
    // 2 stages (frozen on cached features, unfrozen) of 1 epoch; 16 images at 20% validation → 12 train, batch 4 → 3 steps an epoch.
    expect(metrics.train_loss).toBe(6);
    expect(metrics.valid_loss).toBe(2);
    expect(metrics.accuracy).toBe(2);
    expect(metrics.phase).toBe(2);
    expect(metrics.probe_accuracy).toBe(1);
    for (const key of ["lr", "momentum", "lr_group_0", "images_per_second", "system/cpu_percent", "system/memory_rss_mb"])
      expect(metrics[key]).toBeGreaterThan(0);
    const params = Object.fromEntries(run.params.map((p: { key: string; value: unknown }) => [p.key, p.value]));
    expect(params).toMatchObject({
      recipe: "FINE_TUNE",
      "transfer.recipe": "FINE_TUNE",
      "transfer.backbone": "tiny-resnet",
      "transfer.weights_source": "random",
      "transfer.freeze_schedule": "frozen:1,unfrozen:1",
      "transfer.stage_0.phase": "frozen",
      "transfer.stage_1.phase": "unfrozen",
      "transfer.learning_rate": 0.002,
    });
    expect(params["transfer.stage_1.lr_group_0"]).toBeLessThan(params["transfer.stage_1.lr_group_2"] as number);
    expect(Object.keys(params).some((key) => key.startsWith("auto."))).toBe(false);
    const kinds = new Set(run.artifacts.map((a: { kind: string }) => a.kind));
    for (const kind of ["model", "checkpoint", "confusion_matrix", "top_losses", "grad_cam", "lr_find", "predictions"]) expect(kinds).toContain(kind);
    const logs = run.logs.map((l: { message: string }) => l.message).join("\n");
    expect(logs).toContain("probe baseline");
    expect(logs).toContain("finished");

    const model = run.artifacts.find((a: { name: string }) => a.name === "model.onnx");
    const base = t.url.replace(/\/graphql$/, "");
    const download = await fetch(`${base}${model.downloadPath}`, { headers: { authorization: `Bearer ${catalog.token}` } });
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(model.bytes);
    expect((await fetch(`${base}${model.downloadPath}`)).status).toBe(401);
  });

  it("trains the default recipe, AUTO, within its budget: what it tried and chose as params, the probe's accuracy as a metric", async () => {
    const runId = await launch(t.url, catalog, { batchSize: 4, budgetSeconds: 10, augmentation: { enabled: false } });
    await waitForStatus(t.db, runId, ["SUCCEEDED", "FAILED"]);
    expect(await runStatus(t.db, runId)).toMatchObject({ status: "SUCCEEDED", error: null });
    const { run } = await gqlOk(t.url, catalog.token, RUN, { id: runId });
    const params = Object.fromEntries(run.params.map((p: { key: string; value: unknown }) => [p.key, p.value]));
    expect(params).toMatchObject({ recipe: "AUTO", budgetSeconds: 10, "auto.budget_seconds": 10, "auto.candidate_0.recipe": "LINEAR_PROBE" });
    expect(params["transfer.recipe"]).toBe(params["auto.chosen"]);
    expect(typeof params["auto.reason"]).toBe("string");
    expect(["LAST", "STAGES", "STAGES_GRID"]).toContain(params["auto.probe_features"]);
    expect(typeof params["auto.probe_features_last.cv_accuracy"]).toBe("number");
    expect(params["auto.candidate_0.selection_accuracy"]).toBeGreaterThanOrEqual(0);
    for (let i = 1; params[`auto.candidate_${i}.recipe`] !== undefined; i++) {
      expect(params[`auto.candidate_${i}.selection_accuracy`] !== undefined || typeof params[`auto.candidate_${i}.skipped`] === "string").toBe(true);
    }
    const metrics = Object.fromEntries(run.metrics.map((m: { key: string; last: number; count: number }) => [m.key, m]));
    expect(metrics.probe_accuracy.count).toBe(1);
    expect(metrics.probe_accuracy.last).toBeGreaterThanOrEqual(0);
    expect(metrics.accuracy.count).toBeGreaterThanOrEqual(1);
    const logs = run.logs.map((l: { message: string }) => l.message);
    expect(logs.some((m: string) => m.startsWith("AUTO: chose"))).toBe(true);
    expect(logs).toContain("lr_find: skipped: AUTO chooses the recipe and its learning rate itself");
    expect(new Set(run.artifacts.map((a: { kind: string }) => a.kind))).toContain("model");
  });

  it("trains LINEAR_PROBE: no epochs, the probe's validation metrics recorded once, its accuracy the probe's", async () => {
    const runId = await launch(t.url, catalog, { recipe: "LINEAR_PROBE", batchSize: 4, lrFind: false, augmentation: { enabled: false } });
    await waitForStatus(t.db, runId, ["SUCCEEDED", "FAILED"]);
    expect(await runStatus(t.db, runId)).toMatchObject({ status: "SUCCEEDED", error: null });
    const { run } = await gqlOk(t.url, catalog.token, RUN, { id: runId });
    const metrics = Object.fromEntries(run.metrics.map((m: { key: string; last: number; count: number }) => [m.key, m]));
    expect(metrics.train_loss).toBeUndefined();
    expect([metrics.valid_loss.count, metrics.accuracy.count, metrics.probe_accuracy.count]).toEqual([1, 1, 1]);
    expect(metrics.accuracy.last).toBeCloseTo(metrics.probe_accuracy.last, 5);
    const params = Object.fromEntries(run.params.map((p: { key: string; value: unknown }) => [p.key, p.value]));
    expect(params).toMatchObject({
      recipe: "LINEAR_PROBE",
      "transfer.recipe": "LINEAR_PROBE",
      "transfer.freeze_schedule": "probe",
      "transfer.stage_0.phase": "probe",
    });
    const kinds = new Set(run.artifacts.map((a: { kind: string }) => a.kind));
    for (const kind of ["model", "checkpoint", "predictions"]) expect(kinds).toContain(kind);
  });

  it("stops within one batch when canceled, keeping what it recorded", async () => {
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, epochs: 50, batchSize: 2 });
    await waitForStatus(t.db, runId, ["RUNNING"]);
    let steps = 0;
    const deadline = Date.now() + 60_000;
    while (steps < 3 && Date.now() < deadline) {
      steps = Number((await t.db.pool.query(`SELECT count(*) FROM metric_point WHERE run_id = $1 AND key = 'train_loss'`, [runId])).rows[0].count);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { cancelRun } = await gqlOk(t.url, catalog.token, `mutation($id: ID!) { cancelRun(runId: $id) { status } }`, { id: runId });
    expect(cancelRun.status).toBe("CANCELED");
    // The worker writes its last line once training has stopped.
    const stoppedBy = Date.now() + 30_000;
    let logs: string[] = [];
    while (!logs.some((m) => m.startsWith("stopped")) && Date.now() < stoppedBy) {
      logs = (await t.db.pool.query(`SELECT message FROM run_log WHERE run_id = $1 ORDER BY seq`, [runId])).rows.map((r) => r.message);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(logs.at(-1)).toBe("stopped: canceled");
    const after = Number((await t.db.pool.query(`SELECT count(*) FROM metric_point WHERE run_id = $1 AND key = 'train_loss'`, [runId])).rows[0].count);
    expect(after).toBeGreaterThanOrEqual(3);
    // 50 + 1 epochs of 6 steps were planned; a cancel within one batch leaves almost all undone.
    expect(after).toBeLessThan(40);
    expect(await waitForStatus(t.db, runId, ["CANCELED"])).toBe("CANCELED");
    // The one attempt ended CANCELED by the cancel itself (the worker's own end came second and changed nothing).
    expect(await runAttempts(t.url, catalog, runId)).toMatchObject([{ number: 1, outcome: "CANCELED", error: expect.stringMatching(/^canceled by /) }]);
  });
});
