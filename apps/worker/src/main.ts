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
  console.log(
    `worker ${worker.workerId}: ready (concurrency ${env.RUNBOARD_WORKER_CONCURRENCY}, ${env.RUNBOARD_WORKER_DEVICE}, artifacts in ${env.RUNBOARD_ARTIFACT_ROOT})`,
  );
  // Ctrl-C in a terminal reaches the whole process group, and npm passes it on again: one stop.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`worker ${worker.workerId}: ${signal}; the runs in flight go back to the queue`);
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
