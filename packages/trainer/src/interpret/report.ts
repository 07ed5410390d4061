/**
 * One interpretation report in a folder, from validation predictions: the confusion matrix and
 * top losses as PNGs, Grad-CAM overlays of the worst items, and a JSON summary of it all. The
 * CLI (interpret, train --interpret) and the platform worker write reports through this.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { Pipeline } from "../data/index.ts";
import type { Model } from "../onnx/ir.ts";
import type { SessionOptions } from "../runtime/index.ts";
import { accuracyOf, type ClassMetrics, classMetrics, type ConfusedPair, confusionMatrix, mostConfused } from "./confusion.ts";
import { GradCam } from "./grad-cam.ts";
import { gradCamForFiles } from "./grad-cam-file.ts";
import { resolvePredictions, type ResolvedPredictions, type ValidationPredictions } from "./predictions.ts";
import { renderConfusionMatrix } from "./render-confusion.ts";
import { renderTopLosses } from "./render-top-losses.ts";
import { type TopLoss, topLosses } from "./top-losses.ts";

export const REPORT_FILES = { summary: "interpretation.json", confusion: "confusion.png", topLosses: "top-losses.png", gradCamDir: "grad-cam" } as const;

export interface GradCamReportOptions {
  /** The classifier (logits or a softmax over them as its first output), e.g. an exported model. */
  model: Model;
  /** The validation preprocessing the model expects. */
  pipeline: Pipeline;
  /** Overlays for this many top-loss items (those with an image path). */
  count: number;
  /** The feature map; default: the input of the last global pooling. */
  feature?: string;
  session?: SessionOptions;
}

export interface InterpretationReportOptions {
  outDir: string;
  predictions: ValidationPredictions;
  /** Items in the top-losses grid (default 9). */
  top?: number;
  /** Smallest count listed among the most confused pairs (default 1). */
  minConfused?: number;
  gradCam?: GradCamReportOptions;
  /** Validation files that could not be predicted: listed in the summary. */
  failures?: readonly { path: string; reason: string }[];
}

export interface GradCamEntry {
  file: string;
  path: string;
  /** The class the map explains (the predicted one, as fastai shows it). */
  className: string;
  actual: string;
  loss: number;
}

export interface InterpretationSummary {
  classes: string[];
  count: number;
  accuracy: number;
  /** counts[actual][predicted]. */
  confusion: number[][];
  mostConfused: ConfusedPair[];
  perClass: ClassMetrics[];
  topLosses: TopLoss[];
  gradCam: GradCamEntry[];
  failures: { path: string; reason: string }[];
  /** Files written, relative to outDir. */
  files: { confusion: string; topLosses: string; summary: string };
  /** False when no system font could draw the labels on the PNGs. */
  labelled: boolean;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${value}`);
}

export async function writeInterpretationReport(options: InterpretationReportOptions): Promise<InterpretationSummary> {
  const top = options.top ?? 9;
  checkCount("top", top, 1);
  if (options.gradCam) checkCount("gradCam.count", options.gradCam.count, 0);
  const resolved = resolvePredictions(options.predictions);
  if (resolved.count === 0) throw new Error("predictions: no validation items to interpret");
  await mkdir(options.outDir, { recursive: true });
  const matrix = confusionMatrix(resolved);
  const confusion = await renderConfusionMatrix(matrix);
  await writeAtomically(join(options.outDir, REPORT_FILES.confusion), confusion.png);
  const worst = topLosses(resolved, { count: Math.min(top, resolved.count) });
  const grid = await renderTopLosses(worst);
  await writeAtomically(join(options.outDir, REPORT_FILES.topLosses), grid.png);
  const gradCam = options.gradCam ? await writeGradCams(options.outDir, resolved, options.gradCam) : [];
  const summary: InterpretationSummary = {
    classes: [...resolved.classes],
    count: resolved.count,
    accuracy: accuracyOf(matrix),
    confusion: matrix.counts,
    mostConfused: mostConfused(matrix, options.minConfused ?? 1),
    perClass: classMetrics(matrix),
    topLosses: worst,
    gradCam,
    failures: [...(options.failures ?? [])],
    files: { confusion: REPORT_FILES.confusion, topLosses: REPORT_FILES.topLosses, summary: REPORT_FILES.summary },
    labelled: confusion.labelled && grid.labelled,
  };
  await writeAtomically(join(options.outDir, REPORT_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/** Overlays for the `count` largest losses that have an image file, explaining the predicted class. */
async function writeGradCams(outDir: string, resolved: ResolvedPredictions, options: GradCamReportOptions): Promise<GradCamEntry[]> {
  const items = topLosses(resolved)
    .filter((item) => item.path !== undefined)
    .slice(0, options.count);
  if (items.length === 0) return [];
  const gradCam = await GradCam.create(options.model, {
    ...(options.feature === undefined ? {} : { feature: options.feature }),
    session: options.session ?? { intraOpNumThreads: 2 },
  });
  try {
    const classIndices = items.map((item) => resolved.predicted[item.index]!);
    const maps = await gradCamForFiles(
      gradCam,
      items.map((item) => item.path!),
      options.pipeline,
      classIndices,
    );
    await mkdir(join(outDir, REPORT_FILES.gradCamDir), { recursive: true });
    return await Promise.all(
      maps.map(async (map, rank) => {
        const item = items[rank]!;
        const file = `${REPORT_FILES.gradCamDir}/${String(rank + 1).padStart(2, "0")}-${basename(item.path!, extname(item.path!))}.png`;
        await writeAtomically(join(outDir, file), map.png);
        return { file, path: item.path!, className: item.predicted, actual: item.actual, loss: item.loss };
      }),
    );
  } finally {
    await gradCam.release();
  }
}

/** Written aside and renamed, so a failure leaves no half-written file. */
async function writeAtomically(path: string, content: Buffer | string): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, content);
  await rename(partial, path);
}
