/** Worker-thread entry: prepares batches posted by a WorkerPool, one at a time. */
import { parentPort, workerData } from "node:worker_threads";
import { BatchItemError, type BatchJob, prepareBatch } from "./batch-job.ts";
import type { Pipeline } from "./pipeline.ts";

export interface JobMessage {
  id: number;
  job: BatchJob;
}

export type ResultMessage = { id: number; data: Float32Array } | { id: number; file: string; reason: string } | { id: number; error: string };

const pipeline = (workerData as { pipeline: Pipeline }).pipeline;
const port = parentPort;
if (!port) throw new Error("data/worker.ts must run in a worker thread");

port.on("message", async ({ id, job }: JobMessage) => {
  try {
    const data = await prepareBatch(job, pipeline);
    port.postMessage({ id, data } satisfies ResultMessage, [data.buffer as ArrayBuffer]);
  } catch (error) {
    const result: ResultMessage =
      error instanceof BatchItemError ? { id, file: error.file, reason: error.reason } : { id, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(result);
  }
});
