/**
 * One batch's worth of work, as plain data that can cross a worker-thread boundary: which
 * files, with which per-item seeds, and whether they are training items (augmented).
 */
import { writeNormalized } from "./normalize.ts";
import { type Pipeline, prepareImageFile } from "./pipeline.ts";

export interface BatchJob {
  paths: string[];
  /** For error messages: the paths as the data set names them. */
  relativePaths: string[];
  seeds: number[];
  train: boolean;
}

/** A failure on one file of a batch, naming the file. */
export class BatchItemError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`preparing ${file} failed: ${reason}`);
    this.name = "BatchItemError";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Decodes, augments and normalizes every item into one Float32Array [B, 3, H, W]. */
export async function prepareBatch(job: BatchJob, pipeline: Pipeline): Promise<Float32Array> {
  const stride = 3 * pipeline.size.width * pipeline.size.height;
  const output = new Float32Array(job.paths.length * stride);
  await Promise.all(
    job.paths.map(async (path, i) => {
      try {
        const image = await prepareImageFile(path, pipeline, job.train, job.seeds[i] as number);
        writeNormalized(image, pipeline.normalization, output, i * stride);
      } catch (error) {
        throw new BatchItemError(job.relativePaths[i] ?? path, messageOf(error));
      }
    }),
  );
  return output;
}
