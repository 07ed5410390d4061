/**
 * Interpretation of an exported model on the validation part of a data set: what both
 * `interpret` and `train --interpret` run. Predictions come from the exported file (so they are
 * what users of the file get); the report itself is interpret/'s writeInterpretationReport.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ImageDataset, Split } from "../data/index.ts";
import { pipelineOf, Predictor } from "../export/index.ts";
import { exportedModelPredictions } from "../interpret/exported.ts";
import { type InterpretationSummary, writeInterpretationReport } from "../interpret/report.ts";
import { formatConfusionMatrix, formatMostConfused } from "../interpret/report-text.ts";
import { decodeModel } from "../onnx/serialize.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { FEATURE_KEY } from "./export-model.ts";

export interface InterpretSettings {
  modelPath: string;
  dataset: ImageDataset;
  split: Split;
  outDir: string;
  top: number;
  gradCam: number;
  session: SessionOptions;
}

export async function interpretModel(settings: InterpretSettings): Promise<InterpretationSummary> {
  const { dataset, split } = settings;
  if (split.valid.length === 0) throw new Error(`data: the split leaves no validation images in ${dataset.root}`);
  const { session } = settings;
  let predictor: Predictor;
  try {
    predictor = await Predictor.load(settings.modelPath, session);
  } catch (error) {
    throw new Error(`${(error as Error).message}; re-export it with 'runboard-train export <run-folder>'`);
  }
  try {
    const files = split.valid.map((i) => ({ path: dataset.items[i]!.path, className: dataset.classes[dataset.items[i]!.label]! }));
    const { predictions, failures } = await exportedModelPredictions(predictor, files);
    for (const failure of failures) process.stderr.write(`skipped ${failure.path}: ${failure.reason}\n`);
    const model = decodeModel(readFileSync(settings.modelPath));
    const feature = model.metadata[FEATURE_KEY];
    const gradCam =
      settings.gradCam === 0
        ? undefined
        : { model, pipeline: pipelineOf(predictor.metadata), count: settings.gradCam, session, ...(feature ? { feature } : {}) };
    return await writeInterpretationReport({ outDir: settings.outDir, predictions, top: settings.top, failures, ...(gradCam ? { gradCam } : {}) });
  } finally {
    await predictor.release();
  }
}

/** The confusion matrix and most confused pairs for the terminal, and where the files went. */
export function describeInterpretation(summary: InterpretationSummary, outDir: string): string {
  const lines = [
    `validation: ${summary.count} images, accuracy ${summary.accuracy.toFixed(4)}`,
    "",
    formatConfusionMatrix(summary.classes, summary.confusion),
    "",
    formatMostConfused(summary.mostConfused),
    "",
    `wrote ${[summary.files.confusion, summary.files.topLosses, ...summary.gradCam.map((g) => g.file), summary.files.summary].map((f) => relative(process.cwd(), join(outDir, f)) || ".").join(", ")}`,
  ];
  if (!summary.labelled) lines.push("note: no system font was found, so the PNGs carry no text labels");
  return lines.join("\n");
}
