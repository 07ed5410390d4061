import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestApi } from "@runboard/api/testing/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Catalog, FAST_SETTINGS, launch, registerCatalog, startLaunchApi, waitForStatus } from "./testing/fixtures.ts";
import { CuttableProxy } from "./testing/proxy.ts";
import { type RunningWorker, startWorker } from "./worker.ts";

let t: TestApi;
let catalog: Catalog;
let proxy: CuttableProxy;
let worker: RunningWorker;
const artifactRoot = mkdtempSync(join(tmpdir(), "worker-loss-"));

beforeAll(async () => {
  t = await startLaunchApi(artifactRoot);
  catalog = await registerCatalog(t.url, t.db);
  const direct = new URL(t.db.pool.options.connectionString!);
  proxy = new CuttableProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  await proxy.listen();
  const viaProxy = new URL(direct);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  worker = await startWorker({
    databaseUrl: viaProxy.toString(),
    artifactRoot,
    heartbeatMs: 200,
    staleAfterMs: 20_000,
    flushMs: 100,
    pollIntervalMs: 200,
    device: { device: "cpu", threads: 1 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

async function trainLossCount(runId: string): Promise<number> {
  return Number((await t.db.pool.query(`SELECT count(*) FROM metric_point WHERE run_id = $1 AND key = 'train_loss'`, [runId])).rows[0].count);
}

describe("a worker that loses the database", () => {
  it("keeps training, buffers its points and flushes them when the database is back: nothing lost", async () => {
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 8 });
    while ((await trainLossCount(runId)) < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    const cutAt = new Date();
    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const storedDuringCut = await trainLossCount(runId);
    await proxy.restore();
    expect(await waitForStatus(t.db, runId, ["SUCCEEDED", "FAILED"])).toBe("SUCCEEDED");
    // 8 epochs × 3 steps, each exactly once; some were trained while the database was away.
    expect(await trainLossCount(runId)).toBe(24);
    const { rows } = await t.db.pool.query(
      `SELECT count(*) FILTER (WHERE wall_time > $2 AND wall_time < $2::timestamptz + interval '2.5 seconds')::int AS during,
         count(DISTINCT step)::int AS steps FROM metric_point WHERE run_id = $1 AND key = 'train_loss'`,
      [runId, cutAt],
    );
    expect(rows[0].steps).toBe(24);
    expect(rows[0].during).toBeGreaterThan(0);
    expect(storedDuringCut).toBeLessThan(24);
  });
});
