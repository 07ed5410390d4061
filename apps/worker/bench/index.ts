/**
 * `npm run bench -w @runboard/worker`: on a fresh database (TEST_DATABASE_URL, the local
 * PostgreSQL, or an embedded one), one in-process worker and a tiny generated data set:
 *   1. enqueue → training start: runs launched one at a time (run + job in one transaction),
 *      the time from the run's insert to the worker's claim (both on the database clock);
 *   2. metric reporting overhead: time spent in the worker's per-step reporting callback
 *      against the training time of the same steps.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase, poolTransaction } from "@runboard/db";
import { createDatabase, dropDatabase, newTestRunId, TEST_DATABASE_PREFIX } from "@runboard/db/testing/databases";
import { resolveTestServer, withDatabase } from "@runboard/db/testing/server";
import { enqueueTrainJob, installQueue, resolveTrainingSettings } from "@runboard/queue";
import pg from "pg";
import { writeImageFolder, writeTinyBackbone } from "../src/testing/images.ts";
import { startWorker } from "../src/worker.ts";

const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 10);

async function seedCatalog(
  pool: pg.Pool,
  folder: string,
  backbone: string,
): Promise<{ teamId: string; projectId: string; datasetId: string; architectureId: string }> {
  const { rows } = await pool.query(
    `
    WITH t AS (INSERT INTO team (id, name, slug) VALUES (gen_random_uuid(), 'bench', 'bench') RETURNING id),
    p AS (INSERT INTO project (id, team_id, name) SELECT gen_random_uuid(), id, 'bench' FROM t RETURNING id),
    d AS (INSERT INTO dataset (id, team_id, name, kind, source_uri, class_names) SELECT gen_random_uuid(), id, 'shapes', 'IMAGE_FOLDER', $1, ARRAY['cats', 'dogs'] FROM t RETURNING id),
    a AS (INSERT INTO architecture (id, team_id, name, family, source_format, file_uri, input_size) SELECT gen_random_uuid(), id, 'tiny', 'resnet', 'ONNX', $2, ARRAY[3, 16, 16] FROM t RETURNING id)
    SELECT t.id AS "teamId", p.id AS "projectId", d.id AS "datasetId", a.id AS "architectureId" FROM t, p, d, a`,
    [folder, backbone],
  );
  return rows[0];
}

async function launch(pool: pg.Pool, catalog: Awaited<ReturnType<typeof seedCatalog>>, settings: Record<string, unknown>): Promise<string> {
  const hyperparameters = resolveTrainingSettings(settings);
  return poolTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `INSERT INTO run (id, team_id, project_id, name, status, hyperparameters, dataset_id, architecture_id)
       VALUES (gen_random_uuid(), $1, $2, 'bench', 'QUEUED', $3, $4, $5) RETURNING id`,
      [catalog.teamId, catalog.projectId, JSON.stringify(hyperparameters), catalog.datasetId, catalog.architectureId],
    );
    await enqueueTrainJob(client, { runId: rows[0].id, attempt: 1 });
    return rows[0].id as string;
  });
}

async function waitFinished(pool: pg.Pool, runId: string): Promise<void> {
  for (;;) {
    const { rows } = await pool.query(`SELECT status, error FROM run WHERE id = $1`, [runId]);
    if (rows[0].status === "SUCCEEDED") return;
    if (rows[0].status !== "QUEUED" && rows[0].status !== "RUNNING") throw new Error(`run ${runId}: ${rows[0].status} ${rows[0].error}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function main(): Promise<void> {
  const server = await resolveTestServer();
  const name = `${TEST_DATABASE_PREFIX}${newTestRunId()}_worker_bench`;
  await createDatabase(server.maintenanceUrl, name);
  const url = withDatabase(server.maintenanceUrl, name);
  const root = mkdtempSync(join(tmpdir(), "worker-bench-"));
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const overhead = new Map<string, number>();
  try {
    await migrateDatabase(url);
    await installQueue(pool);
    const catalog = await seedCatalog(pool, await writeImageFolder(root, 32, 32), writeTinyBackbone(root, 32));
    const worker = await startWorker({
      databaseUrl: url,
      artifactRoot: join(root, "artifacts"),
      device: { device: "cpu", threads: 2 },
      pollIntervalMs: 2_000,
      onOverhead: (runId, ms) => overhead.set(runId, (overhead.get(runId) ?? 0) + ms),
    });
    console.log(`worker bench on ${server.source}; ${LAUNCHES} launches, one at a time`);
    const quick = { recipe: "FROZEN_HEAD", epochs: 1, batchSize: 8, lrFind: false, augmentation: { enabled: false } };
    const latencies: number[] = [];
    for (let i = 0; i < LAUNCHES; i++) {
      const runId = await launch(pool, catalog, quick);
      await waitFinished(pool, runId);
      const { rows } = await pool.query(`SELECT extract(epoch FROM started_at - created_at) * 1000 AS ms FROM run WHERE id = $1`, [runId]);
      latencies.push(Number(rows[0].ms));
    }
    console.log(
      `enqueue → training start: p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p90 ${percentile(latencies, 0.9).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    );

    const runId = await launch(pool, catalog, { ...quick, recipe: "FIT_ONE_CYCLE", epochs: 3, batchSize: 4 });
    await waitFinished(pool, runId);
    const { rows } = await pool.query(
      `SELECT sum(value) AS seconds, (SELECT count(*) FROM metric_point WHERE run_id = $1 AND key = 'train_loss')::int AS steps
      FROM metric_point WHERE run_id = $1 AND key = 'epoch_seconds'`,
      [runId],
    );
    const trainMs = Number(rows[0].seconds) * 1000;
    const reportMs = overhead.get(runId) ?? 0;
    console.log(
      `metric reporting: ${reportMs.toFixed(1)} ms in the reporting callback over ${rows[0].steps} steps and 3 epochs of ${trainMs.toFixed(0)} ms: ${((100 * reportMs) / trainMs).toFixed(3)}% of training time (${(trainMs / rows[0].steps).toFixed(1)} ms a step)`,
    );
    await worker.stop();
  } finally {
    await pool.end();
    await dropDatabase(server.maintenanceUrl, name);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
