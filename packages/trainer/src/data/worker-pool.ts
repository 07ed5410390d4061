/**
 * A fixed pool of worker threads preparing batches. Jobs go to idle workers in submission
 * order; each result resolves its own promise, so callers keep their own ordering.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { BatchItemError, type BatchJob } from "./batch-job.ts";
import type { Pipeline } from "./pipeline.ts";
import type { JobMessage, ResultMessage } from "./worker.ts";

interface Pending {
  id: number;
  job: BatchJob;
  resolve: (data: Float32Array) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | undefined;
}

const workerUrl = new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);

/** tsx's ESM API entry, found through its package.json exports (its CommonJS entry fails here). */
function tsxEsmApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports["./esm/api"]?.import?.default;
  if (!entry) throw new Error("tsx does not export ./esm/api; data worker threads cannot load TypeScript sources");
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}

/**
 * Starts one worker. Source (.ts) workers are loaded through tsx's API from a small
 * bootstrap, because Node 20 does not apply `--import` loaders to worker threads.
 */
function startWorker(pipeline: Pipeline): Worker {
  if (!workerUrl.pathname.endsWith(".ts")) return new Worker(workerUrl, { workerData: { pipeline } });
  const tsxApi = tsxEsmApiUrl();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(workerUrl.href)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(bootstrap, { eval: true, workerData: { pipeline } });
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(size: number, pipeline: Pipeline) {
    this.slots = Array.from({ length: size }, () => {
      const worker = startWorker(pipeline);
      const slot: Slot = { worker, busy: undefined };
      worker.on("message", (message: ResultMessage) => this.finish(slot, message));
      worker.on("error", (error) => this.fail(slot, error));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(slot, new Error(`data worker exited with code ${code}`));
      });
      worker.unref();
      return slot;
    });
  }

  get size(): number {
    return this.slots.length;
  }

  run(job: BatchJob): Promise<Float32Array> {
    if (this.closed) return Promise.reject(new Error("the data loader's worker pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const pending = this.queue.shift() as Pending;
      slot.busy = pending;
      slot.worker.ref(); // a job in flight keeps the process alive until it answers
      slot.worker.postMessage({ id: pending.id, job: pending.job } satisfies JobMessage);
    }
  }

  private finish(slot: Slot, message: ResultMessage): void {
    const pending = slot.busy;
    slot.busy = undefined;
    slot.worker.unref();
    if (pending && pending.id === message.id) {
      if ("data" in message) pending.resolve(message.data);
      else if ("file" in message) pending.reject(new BatchItemError(message.file, message.reason));
      else pending.reject(new Error(message.error));
    }
    this.dispatch();
  }

  private fail(slot: Slot, error: Error): void {
    const pending = slot.busy;
    slot.busy = undefined;
    pending?.reject(new Error(`data worker failed: ${error.message}`));
    this.closed = true;
    for (const queued of this.queue.splice(0)) queued.reject(new Error(`data worker failed: ${error.message}`));
  }

  /** Stops every worker; jobs still queued or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error("the data loader was closed");
    for (const queued of this.queue.splice(0)) queued.reject(error);
    for (const slot of this.slots) {
      slot.busy?.reject(error);
      slot.busy = undefined;
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
