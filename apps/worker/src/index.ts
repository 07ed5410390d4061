export { readWorkerEnv, type WorkerEnv } from "./env.ts";
export { type RunningWorker, startWorker, type WorkerOptions } from "./worker.ts";
