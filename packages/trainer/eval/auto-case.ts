/**
 * One evaluation run of a training spec (AUTO by default): the recipe it chose, the final
 * validation accuracy beside the linear probe's, and the wall time of the whole run
 * (selection included).
 */
import type { ImageDataset, Split } from "../src/data/index.ts";
import { accuracy, ProgressCallback } from "../src/learner/index.ts";
import { type AutoReport, describe, type RecipeName, resolveTrainingSpec, trainWithSpec } from "../src/recipes/index.ts";
import type { Backbone } from "./backbones.ts";
import { percent } from "./report.ts";

export interface SpecCase {
  dataset: ImageDataset;
  split: Split;
  backbone: Backbone;
  recipe?: RecipeName;
  budgetSeconds?: number;
  batchSize?: number;
  /** Training augmentation; false for converted data (default fastai's). */
  augment?: false;
  resize?: { method: "squish" };
  /** Print the recipe's lines (what AUTO tried) and progress bars. */
  log?: (line: string) => void;
}

export interface SpecCaseResult {
  accuracy: number;
  probeAccuracy: number;
  /** The recipe that made the model, with its settings, e.g. "LP_FT (2 epochs, lr 0.0001, stages features)". */
  chosen: string;
  auto?: AutoReport;
  wallSeconds: number;
}

export async function runSpecCase(options: SpecCase): Promise<SpecCaseResult> {
  const started = performance.now();
  const spec = resolveTrainingSpec({
    recipe: options.recipe ?? "AUTO",
    batchSize: options.batchSize ?? 32,
    seed: 42,
    ...(options.budgetSeconds ? { budgetSeconds: options.budgetSeconds } : {}),
  });
  const outcome = await trainWithSpec(
    {
      dataset: options.dataset,
      split: options.split,
      backbone: options.backbone.model,
      normalization: options.backbone.normalization,
      inputSize: options.backbone.size,
      metrics: [accuracy],
      session: { intraOpNumThreads: 2 },
      ...(options.augment === false ? { augment: false as const } : {}),
      ...(options.resize ? { resize: options.resize } : {}),
      callbacks: options.log ? [new ProgressCallback()] : [],
      ...(options.log ? { log: (line: string) => options.log!(`    ${line}`) } : {}),
    },
    spec,
  );
  try {
    const result = await outcome.learner.validate();
    const chosen = describe(outcome);
    const accuracyValue = result.metrics.accuracy ?? Number.NaN;
    options.log?.(`  → ${percent(accuracyValue)} with ${chosen}; linear probe ${percent(outcome.probe.validAccuracy)}`);
    return {
      accuracy: accuracyValue,
      probeAccuracy: outcome.probe.validAccuracy,
      chosen,
      ...(outcome.auto ? { auto: outcome.auto } : {}),
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await outcome.close();
  }
}
