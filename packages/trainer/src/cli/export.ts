/**
 * runboard-train export <run-folder>: the inference model re-exported from the run's
 * checkpoint, then loaded in a fresh ONNX Runtime session and checked to predict what the
 * checkpointed model predicts on a few validation images. Nothing is written unless it does.
 */
import { rmSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { Predictor } from "../export/index.ts";
import { softmaxRows } from "../learner/index.ts";
import { exportClassifier } from "./export-model.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { numberFlag, optionalNumberFlag, parseFlags, RUNTIME_FLAGS, RUNTIME_USAGE, sessionOptionsOf, stringFlag, UsageError } from "./options.ts";
import { setExportOpset } from "./opset.ts";
import { restoreRun, type RestoredRun } from "./restore.ts";
import { RUN_FILES, runFolder } from "./run-record.ts";

export const EXPORT_USAGE = `runboard-train export <run-folder> [options]
  re-exports the inference model from the run's checkpoint and checks it in a fresh ONNX Runtime
  session against the checkpointed model on a few validation images
  --out FILE       where to write (default <run-folder>/model.onnx)
  --opset N        declare a higher opset, up to 17 (default: the model's own)
  --check N        validation images to compare (default 8)
  ${RUNTIME_USAGE}`;

/** Largest difference in any class probability between the checkpoint and the exported file. */
const TOLERANCE = 1e-4;

export async function exportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { out: { type: "string" }, opset: { type: "string" }, check: { type: "string" }, ...RUNTIME_FLAGS });
  if (positionals.length !== 1) throw new UsageError(`export takes one run folder (the --out folder of train), got ${positionals.length} arguments`);
  const opset = optionalNumberFlag(values, "opset", { integer: true, min: 7, max: 17 });
  const checkImages = numberFlag(values, "check", 8, { integer: true, min: 1, max: 256 });
  const session = sessionOptionsOf(values);
  const { dir, record } = runFolder(positionals[0]);
  const out = resolve(stringFlag(values, "out") ?? join(dir, RUN_FILES.model));
  const restored = await restoreRun(dir, record, { checkImages, session });
  const partial = `${out}.${process.pid}.check`;
  try {
    const model = restored.learner.exportModel();
    if (opset !== undefined) setExportOpset(model, opset);
    await exportClassifier(model, partial, {
      classes: record.classes,
      inputSize: record.inputSize,
      normalization: record.normalization,
      architecture: record.arch,
      feature: record.head.feature,
    });
    const check = await compareWithCheckpoint(restored, partial, session);
    renameSync(partial, out);
    process.stdout.write(
      `wrote ${out}\nchecked in a fresh ONNX Runtime session on ${check.count} ${restored.validPaths.length > 0 ? "validation images" : "random inputs"}: ` +
        `same class for ${check.sameClass}, largest probability difference ${check.maxDifference.toExponential(2)}\n`,
    );
  } finally {
    rmSync(partial, { force: true });
    await restored.close();
  }
}

/** Probabilities from the learner (the checkpoint through the training engine) and from the exported file must agree. */
async function compareWithCheckpoint(
  restored: RestoredRun,
  modelPath: string,
  session: SessionOptions,
): Promise<{ count: number; sameClass: number; maxDifference: number }> {
  const { learner, validPaths } = restored;
  const { predictions } = await learner.predictions();
  const expected = softmaxRows(predictions.scores, predictions.classes);
  const predictor = await Predictor.load(modelPath, session);
  try {
    const actual = validPaths.length > 0 ? await fileProbabilities(predictor, validPaths) : await inputProbabilities(predictor, restored);
    const k = predictions.classes;
    let maxDifference = 0;
    let sameClass = 0;
    for (let n = 0; n < expected.length / k; n++) {
      const want = expected.subarray(n * k, (n + 1) * k);
      const got = actual.subarray(n * k, (n + 1) * k);
      const difference = Math.max(...Array.from(want, (p, c) => Math.abs(p - got[c]!)));
      // A different argmax within the tolerance is a tie, not a disagreement.
      if (difference > TOLERANCE) {
        throw new Error(
          `the exported model disagrees with the checkpoint on ${validPaths[n] ?? `input ${n}`}: probabilities [${Array.from(got, (p) => p.toFixed(5))}] vs [${Array.from(want, (p) => p.toFixed(5))}]; nothing was written`,
        );
      }
      maxDifference = Math.max(maxDifference, difference);
      if (argmax(want) === argmax(got)) sameClass++;
    }
    return { count: expected.length / k, sameClass, maxDifference };
  } finally {
    await predictor.release();
  }
}

/** Through the file's own metadata preprocessing (what a user of the file gets). */
async function fileProbabilities(predictor: Predictor, paths: string[]): Promise<Float32Array> {
  const k = predictor.metadata.classes.length;
  const result = await predictor.predict(paths, { topK: k });
  if (result.failures.length > 0) throw new Error(`cannot read ${result.failures[0]!.path}: ${result.failures[0]!.reason}`);
  const out = new Float32Array(paths.length * k);
  result.predictions.forEach((prediction, n) => {
    for (const entry of prediction.top) out[n * k + entry.classIndex] = entry.probability;
  });
  return out;
}

async function inputProbabilities(predictor: Predictor, restored: RestoredRun): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const batch of restored.learner.data.valid.epoch(0)) parts.push(Float32Array.from(await predictor.probabilities(batch.input, batch.shape[0])));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
  return out;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
