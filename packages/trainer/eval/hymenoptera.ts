/**
 * ants/bees (PyTorch's transfer-learning tutorial set): fine-tune a backbone on its train
 * folder, validate on val. Target with the ImageNet MobileNetV2: ≥ 95% within 10 minutes wall.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeSkipped, findSharedDataset, readImageFolder, splitTrainValid } from "../src/data/index.ts";
import { exportInferenceModel, predictFiles, saveInferenceModel } from "../src/export/index.ts";
import type { Backbone } from "./backbones.ts";
import { type CaseResult, runFineTune } from "./fine-tune-case.ts";
import { percent, printInterpretation, printTiming } from "./report.ts";

export interface HymenopteraOptions {
  epochs: number;
  /** Also export the model and check the file predicts what the Learner did. */
  checkExport: boolean;
}

/** Validation accuracy, or undefined when the data set is absent. */
export async function evaluateHymenoptera(backbone: Backbone, options: HymenopteraOptions): Promise<number | undefined> {
  return (await fineTuneHymenoptera(backbone, options))?.accuracy;
}

/** The whole run (accuracy, timing, predictions), or undefined when the data set is absent. */
export async function fineTuneHymenoptera(backbone: Backbone, options: HymenopteraOptions): Promise<CaseResult | undefined> {
  const root = findSharedDataset("hymenoptera_data");
  if (!root) {
    console.log("  skipped: ../shared/datasets/hymenoptera_data is absent");
    return undefined;
  }
  const dataset = await readImageFolder(root);
  if (dataset.skipped.length > 0) console.log(`  ${describeSkipped(dataset)}`);
  const split = splitTrainValid(dataset.items);
  console.log(`  ${backbone.name}: ${split.train.length} train, ${split.valid.length} valid, fine_tune(${options.epochs}) at ${backbone.size.join("×")}`);
  const result = await runFineTune({ dataset, split, backbone, epochs: options.epochs, freezeEpochs: 1, baseLr: 2e-3, batchSize: 32, log: console.log });
  console.log(`  → validation accuracy ${percent(result.accuracy)} (valid loss ${result.validLoss.toFixed(4)})`);
  printTiming(result);
  const validPaths = split.valid.map((i) => dataset.items[i]!.path);
  printInterpretation(result, dataset.classes, validPaths);
  if (options.checkExport) await checkExport(result.model, dataset.classes, backbone, validPaths, result.probabilities);
  return result;
}

/** Export → predictFiles on the validation files → same classes and probabilities as the Learner. */
async function checkExport(
  model: Parameters<typeof exportInferenceModel>[0],
  classes: string[],
  backbone: Backbone,
  paths: string[],
  expected: Float32Array,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "eval-export-"));
  try {
    const path = join(dir, "model.onnx");
    const started = performance.now();
    const exported = await exportInferenceModel(model, {
      classes,
      preprocessing: { size: { height: backbone.size[0], width: backbone.size[1] }, normalization: backbone.normalization },
      architecture: `${backbone.name} + fastai head`,
    });
    await saveInferenceModel(exported, path);
    const { predictions, failures } = await predictFiles(path, paths, { session: { intraOpNumThreads: 2 } });
    const seconds = (performance.now() - started) / 1000;
    let maxDifference = 0;
    let agree = 0;
    predictions.forEach((p, n) => {
      const row = expected.subarray(n * classes.length, (n + 1) * classes.length);
      maxDifference = Math.max(maxDifference, ...Array.from(row, (v, k) => Math.abs(v - (k === p.classIndex ? p.probability : v))));
      if (row.indexOf(Math.max(...row)) === p.classIndex) agree++;
    });
    console.log(
      `    export: ${predictions.length} files predicted from the ONNX file in ${seconds.toFixed(1)} s (${failures.length} failures); same class for ${agree}/${predictions.length}, max |Δp| ${maxDifference.toExponential(2)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
