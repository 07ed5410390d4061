/** `npm run worker`: one worker process for the database in DATABASE_URL. */
import { readWorkerEnv } from "./env.ts";
import { startWorker } from "./worker.ts";

async function main(): Promise<void> {
  const env = readWorkerEnv();
  const worker = await startWorker({
    databaseUrl: env.DATABASE_URL,
    artifactRoot: env.RUNBOARD_ARTIFACT_ROOT,
    concurrency: env.RUNBOARD_WORKER_CONCURRENCY,
    device: { device: env.RUNBOARD_WORKER_DEVICE, threads: env.RUNBOARD_WORKER_THREADS, decodeThreads: env.RUNBOARD_WORKER_DECODE_THREADS },
    heartbeatMs: env.RUNBOARD_HEARTBEAT_MS,
    staleAfterMs: env.RUNBOARD_STALE_AFTER_MS,
    flushMs: env.RUNBOARD_METRIC_FLUSH_MS,
    ...(env.RUNBOARD_WORKER_ID ? { workerId: env.RUNBOARD_WORKER_ID } : {}),
  });
  console.log(`worker ${worker.workerId}: ready (concurrency ${env.RUNBOARD_WORKER_CONCURRENCY}, ${env.RUNBOARD_WORKER_DEVICE}, artifacts in ${env.RUNBOARD_ARTIFACT_ROOT})`);
  const stop = async (signal: string) => {
    console.log(`worker ${worker.workerId}: ${signal}, finishing the runs in flight`);
    await worker.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
