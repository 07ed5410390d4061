/**
 * Run supervision: training runs in a process of its own, so a busy machine cannot starve the
 * worker's heartbeat; a training process killed -9 is detected by its supervisor and the run
 * resumes from its checkpoint; a worker that stops puts its run back in the queue.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { TestApi } from "@runboard/api/testing/harness";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Catalog,
  FAST_SETTINGS,
  isAlive,
  launch,
  pointCount,
  registerCatalog,
  runAttempts,
  runLogs,
  runStatus,
  spawnWorkerProcess,
  startLaunchApi,
  trainingProcessId,
  waitForEpochs,
  waitForStatus,
} from "./testing/fixtures.ts";
import { type RunningWorker, startWorker, type WorkerOptions } from "./worker.ts";

let t: TestApi;
let catalog: Catalog;
const artifactRoot = mkdtempSync(join(tmpdir(), "worker-supervision-"));
const workers: RunningWorker[] = [];
const FAST = { heartbeatMs: 200, staleAfterMs: 3_000, flushMs: 100, pollIntervalMs: 200 };

beforeAll(async () => {
  t = await startLaunchApi(artifactRoot);
  catalog = await registerCatalog(t.url, t.db);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});
afterAll(async () => {
  await t?.close();
});

async function addWorker(options: Partial<WorkerOptions> = {}): Promise<RunningWorker> {
  const worker = await startWorker({
    databaseUrl: t.db.pool.options.connectionString!,
    artifactRoot,
    ...FAST,
    device: { device: "cpu", threads: 1 },
    ...options,
  });
  workers.push(worker);
  return worker;
}

/** One process spinning on every core: the machine is as busy as it gets. */
function busyLoops(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

/** The oldest heartbeat of the run while it is RUNNING, sampled until it leaves that state. */
async function oldestHeartbeatMs(runId: string): Promise<number> {
  let oldest = 0;
  for (;;) {
    const { rows } = await t.db.pool.query(`SELECT status, extract(epoch FROM now() - heartbeat_at) * 1000 AS age FROM run WHERE id = $1`, [runId]);
    if (rows[0].status !== "RUNNING") return oldest;
    oldest = Math.max(oldest, Number(rows[0].age));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("run supervision", () => {
  it("keeps heartbeating while every core is busy: no run is declared lost", async () => {
    // Two workers, each sweeping for stale runs; lr_find and training run while busy loops hold every core.
    await addWorker();
    await addWorker();
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 1, lrFind: true, lrFindSteps: 5 });
    await waitForStatus(t.db, runId, ["RUNNING"]);
    const loops = busyLoops();
    try {
      const oldest = await oldestHeartbeatMs(runId);
      expect(oldest).toBeLessThan(FAST.staleAfterMs);
    } finally {
      for (const loop of loops) loop.kill("SIGKILL");
    }
    expect(await runStatus(t.db, runId)).toMatchObject({ status: "SUCCEEDED", attempt: 1, error: null });
    const logs = await runLogs(t.db, runId);
    expect(logs.filter((m) => m.includes(" took the run "))).toHaveLength(1);
    expect(logs.some((m) => m.startsWith("lr_find: "))).toBe(true);
    expect(await pointCount(t.db, runId, "train_loss")).toBe(3);
    expect(await runAttempts(t.url, catalog, runId)).toMatchObject([
      { number: 1, outcome: "FINISHED", error: null, resumedFromStep: null, endedAt: expect.any(String) },
    ]);
  });

  it("resumes from the checkpoint after the training process is killed -9, with no point lost or duplicated", async () => {
    await addWorker();
    // Enough epochs that the run is still training when the kill lands (a tiny epoch takes a few tens of milliseconds).
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 30 });
    await waitForEpochs(t.db, runId, 2);
    const pid = await trainingProcessId(t.db, runId);
    const killedAt = new Date();
    process.kill(pid, "SIGKILL");
    expect(await waitForStatus(t.db, runId, ["SUCCEEDED", "FAILED"])).toBe("SUCCEEDED");
    expect(await runStatus(t.db, runId)).toMatchObject({ attempt: 2, error: null });
    // 30 epochs × 3 steps: every step once, every epoch once, across both attempts.
    expect(await pointCount(t.db, runId, "train_loss")).toBe(90);
    expect(await pointCount(t.db, runId, "train_loss", true)).toBe(90);
    expect(await pointCount(t.db, runId, "valid_loss")).toBe(30);
    // The supervisor saw the exit at once and queued the run again: no stale window to wait for.
    const { rows } = await t.db.pool.query(`SELECT time FROM run_log WHERE run_id = $1 AND message = 'the training process was killed (SIGKILL)'`, [runId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].time.getTime() - killedAt.getTime()).toBeLessThan(FAST.staleAfterMs);
    const logs = await runLogs(t.db, runId);
    expect(logs.filter((m) => / took the run \(attempt [12] of 3\)$/.test(m))).toHaveLength(2);
    const resumed = logs.map((m) => /^resumed from the checkpoint after epoch (\d+) \(step (\d+)\)/.exec(m)).find((match) => match !== null);
    const [epoch, step] = [Number(resumed?.[1]), Number(resumed?.[2])];
    expect(epoch).toBeGreaterThanOrEqual(1);
    expect(step).toBe(3 * epoch);
    // The second attempt trains only the epochs after the checkpoint: those before it are logged once (the one after it may be repeated).
    for (let e = 1; e <= 30; e++) {
      const times = logs.filter((m) => m.startsWith(`epoch ${e} `)).length;
      if (e <= epoch) expect(times).toBe(1);
      else expect(times).toBeGreaterThanOrEqual(1);
    }
    expect(isAlive(pid)).toBe(false);
    // Two attempts recorded: the first lost with the cause, the second resumed from the checkpoint's step.
    const attempts = await runAttempts(t.url, catalog, runId);
    expect(attempts).toMatchObject([
      { number: 1, outcome: "LOST", resumedFromStep: null, resumedFromEpoch: null },
      { number: 2, outcome: "FINISHED", error: null, resumedFromStep: step, resumedFromEpoch: epoch },
    ]);
    expect(attempts[0]?.error).toBe("the training process of attempt 1 was killed (SIGKILL); queued again as attempt 2 of 3");
    expect(attempts[1]?.workerId).toBe(attempts[0]?.workerId);
    expect(Date.parse(attempts[0]?.endedAt ?? "")).toBeLessThanOrEqual(Date.parse(attempts[1]?.startedAt ?? ""));
    expect(Date.parse(attempts[1]?.endedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(attempts[1]?.startedAt ?? ""));
  });

  it("puts the run back in the queue when its worker stops, without using up an attempt; another worker resumes it", async () => {
    const first = await addWorker();
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 30 });
    // Once epoch 2 is stored, the checkpoint after epoch 1 is on disk.
    await waitForEpochs(t.db, runId, 2);
    const pid = await trainingProcessId(t.db, runId);
    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(isAlive(pid)).toBe(false);
    const { rows } = await t.db.pool.query(`SELECT status, attempt, max_attempts AS "maxAttempts", error FROM run WHERE id = $1`, [runId]);
    expect(rows[0]).toMatchObject({ status: "QUEUED", attempt: 1, maxAttempts: 4 });
    expect(rows[0].error).toMatch(/shut down during attempt 1; queued again as attempt 2 of 4$/);
    expect(await runAttempts(t.url, catalog, runId)).toMatchObject([{ number: 1, outcome: "REQUEUED", error: rows[0].error, endedAt: expect.any(String) }]);
    await addWorker();
    expect(await waitForStatus(t.db, runId, ["SUCCEEDED", "FAILED"])).toBe("SUCCEEDED");
    expect(await pointCount(t.db, runId, "train_loss", true)).toBe(90);
    expect(await pointCount(t.db, runId, "train_loss")).toBe(90);
    const resumed = (await runLogs(t.db, runId))
      .map((m) => /^resumed from the checkpoint after epoch (\d+) \(step (\d+)\)/.exec(m))
      .find((match) => match !== null);
    expect(resumed).toBeDefined();
    const attempts = await runAttempts(t.url, catalog, runId);
    expect(attempts).toMatchObject([
      { number: 1, outcome: "REQUEUED" },
      { number: 2, outcome: "FINISHED", resumedFromEpoch: Number(resumed?.[1]), resumedFromStep: Number(resumed?.[2]) },
    ]);
    expect(attempts[1]?.resumedFromStep).toBeGreaterThanOrEqual(3);
    expect(attempts[1]?.workerId).not.toBe(attempts[0]?.workerId);
  });

  it("stops a worker process on Ctrl-C and SIGTERM together within 5 s, quietly, its run back in the queue", async () => {
    const worker = spawnWorkerProcess(t.db.pool.options.connectionString!, artifactRoot, FAST, true);
    let output = "";
    worker.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
    const runId = await launch(t.url, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 300 });
    await waitForEpochs(t.db, runId, 1);
    const pid = await trainingProcessId(t.db, runId);
    // Ctrl-C without `npm start`: SIGINT to the process group (the worker and its training process), and SIGTERM as well.
    const stopping = Date.now();
    process.kill(-worker.pid!, "SIGINT");
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(isAlive(pid)).toBe(false);
    expect(output).not.toMatch(/Error|\n\s+at /);
    expect(await runStatus(t.db, runId)).toMatchObject({ status: "QUEUED", attempt: 1 });
    expect((await runLogs(t.db, runId)).at(-1)).toMatch(/^stopped: worker .* is shutting down; the run goes back to the queue/);
    expect(await runAttempts(t.url, catalog, runId)).toMatchObject([{ number: 1, outcome: "REQUEUED", endedAt: expect.any(String) }]);
    await t.db.pool.query(`UPDATE run SET status = 'CANCELED' WHERE id = $1`, [runId]);
  });
});
