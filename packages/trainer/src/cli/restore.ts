/**
 * The trained classifier of a run folder, rebuilt from run.json (backbone, head, input size)
 * and its checkpoint, with a few validation images of the recorded split to check against.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type ImageDataset, splitTrainValid } from "../data/index.ts";
import { ArrayBatchSource, Learner, type LearnerData, learnerData } from "../learner/index.ts";
import { createClassifier } from "../models/head/index.ts";
import { Random } from "../data/index.ts";
import { loadBackbone } from "./arch.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { UsageError } from "./options.ts";
import { RUN_FILES, type RunRecord, splitOptionsOf } from "./run-record.ts";
import { readDataset } from "./session.ts";

export interface RestoredRun {
  learner: Learner;
  /** Image files of `learner.data.valid`, in order; empty when the data set is gone and random inputs stand in. */
  validPaths: string[];
  close(): Promise<void>;
}

/** Up to `count` validation images of the recorded split, or seeded random inputs when the data set is gone. */
async function checkData(record: RunRecord, count: number): Promise<{ data: LearnerData; validPaths: string[] }> {
  const [height, width] = record.inputSize;
  if (!existsSync(record.data.path)) {
    process.stderr.write(`note: the training data ${record.data.path} is gone; checking the export on ${count} random inputs instead\n`);
    const random = new Random(record.data.seed);
    const inputs = Float32Array.from({ length: count * 3 * height * width }, () => random.uniform(-2, 2));
    const source = new ArrayBatchSource(inputs, [3, height, width], new BigInt64Array(count), count);
    return { data: { train: source, valid: source, classes: record.classes }, validPaths: [] };
  }
  const dataset: ImageDataset = await readDataset(record.data.path);
  if (dataset.classes.join("\n") !== record.classes.join("\n")) {
    throw new UsageError(`data: ${record.data.path} now has classes ${dataset.classes.join(", ")}; the run was trained on ${record.classes.join(", ")}`);
  }
  const split = splitTrainValid(dataset.items, splitOptionsOf(record));
  const valid = split.valid.slice(0, count);
  const data = learnerData(dataset, {
    size: [height, width],
    batchSize: count,
    split: { train: split.train, valid },
    normalization: record.normalization,
    seed: record.data.seed,
    workers: 0,
  });
  return { data, validPaths: valid.map((i) => dataset.items[i]!.path) };
}

export async function restoreRun(dir: string, record: RunRecord, options: { checkImages: number; session: SessionOptions }): Promise<RestoredRun> {
  const checkpoint = join(dir, RUN_FILES.checkpoint);
  if (!existsSync(checkpoint)) throw new UsageError(`run folder '${dir}' has no ${RUN_FILES.checkpoint}`);
  const backbone = loadBackbone(record.arch);
  const { feature, ...head } = record.head;
  const classifier = createClassifier(backbone.model, { ...head, classes: record.classes.length, feature, inputSize: record.inputSize });
  const { data, validPaths } = await checkData(record, options.checkImages);
  const learner = new Learner({ data, model: classifier, session: options.session });
  try {
    await learner.trainer.loadCheckpoint(checkpoint);
  } catch (error) {
    await learner.release();
    await data.close?.();
    throw new Error(`${checkpoint}: does not fit the model run.json describes (${(error as Error).message})`);
  }
  return {
    learner,
    validPaths,
    close: async () => {
      await learner.release();
      await data.close?.();
    },
  };
}
