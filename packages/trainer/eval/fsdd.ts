/**
 * FSDD spoken digits (../shared/datasets/fsdd): WAVs → log-mel spectrograms with convert/,
 * then fine_tune of an ImageNet backbone on the official split (index 0-4 of each speaker and
 * digit is test). Target ≥ 97% test accuracy. The raw test WAVs are also predicted through the
 * exported model (its metadata carries the conversion), which must agree with the Learner.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { convertDataset, findConversion } from "../src/convert/index.ts";
import { findSharedDataset, readImageFolder, type Split } from "../src/data/index.ts";
import { exportInferenceModel, predictFiles, saveInferenceModel } from "../src/export/index.ts";
import type { Backbone } from "./backbones.ts";
import { trainConverted } from "./converted-case.ts";
import { runSpecCase, type SpecCaseResult } from "./auto-case.ts";
import { TRAINING_DEFAULTS } from "../src/recipes/index.ts";
import { percent } from "./report.ts";

/** 8 kHz speech: 32 ms windows, 8 ms hop, 64 mel bands, every clip padded or cropped to 1 s (99% are shorter). */
export const FSDD_SPECTROGRAM = { nFft: 256, hopLength: 64, nMels: 64, durationSeconds: 1 };

export interface FsddRecipe {
  /** [height, width] the 64×126 spectrograms are squished to. */
  size: [number, number];
  batchSize: number;
  freezeEpochs: number;
  /** Epochs with the last `unfreeze` layer groups training, after the frozen ones. */
  epochs: number;
  unfreeze: "all" | number;
  baseLr: number;
}

/**
 * The section's recipe, fixed here and not chosen per run (RESULTS.md lists every variant tried):
 * one frozen epoch, then the top half of the backbone and the head with discriminative rates.
 */
export const FSDD_RECIPE: FsddRecipe = { size: [80, 160], batchSize: 64, freezeEpochs: 1, epochs: 10, unfreeze: 2, baseLr: 4e-3 };

/** `{digit}_{speaker}_{index}.png`: index 0-4 is the official test split. */
export function officialSplit(paths: readonly string[]): Split {
  const split: Split = { train: [], valid: [] };
  paths.forEach((path, i) => {
    const index = Number(
      basename(path)
        .replace(/\.\w+$/, "")
        .split("_")[2],
    );
    if (!Number.isInteger(index)) throw new Error(`${path}: file name is not {digit}_{speaker}_{index}`);
    (index < 5 ? split.valid : split.train).push(i);
  });
  return split;
}

/** AUTO's budget on FSDD (2,700 training spectrograms): the product's default, seconds. */
export const FSDD_AUTO_BUDGET = TRAINING_DEFAULTS.budgetSeconds;

export async function evaluateFsdd(
  backbone: Backbone,
  recipe: FsddRecipe = FSDD_RECIPE,
): Promise<{ accuracy: number; minutes: number; auto: SpecCaseResult } | undefined> {
  const root = findSharedDataset("fsdd");
  if (!root) {
    console.log("  skipped: ../shared/datasets/fsdd is absent");
    return undefined;
  }
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), "eval-fsdd-"));
  try {
    const images = join(work, "mel");
    const report = await convertDataset({
      kind: "audio",
      source: join(root, "recordings"),
      outDir: images,
      labels: "filename-prefix",
      options: FSDD_SPECTROGRAM,
    });
    console.log(
      `  converted ${report.counts.converted}/${report.counts.inputs} WAVs (${report.counts.failed} failed) in ${report.seconds.toFixed(1)} s: log-mel ${FSDD_SPECTROGRAM.nMels}×126, n_fft ${FSDD_SPECTROGRAM.nFft}, hop ${FSDD_SPECTROGRAM.hopLength}`,
    );
    const dataset = await readImageFolder(images);
    const split = officialSplit(dataset.items.map((item) => item.path));
    const unfrozen = recipe.unfreeze === "all" ? "unfreeze" : `freeze_to(-${recipe.unfreeze})`;
    console.log(
      `  ${backbone.name}: ${split.train.length} train, ${split.valid.length} test, at ${recipe.size.join("×")}, batch ${recipe.batchSize}: ${recipe.freezeEpochs} frozen + ${recipe.epochs} ${unfrozen} epochs, base lr ${recipe.baseLr}`,
    );
    const result = await trainConverted({ dataset, split, backbone, ...recipe, log: console.log });
    const minutes = (performance.now() - started) / 60_000;
    console.log(`  → test accuracy ${percent(result.accuracy)}; training ${result.wallSeconds.toFixed(0)} s, total ${minutes.toFixed(1)} min`);
    const testWavs = split.valid.map((i) => join(root, "recordings", basename(dataset.items[i]!.path).replace(/\.png$/, ".wav")));
    await checkRawPredict(
      result.model,
      dataset.classes,
      backbone,
      recipe.size,
      images,
      testWavs,
      split.valid.map((i) => dataset.items[i]!.label),
    );
    console.log(`  the default recipe, AUTO (chosen on the training split only, budget ${FSDD_AUTO_BUDGET} s):`);
    const auto = await runSpecCase({
      dataset,
      split,
      backbone: { ...backbone, size: recipe.size },
      budgetSeconds: FSDD_AUTO_BUDGET,
      batchSize: recipe.batchSize,
      augment: false,
      resize: { method: "squish" },
      log: console.log,
    });
    return { accuracy: result.accuracy, minutes, auto };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Export with the conversion, predict the raw test WAVs from the file alone, and count the hits. */
async function checkRawPredict(
  model: Parameters<typeof exportInferenceModel>[0],
  classes: string[],
  backbone: Backbone,
  size: [number, number],
  images: string,
  wavs: string[],
  labels: number[],
): Promise<void> {
  const path = join(images, "..", "model.onnx");
  const conversion = await findConversion(images);
  const preprocessing = { size: { height: size[0], width: size[1] }, resize: { method: "squish" as const }, normalization: backbone.normalization };
  await saveInferenceModel(await exportInferenceModel(model, { classes, preprocessing, architecture: `${backbone.name} + fastai head`, conversion }), path);
  const started = performance.now();
  const { predictions, failures } = await predictFiles(path, wavs, { topK: 1, session: { intraOpNumThreads: 2 } });
  const hits = predictions.filter((p, i) => p.classIndex === labels[i]).length;
  console.log(
    `    exported model on the raw test WAVs: ${percent(hits / predictions.length)} (${predictions.length} files, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}
