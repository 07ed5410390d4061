/**
 * DataLoader: batches of [B, 3, H, W] float input and int64 labels, shuffled per epoch with a
 * seed, prepared ahead of time (prefetch) by a pool of worker threads, yielded in order. The
 * batch contents depend only on (seed, epoch, item), never on the number of workers.
 */
import { availableParallelism } from "node:os";
import { type BatchJob, prepareBatch } from "./batch-job.ts";
import type { ImageItem } from "./dataset.ts";
import { type Pipeline, type PipelineOptions, resolvePipeline } from "./pipeline.ts";
import { itemSeed, mixSeed, shuffledIndices } from "./random.ts";
import { WorkerPool } from "./worker-pool.ts";

export interface Batch {
  /** [B, 3, H, W], normalized. */
  input: Float32Array;
  shape: [number, number, number, number];
  labels: BigInt64Array;
  /** Index of each batch row in the loader's `items`. */
  indices: Int32Array;
}

export interface DataLoaderOptions {
  items: readonly Pick<ImageItem, "path" | "relativePath" | "label">[];
  /** Which items to use (e.g. a split's train indices); default all. */
  subset?: readonly number[];
  /** Pipeline options; a resolved Pipeline is accepted too (resolving is idempotent). */
  pipeline: PipelineOptions;
  /** Training loader: augments, and by default shuffles and drops the last partial batch. */
  train: boolean;
  batchSize: number;
  shuffle?: boolean;
  dropLast?: boolean;
  seed?: number;
  /** Worker threads; 0 prepares batches on the calling thread. Default: min(4, cores). */
  workers?: number;
  /** Batches prepared ahead of the consumer. Default: 2 per worker (at least 2). */
  prefetch?: number;
}

function checkCount(value: number, field: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new Error(`${field} must be an integer >= ${min}, got ${value}`);
  return value;
}

export class DataLoader {
  readonly pipeline: Pipeline;
  readonly batchSize: number;
  private readonly options: DataLoaderOptions;
  private readonly subset: readonly number[];
  private readonly seed: number;
  private readonly prefetch: number;
  private readonly pool: WorkerPool | undefined;

  constructor(options: DataLoaderOptions) {
    this.options = options;
    this.pipeline = resolvePipeline(options.pipeline);
    this.batchSize = checkCount(options.batchSize, "batchSize", 1);
    this.subset = options.subset ?? options.items.map((_, i) => i);
    for (const index of this.subset) {
      if (!options.items[index]) throw new Error(`subset index ${index} is outside the ${options.items.length} items`);
    }
    this.seed = options.seed ?? 42;
    const workers = checkCount(options.workers ?? Math.min(4, availableParallelism()), "workers", 0);
    this.prefetch = checkCount(options.prefetch ?? Math.max(2, 2 * workers), "prefetch", 1);
    this.pool = workers > 0 ? new WorkerPool(workers, this.pipeline) : undefined;
  }

  get shuffle(): boolean {
    return this.options.shuffle ?? this.options.train;
  }

  get dropLast(): boolean {
    return this.options.dropLast ?? this.options.train;
  }

  /** Number of items one epoch yields. */
  get itemCount(): number {
    return this.dropLast ? this.length * this.batchSize : this.subset.length;
  }

  /** Batches per epoch. */
  get length(): number {
    const whole = Math.floor(this.subset.length / this.batchSize);
    return this.dropLast || this.subset.length % this.batchSize === 0 ? whole : whole + 1;
  }

  /** The item indices of each batch of an epoch, in order. */
  batchIndices(epoch: number): number[][] {
    const order = this.shuffle ? shuffledIndices(this.subset.length, mixSeed(this.seed, epoch, 0x5eed)).map((i) => this.subset[i] as number) : [...this.subset];
    return Array.from({ length: this.length }, (_, b) => order.slice(b * this.batchSize, (b + 1) * this.batchSize));
  }

  private jobFor(indices: number[], epoch: number): BatchJob {
    const items = indices.map((i) => this.options.items[i] as Pick<ImageItem, "path" | "relativePath">);
    return {
      paths: items.map((item) => item.path),
      relativePaths: items.map((item) => item.relativePath),
      seeds: indices.map((i) => itemSeed(this.seed, epoch, i)),
      train: this.options.train,
    };
  }

  private run(job: BatchJob): Promise<Float32Array> {
    return this.pool ? this.pool.run(job) : prepareBatch(job, this.pipeline);
  }

  /** One epoch of batches. Up to `prefetch` batches are in preparation while the caller works. */
  async *epoch(epoch: number): AsyncGenerator<Batch> {
    const batches = this.batchIndices(epoch);
    const inFlight: Promise<Float32Array>[] = [];
    let submitted = 0;
    const fill = () => {
      while (submitted < batches.length && inFlight.length < this.prefetch) inFlight.push(this.run(this.jobFor(batches[submitted++] as number[], epoch)));
    };
    try {
      for (const indices of batches) {
        fill();
        const input = await (inFlight.shift() as Promise<Float32Array>);
        fill();
        const { width, height } = this.pipeline.size;
        const labels = BigInt64Array.from(indices, (i) => BigInt(this.options.items[i]?.label ?? 0));
        yield { input, shape: [indices.length, 3, height, width], labels, indices: Int32Array.from(indices) };
      }
    } finally {
      // A consumer that stops early leaves batches in preparation: let them settle quietly.
      for (const pending of inFlight) pending.catch(() => undefined);
    }
  }

  /** Stops the worker threads. The loader cannot be used afterwards. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
