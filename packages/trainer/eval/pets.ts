/** Oxford-IIIT Pet sample (37 breeds × 10 images): stratified k-fold fine-tuning, accuracy mean ± std. */
import { findSharedDataset, readImageFolder, stratifiedKFold } from "../src/data/index.ts";
import type { Backbone } from "./backbones.ts";
import { type CaseResult, runFineTune } from "./fine-tune-case.ts";
import { percent } from "./report.ts";

export interface PetsOptions {
  epochs: number;
  folds: number;
}

export interface PetsResult {
  /** Mean accuracy over the folds and its sample standard deviation. */
  mean: number;
  std: number;
  folds: CaseResult[];
}

export async function evaluatePets(backbone: Backbone, options: PetsOptions): Promise<PetsResult | undefined> {
  const root = findSharedDataset("oxford_pets_sample");
  if (!root) {
    console.log("  skipped: ../shared/datasets/oxford_pets_sample is absent");
    return undefined;
  }
  const dataset = await readImageFolder(root);
  const folds = stratifiedKFold(dataset.items, options.folds, 42);
  console.log(`  ${dataset.items.length} images, ${dataset.classes.length} classes, ${options.folds} folds, fine_tune(${options.epochs})`);
  const results: CaseResult[] = [];
  for (const [i, split] of folds.entries()) {
    const result = await runFineTune({ dataset, split, backbone, epochs: options.epochs, freezeEpochs: 1, baseLr: 2e-3, batchSize: 32 });
    results.push(result);
    const perEpoch = result.epochs.map((e) => e.seconds.toFixed(1)).join(", ");
    console.log(
      `    fold ${i}: accuracy ${percent(result.accuracy)}, epochs ${perEpoch} s, ${result.imagesPerSecond.toFixed(1)} img/s, wall ${result.wallSeconds.toFixed(1)} s`,
    );
  }
  const accuracies = results.map((r) => r.accuracy);
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  // Sample standard deviation over folds.
  const std = Math.sqrt(accuracies.reduce((sum, a) => sum + (a - mean) ** 2, 0) / Math.max(1, accuracies.length - 1));
  console.log(`  → ${options.folds}-fold accuracy ${percent(mean)} ± ${percent(std)}`);
  return { mean, std, folds: results };
}
