/**
 * runboard-train interpret <model.onnx|run-folder> [data]: the validation predictions of an
 * exported model, with the same split train used (run.json), as a confusion matrix, most
 * confused pairs, a top-losses grid, Grad-CAM overlays and a JSON summary.
 */
import { join, resolve } from "node:path";
import { splitTrainValid } from "../data/index.ts";
import { describeInterpretation, interpretModel } from "./interpretation.ts";
import { numberFlag, optionalNumberFlag, parseFlags, RUNTIME_FLAGS, RUNTIME_USAGE, sessionOptionsOf, stringFlag, UsageError } from "./options.ts";
import { TRAINING_DEFAULTS } from "../recipes/index.ts";
import { locateRun, readRunRecord, type RunRecord, splitOptionsOf } from "./run-record.ts";
import { readDataset } from "./session.ts";

export const INTERPRET_USAGE = `runboard-train interpret <model.onnx|run-folder> [data-folder-or-csv] [options]
  prints the confusion matrix and the most confused pairs of the validation images; writes
  confusion.png, top-losses.png, grad-cam/*.png and interpretation.json
  data defaults to the data set recorded in the run folder's run.json
  --valid-pct X   validation fraction (default: as recorded in run.json, else 0.2)
  --seed N        split seed (default: as recorded in run.json, else 42)
  --top N         images in the top-losses grid (default 9)
  --gradcam N     Grad-CAM overlays for the N largest losses (default 4; 0 for none)
  --out DIR       where to write (default <run-folder>/interpretation, else ./interpretation)
  ${RUNTIME_USAGE}`;

const INTERPRET_FLAGS = {
  "valid-pct": { type: "string" },
  seed: { type: "string" },
  top: { type: "string" },
  gradcam: { type: "string" },
  out: { type: "string" },
  ...RUNTIME_FLAGS,
} as const;

export async function interpretCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, INTERPRET_FLAGS);
  if (positionals.length > 2)
    throw new UsageError(`interpret takes a model or run folder and a data set, got ${positionals.length} arguments: ${positionals.join(" ")}`);
  const validPct = optionalNumberFlag(values, "valid-pct", { min: 0, max: 0.9, exclusiveMin: true });
  const seed = optionalNumberFlag(values, "seed", { integer: true, min: 0 });
  const top = numberFlag(values, "top", 9, { integer: true, min: 1, max: 100 });
  const gradCam = numberFlag(values, "gradcam", 4, { integer: true, min: 0, max: 100 });
  const session = sessionOptionsOf(values);
  const run = locateRun(positionals[0], "interpret");
  const record: RunRecord | undefined = run.dir ? readRunRecord(run.dir) : undefined;
  const dataPath = positionals[1] ?? record?.data.path;
  if (!dataPath) throw new UsageError("interpret: give the data set (the model's folder has no run.json that records it)");
  const dataset = await readDataset(dataPath);
  if (record && resolve(dataPath) === record.data.path && dataset.contentHash !== record.data.contentHash) {
    process.stderr.write(`note: ${dataPath} changed since training (content hash differs); the validation split may differ too\n`);
  }
  const recorded = record ? splitOptionsOf(record) : { validPct: TRAINING_DEFAULTS.validPct, seed: TRAINING_DEFAULTS.seed };
  const split = splitTrainValid(dataset.items, { validPct: validPct ?? recorded.validPct, seed: seed ?? recorded.seed });
  const outDir = resolve(stringFlag(values, "out") ?? (run.dir ? join(run.dir, "interpretation") : "interpretation"));
  const summary = await interpretModel({ modelPath: run.model, dataset, split, outDir, top, gradCam, session });
  process.stdout.write(`${describeInterpretation(summary, outDir)}\n`);
}
