/**
 * A real database restart mid-run: a dedicated embedded PostgreSQL (not the shared test server)
 * is stopped while a worker trains and started again on the same data directory and port. The
 * run must finish with every metric point stored exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiServer, type ApiServer } from "@runboard/api";
import { createDb, type Db, migrateDatabase, startEmbeddedPostgres, type EmbeddedPostgresServer } from "@runboard/db";
import { findFreePort, makeTemporaryDataRoot } from "@runboard/db/embedded";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Catalog, FAST_SETTINGS, launch, registerCatalog, SOURCE_ROOT, waitForStatus } from "./testing/fixtures.ts";
import { type RunningWorker, startWorker } from "./worker.ts";

const artifactRoot = mkdtempSync(join(tmpdir(), "worker-restart-"));
let dataRoot: string;
let port: number;
let server: EmbeddedPostgresServer;
let db: Db;
let api: ApiServer;
let apiUrl: string;
let catalog: Catalog;
let worker: RunningWorker;

const startServer = () => startEmbeddedPostgres({ dataDir: join(dataRoot, "data"), port, database: "restart" });

beforeAll(async () => {
  dataRoot = await makeTemporaryDataRoot("worker-restart-pg-");
  port = await findFreePort();
  server = await startServer();
  await migrateDatabase(server.url);
  db = createDb(server.url);
  api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 }, launch: { artifactRoot, sourceRoots: [SOURCE_ROOT] } });
  apiUrl = await api.listen(0, "127.0.0.1");
  catalog = await registerCatalog(apiUrl, db);
  worker = await startWorker({
    databaseUrl: server.url,
    artifactRoot,
    heartbeatMs: 200,
    staleAfterMs: 30_000,
    flushMs: 100,
    pollIntervalMs: 200,
    device: { device: "cpu", threads: 1 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await db?.close();
  await server?.stop();
  rmSync(artifactRoot, { recursive: true, force: true });
  if (dataRoot !== undefined) rmSync(dataRoot, { recursive: true, force: true });
});

async function trainLossSteps(runId: string): Promise<{ points: number; steps: number }> {
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS points, count(DISTINCT step)::int AS steps FROM metric_point WHERE run_id = $1 AND key = 'train_loss'`,
    [runId],
  );
  return rows[0];
}

describe("a database restart mid-run", () => {
  it("loses nothing: the run finishes and every metric point is stored exactly once", async () => {
    const runId = await launch(apiUrl, catalog, { ...FAST_SETTINGS, recipe: "FIT_ONE_CYCLE", epochs: 8 });
    while ((await trainLossSteps(runId)).points < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    const storedBefore = (await trainLossSteps(runId)).points;
    const stoppedAt = new Date();
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    server = await startServer();
    const restartedAt = new Date();
    expect(await waitForStatus(db, runId, ["SUCCEEDED", "FAILED"])).toBe("SUCCEEDED");
    // 8 epochs × 3 steps, each once, though some were trained while the server was down.
    expect(await trainLossSteps(runId)).toEqual({ points: 24, steps: 24 });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS duplicates FROM (SELECT key, step FROM metric_point WHERE run_id = $1 GROUP BY key, step HAVING count(*) > 1) d`,
      [runId],
    );
    expect(rows[0].duplicates).toBe(0);
    const epochs = await db.pool.query(`SELECT count(DISTINCT step)::int AS n FROM metric_point WHERE run_id = $1 AND key = 'valid_loss'`, [runId]);
    expect(epochs.rows[0].n).toBe(8);
    // The restart came mid-run, and the worker kept training while the server was down.
    expect(storedBefore).toBeLessThan(24);
    const during = await db.pool.query(
      `SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1 AND key = 'train_loss' AND wall_time > $2 AND wall_time < $3`,
      [runId, stoppedAt, restartedAt],
    );
    expect(during.rows[0].n).toBeGreaterThan(0);
  });
});
