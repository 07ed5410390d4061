import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestApi } from "@runboard/api/testing/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Catalog,
  FAST_SETTINGS,
  isAlive,
  launch,
  registerCatalog,
  runAttempts,
  runStatus,
  spawnWorkerProcess,
  startLaunchApi,
  trainingProcessId,
  waitForEpochs,
  waitForStatus,
} from "./testing/fixtures.ts";
import { type RunningWorker, startWorker } from "./worker.ts";

let t: TestApi;
let catalog: Catalog;
const artifactRoot = mkdtempSync(join(tmpdir(), "worker-recovery-"));
const workers: RunningWorker[] = [];
const FAST = { heartbeatMs: 200, staleAfterMs: 2_000, flushMs: 100, pollIntervalMs: 200 };

beforeAll(async () => {
  t = await startLaunchApi(artifactRoot);
  catalog = await registerCatalog(t.url, t.db);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await t?.close();
});

function spawnWorker(): ChildProcess {
  const worker = spawnWorkerProcess(t.db.pool.options.connectionString!, artifactRoot, FAST);
  worker.stdout?.resume();
  worker.stderr?.resume();
  return worker;
}

async function count(sql: string, values: unknown[]): Promise<number> {
  return Number((await t.db.pool.query(sql, values)).rows[0].count);
}

describe("recovery", () => {
  it("resumes a run from its last checkpoint on another worker after kill -9, with no point lost or duplicated", async () => {
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 4 });
    const doomed = spawnWorker();
    await waitForEpochs(t.db, runId, 2);
    const victim = (await runStatus(t.db, runId)).workerId;
    const orphan = await trainingProcessId(t.db, runId);
    doomed.kill("SIGKILL");
    // The dead worker's training process notices its supervisor is gone and exits: it never trains on beside the next attempt.
    const orphanDeadline = Date.now() + 10_000;
    while (isAlive(orphan) && Date.now() < orphanDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isAlive(orphan)).toBe(false);
    workers.push(await startWorker({ databaseUrl: t.db.pool.options.connectionString!, artifactRoot, ...FAST, device: { device: "cpu", threads: 1 } }));
    expect(await waitForStatus(t.db, runId, ["SUCCEEDED", "FAILED"])).toBe("SUCCEEDED");
    const run = await runStatus(t.db, runId);
    expect(run.attempt).toBe(2);
    expect(run.workerId).not.toBe(victim);
    // 4 epochs × 3 steps: every step once, every epoch once, across both workers.
    expect(await count(`SELECT count(*) FROM metric_point WHERE run_id = $1 AND key = 'train_loss'`, [runId])).toBe(12);
    expect(await count(`SELECT count(DISTINCT step) FROM metric_point WHERE run_id = $1 AND key = 'train_loss'`, [runId])).toBe(12);
    expect(await count(`SELECT count(*) FROM metric_point WHERE run_id = $1 AND key = 'valid_loss'`, [runId])).toBe(4);
    const { rows } = await t.db.pool.query(`SELECT count FROM metric_summary WHERE run_id = $1 AND key = 'train_loss'`, [runId]);
    expect(Number(rows[0].count)).toBe(12);
    const logs = (await t.db.pool.query(`SELECT message FROM run_log WHERE run_id = $1 ORDER BY seq`, [runId])).rows.map((r) => r.message);
    // Resumed inside the recipe's one stage, at the epoch after the checkpoint, with its learning-rate curve.
    expect(
      logs.some((m: string) => /^resumed from the checkpoint after epoch [1-4] \(step \d+\): FIT_ONE_CYCLE, stage [12] after [0-3] of its epochs/.test(m)),
    ).toBe(true);
    // Each attempt's start is recorded, and the error field said what happened (cleared once the run succeeded).
    expect(logs.filter((m: string) => / took the run \(attempt [12] of 3\)$/.test(m))).toHaveLength(2);
    expect(run.error).toBeNull();
    // And recorded as attempts: the dead worker's lost to the sweep, the second resumed from the checkpoint's step on the live worker.
    const resumed = logs.map((m: string) => /^resumed from the checkpoint after epoch (\d+) \(step (\d+)\)/.exec(m)).find((match) => match !== null);
    const attempts = await runAttempts(t.url, catalog, runId);
    expect(attempts).toMatchObject([
      { number: 1, outcome: "LOST", workerId: victim, resumedFromStep: null },
      { number: 2, outcome: "FINISHED", workerId: run.workerId, error: null, resumedFromEpoch: Number(resumed?.[1]), resumedFromStep: Number(resumed?.[2]) },
    ]);
    expect(attempts[0]?.error).toBe(`worker ${victim} stopped heartbeating; queued again as attempt 2 of 3`);
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  it("fails a run with the reason once its attempts are used up", async () => {
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 50 }, { maxAttempts: 1 });
    const doomed = spawnWorker();
    await waitForStatus(t.db, runId, ["RUNNING"]);
    doomed.kill("SIGKILL");
    // A live worker's sweep notices the dead one.
    workers.push(await startWorker({ databaseUrl: t.db.pool.options.connectionString!, artifactRoot, ...FAST, device: { device: "cpu", threads: 1 } }));
    expect(await waitForStatus(t.db, runId, ["FAILED", "SUCCEEDED"])).toBe("FAILED");
    expect((await runStatus(t.db, runId)).error).toMatch(/stopped heartbeating and all 1 attempts are used/);
    expect(await runAttempts(t.url, catalog, runId)).toMatchObject([{ number: 1, outcome: "LOST", error: expect.stringMatching(/all 1 attempts are used$/) }]);
  });

  it("trains each of ten runs exactly once with two workers", async () => {
    expect(workers).toHaveLength(1);
    workers.push(await startWorker({ databaseUrl: t.db.pool.options.connectionString!, artifactRoot, ...FAST, device: { device: "cpu", threads: 1 } }));
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FROZEN_HEAD" }));
    for (const id of ids) expect(await waitForStatus(t.db, id, ["SUCCEEDED", "FAILED"], 180_000)).toBe("SUCCEEDED");
    const { rows } = await t.db.pool.query(
      `SELECT r.attempt, r.worker_id AS "workerId", (SELECT count(*) FROM run_log l WHERE l.run_id = r.id AND l.message LIKE '% took the run %')::int AS takes
       FROM run r WHERE r.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.every((r) => r.attempt === 1 && r.takes === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.workerId)).size).toBe(2);
  });
});
