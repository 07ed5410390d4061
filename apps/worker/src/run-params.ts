/** A run's typed params: the backbone, data and device; AUTO's choice and what it tried; each stage of the recipe. */
import { typedParam, type TypedParam } from "@runboard/db";
import type { Conversion } from "@runboard/trainer/convert";
import type { Learner } from "@runboard/trainer/learner";
import type { AutoReport, ConcreteRecipe, RecipeSettings, Stage } from "@runboard/trainer/recipes";
import type { DeviceOptions, RunData } from "./run-inputs.ts";
import type { ClaimedRun } from "./run-store.ts";

/** A converted dataset's kind and options as params (data.conversion.nMels, ...), so runs compare by them. */
function conversionParams(conversion: Conversion): TypedParam[] {
  const params = [typedParam("data.conversion", conversion.kind)];
  if (conversion.kind === "timeseries") params.push(typedParam("data.conversion.format", conversion.format));
  for (const [option, value] of Object.entries(conversion.options)) {
    if (value === null) continue;
    const scalar =
      typeof value === "number" || typeof value === "boolean" || typeof value === "string"
        ? value
        : Array.isArray(value)
          ? value.join(",")
          : JSON.stringify(value);
    params.push(typedParam(`data.conversion.${option}`, scalar));
  }
  return params;
}

/** The backbone, data and device of the run, as typed params (set once; a resumed run sends the same values). */
export function runParams(run: ClaimedRun, data: RunData, device: DeviceOptions): TypedParam[] {
  const { architecture } = run;
  const params: TypedParam[] = [
    typedParam("transfer.backbone", architecture.name),
    typedParam("transfer.backbone_family", architecture.family),
    typedParam("transfer.weights_source", architecture.pretrainedOn ?? "unknown"),
    typedParam("transfer.weights_file", architecture.fileUri ?? architecture.name),
    typedParam("data.classes", data.dataset.classes.length),
    typedParam("data.content_hash", data.dataset.contentHash),
    typedParam("data.train_items", data.split.train.length),
    typedParam("data.valid_items", data.split.valid.length),
    typedParam("worker.device", device.device),
  ];
  if (data.conversion) params.push(...conversionParams(data.conversion));
  if (architecture.fileHash) params.push(typedParam("transfer.weights_sha256", architecture.fileHash));
  return params;
}

/** The recipe that trains the model (AUTO's choice), its settings, and what AUTO tried and why it chose. */
export function choiceParams(recipe: ConcreteRecipe, settings: RecipeSettings, auto: AutoReport | undefined): TypedParam[] {
  const params = [typedParam("transfer.recipe", recipe), typedParam("transfer.views", settings.views)];
  if (recipe !== "LINEAR_PROBE") params.push(typedParam("transfer.epochs", settings.epochs), typedParam("transfer.learning_rate", settings.learningRate));
  if (recipe === "FINE_TUNE") params.push(typedParam("transfer.freeze_epochs", settings.freezeEpochs));
  if (settings.features !== undefined) params.push(typedParam("transfer.probe_features", settings.features));
  if (settings.l2 !== undefined) params.push(typedParam("transfer.probe_l2", settings.l2));
  if (auto === undefined) return params;
  params.push(typedParam("auto.probe_features", auto.probeFeatures.chosen), typedParam("auto.probe_features_reason", auto.probeFeatures.reason));
  for (const tried of auto.probeFeatures.tried) params.push(typedParam(`auto.probe_features_${tried.features.toLowerCase()}.cv_accuracy`, tried.cvAccuracy));
  params.push(
    typedParam("auto.chosen", auto.winner.recipe),
    typedParam("auto.reason", auto.reason),
    typedParam("auto.budget_seconds", auto.budgetSeconds),
    typedParam("auto.selection", auto.selection),
    typedParam("auto.fitting_items", auto.fitting),
    typedParam("auto.scored_items", auto.scored),
  );
  auto.candidates.forEach((candidate, i) => {
    const key = `auto.candidate_${i}`;
    params.push(typedParam(`${key}.recipe`, candidate.recipe), typedParam(`${key}.seconds`, candidate.seconds));
    if (candidate.recipe !== "LINEAR_PROBE")
      params.push(typedParam(`${key}.epochs`, candidate.settings.epochs), typedParam(`${key}.learning_rate`, candidate.settings.learningRate));
    if (candidate.selectionAccuracy !== undefined) params.push(typedParam(`${key}.selection_accuracy`, candidate.selectionAccuracy));
    if (candidate.skipped !== undefined) params.push(typedParam(`${key}.skipped`, candidate.skipped));
  });
  return params;
}

export function stageParams(stage: Stage, learner: Learner): TypedParam[] {
  const key = `transfer.stage_${stage.index}`;
  return [
    typedParam("transfer.layer_groups", learner.groupCount),
    typedParam(`${key}.phase`, stage.phase),
    typedParam(`${key}.epochs`, stage.epochs),
    ...stage.learningRates.map((lr, g) => typedParam(`${key}.lr_group_${g}`, lr)),
  ];
}
