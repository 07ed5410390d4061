/**
 * The photo sections through the default recipe, AUTO (it chooses on the training split only,
 * within a time budget): ants/bees and the Oxford-IIIT Pet sample in k-fold with the built-in
 * ImageNet MobileNetV2, and ants/bees with the nsfwjs backbones (reported, no target). Each
 * row prints the linear probe's accuracy on the same split beside the recipe's.
 */
import { describeSkipped, findSharedDataset, readImageFolder, splitTrainValid, stratifiedKFold } from "../src/data/index.ts";
import { builtInMobileNetV2, nsfwjsBackbone, type Backbone } from "./backbones.ts";
import { runSpecCase, type SpecCaseResult } from "./auto-case.ts";
import { percent } from "./report.ts";
import type { EvaluationSummary } from "./summary.ts";

/**
 * AUTO's budget per run (selection and final fit together), seconds: issue 15's 60 s on
 * ants/bees; 180 s per pets fold and 45 s per nsfwjs backbone to keep the CI run near 35
 * minutes (at the product's default, 300 s, a pets fold also tries LP-FT 5 epochs and the top
 * groups for 10, and the whole run takes about 20 minutes longer).
 */
export const AUTO_BUDGETS = { hymenoptera: 60, nsfwjs: 45, pets: 180 } as const;

const TARGETS = { hymenoptera: { accuracy: 0.97, seconds: 60 }, pets: { accuracy: 0.9 } } as const;

export async function autoHymenoptera(
  summary: EvaluationSummary,
  backbone: Backbone = builtInMobileNetV2(),
  model = "mobilenet-v2-imagenet",
  withTarget = true,
  budget: number = AUTO_BUDGETS.hymenoptera,
): Promise<void> {
  const root = findSharedDataset("hymenoptera_data");
  if (!root) return console.log("  skipped: ../shared/datasets/hymenoptera_data is absent");
  const dataset = await readImageFolder(root);
  if (dataset.skipped.length > 0) console.log(`  ${describeSkipped(dataset)}`);
  const split = splitTrainValid(dataset.items);
  console.log(`ants/bees, ${backbone.name}, AUTO (budget ${budget} s): ${split.train.length} train, ${split.valid.length} valid`);
  const result = await runSpecCase({ dataset, split, backbone, budgetSeconds: budget, log: console.log });
  const { accuracy, seconds } = TARGETS.hymenoptera;
  const target = withTarget ? `${result.accuracy >= accuracy && result.wallSeconds <= seconds ? "met" : "NOT met"} (≥ 97.0% in ≤ 60 s)` : undefined;
  console.log(
    `  ants/bees AUTO: ${percent(result.accuracy)} (probe ${percent(result.probeAccuracy)}), ${result.chosen}, ${result.wallSeconds.toFixed(1)} s wall${target ? `; target ${target}` : ""}`,
  );
  summary.add({
    section: "ants/bees AUTO",
    model,
    accuracy: result.accuracy,
    probeAccuracy: result.probeAccuracy,
    recipe: result.chosen,
    wallMinutes: result.wallSeconds / 60,
    ...(target ? { target } : {}),
  });
}

export async function autoNsfwjs(summary: EvaluationSummary): Promise<void> {
  for (const name of ["mobilenet_v2", "mobilenet_v2_mid", "inception_v3"] as const) {
    await autoHymenoptera(summary, nsfwjsBackbone(name), `nsfwjs-${name.replaceAll("_", "-")}`, false, AUTO_BUDGETS.nsfwjs);
  }
}

export async function autoPets(summary: EvaluationSummary, folds: number): Promise<void> {
  const root = findSharedDataset("oxford_pets_sample");
  if (!root) return console.log("  skipped: ../shared/datasets/oxford_pets_sample is absent");
  const dataset = await readImageFolder(root);
  const backbone = builtInMobileNetV2();
  console.log(
    `Oxford-IIIT Pet sample, ${folds}-fold, ${backbone.name}, AUTO (budget ${AUTO_BUDGETS.pets} s per fold): ${dataset.items.length} images, ${dataset.classes.length} classes`,
  );
  const results: SpecCaseResult[] = [];
  for (const [i, split] of stratifiedKFold(dataset.items, folds, 42).entries()) {
    const result = await runSpecCase({ dataset, split, backbone, budgetSeconds: AUTO_BUDGETS.pets, log: (line) => console.log(`  fold ${i}: ${line.trim()}`) });
    results.push(result);
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const std = (values: number[]) => Math.sqrt(values.reduce((sum, v) => sum + (v - mean(values)) ** 2, 0) / Math.max(1, values.length - 1));
  const accuracies = results.map((r) => r.accuracy);
  const probes = results.map((r) => r.probeAccuracy);
  const chosen = [...new Set(results.map((r) => r.chosen.split(" ")[0]))].join("/");
  const target = `${mean(accuracies) >= TARGETS.pets.accuracy ? "met" : "NOT met"} (≥ 90% mean)`;
  const wall = results.reduce((sum, r) => sum + r.wallSeconds, 0);
  console.log(
    `  pets AUTO: ${percent(mean(accuracies))} ± ${percent(std(accuracies))} (probe ${percent(mean(probes))} ± ${percent(std(probes))}), ${chosen}, ${(wall / 60).toFixed(1)} min; target ${target}`,
  );
  summary.add({
    section: `pets ${folds}-fold AUTO`,
    model: "mobilenet-v2-imagenet",
    accuracy: mean(accuracies),
    accuracyStd: std(accuracies),
    probeAccuracy: mean(probes),
    recipe: chosen,
    wallMinutes: wall / 60,
    target,
  });
}
