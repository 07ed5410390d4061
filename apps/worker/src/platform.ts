/**
 * `npm start` at the repository root: the database (embedded PostgreSQL when DATABASE_URL is
 * unset), the API, and RUNBOARD_START_WORKERS training workers (default 1) in this process.
 */
import { createApiServer, readEnv } from "@runboard/api";
import { bootstrapDatabase, createDb } from "@runboard/db";
import { readWorkerEnv } from "./env.ts";
import { type RunningWorker, startWorker } from "./worker.ts";

async function main(): Promise<void> {
  const apiEnv = readEnv();
  const database = await bootstrapDatabase();
  const workerEnv = readWorkerEnv({ ...process.env, DATABASE_URL: database.url });
  const db = createDb(database.url, { maxConnections: apiEnv.RUNBOARD_DB_POOL_SIZE });
  const api = await createApiServer({
    pool: db.pool,
    limits: { maxDepth: apiEnv.RUNBOARD_MAX_QUERY_DEPTH, maxCost: apiEnv.RUNBOARD_MAX_QUERY_COST },
    launch: { artifactRoot: apiEnv.RUNBOARD_ARTIFACT_ROOT ?? workerEnv.RUNBOARD_ARTIFACT_ROOT, sourceRoots: apiEnv.RUNBOARD_SOURCE_ROOTS },
  });
  const url = await api.listen(apiEnv.PORT, apiEnv.HOST);
  console.log(`api: GraphQL on ${url}, subscriptions on ${url.replace(/^http/, "ws")}, health on ${url.replace(/graphql$/, "health")}`);
  const workers: RunningWorker[] = [];
  for (let i = 0; i < apiEnv.RUNBOARD_START_WORKERS; i++) {
    workers.push(await startWorker({
      databaseUrl: database.url, artifactRoot: apiEnv.RUNBOARD_ARTIFACT_ROOT ?? workerEnv.RUNBOARD_ARTIFACT_ROOT,
      concurrency: workerEnv.RUNBOARD_WORKER_CONCURRENCY,
      device: { device: workerEnv.RUNBOARD_WORKER_DEVICE, threads: workerEnv.RUNBOARD_WORKER_THREADS, decodeThreads: workerEnv.RUNBOARD_WORKER_DECODE_THREADS },
      heartbeatMs: workerEnv.RUNBOARD_HEARTBEAT_MS, staleAfterMs: workerEnv.RUNBOARD_STALE_AFTER_MS, flushMs: workerEnv.RUNBOARD_METRIC_FLUSH_MS,
    }));
  }
  if (workers.length > 0) console.log(`worker: ${workers.length} in this process (${workerEnv.RUNBOARD_WORKER_DEVICE}); more with \`npm run worker\` on any machine`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.close();
    await db.close();
    await database.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
