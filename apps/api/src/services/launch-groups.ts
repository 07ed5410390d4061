/** Launching several runs at once: sweeps (grid, random), k-fold, and clones of a run. */
import { badInput, type RunRecord } from "@runboard/db";
import { z } from "zod";
import { id, name, parseArgs, tag } from "../validation.ts";
import { defaultRunName, launchBaseSchema, type LaunchPlan, type LaunchScope, launchPlans, newGroupKey, parseSettings, resolveTarget } from "./launch.ts";
import { accessibleRun } from "./runs.ts";
import { applyOverrides, checkSweepParameters, describeOverrides, gridOverrides, randomOverrides, type SweepParameter } from "./sweep.ts";

export interface LaunchGroup {
  groupKey: string;
  runs: RunRecord[];
}

const sweepArgs = z.object({
  input: z.object({
    base: launchBaseSchema,
    method: z.enum(["GRID", "RANDOM"]).default("GRID"),
    parameters: z.array(
      z.object({
        key: z.string(),
        values: z.array(z.unknown()).nullish(),
        min: z.number().nullish(),
        max: z.number().nullish(),
        log: z.boolean().nullish(),
        integer: z.boolean().nullish(),
      }),
    ),
    trials: z.number().int({ message: "must be a whole number" }).default(10),
    seed: z.number().int({ message: "must be a whole number" }).default(0),
  }),
});

export async function launchSweep(scope: LaunchScope, args: unknown): Promise<LaunchGroup> {
  const { input } = parseArgs(sweepArgs, args);
  const parameters = input.parameters as SweepParameter[];
  checkSweepParameters(parameters, input.method);
  const target = await resolveTarget(scope, input.base, "input.base");
  const baseSettings = input.base.settings ?? {};
  parseSettings(baseSettings, "input.base.settings");
  const overrides = input.method === "GRID" ? gridOverrides(parameters) : randomOverrides(parameters, input.trials, input.seed);
  const groupKey = newGroupKey("sweep");
  const plans: LaunchPlan[] = overrides.map((override, index) => ({
    name: `${defaultRunName(target)} [${describeOverrides(override)}]`,
    settings: parseSettings(applyOverrides(baseSettings, override), `input.parameters (run ${index + 1})`),
    groupKey,
  }));
  return { groupKey, runs: await launchPlans(scope, target, plans) };
}

const kFoldArgs = z.object({
  input: z.object({
    base: launchBaseSchema,
    folds: z.number().int({ message: "must be a whole number" }).min(2, { message: "must be ≥ 2" }).max(50, { message: "must be ≤ 50" }).default(5),
  }),
});

export async function launchKFold(scope: LaunchScope, args: unknown): Promise<LaunchGroup> {
  const { input } = parseArgs(kFoldArgs, args);
  const target = await resolveTarget(scope, input.base, "input.base");
  const settings = parseSettings(input.base.settings, "input.base.settings");
  const groupKey = newGroupKey("kfold");
  const plans: LaunchPlan[] = Array.from({ length: input.folds }, (_, fold) => ({
    name: `${defaultRunName(target)} [fold ${fold + 1}/${input.folds}]`,
    settings,
    extra: { folds: input.folds },
    groupKey,
    fold,
  }));
  return { groupKey, runs: await launchPlans(scope, target, plans) };
}

const cloneArgs = z.object({
  input: z.object({
    runId: id,
    name: name.nullish(),
    settings: z.record(z.string(), z.unknown(), { message: "must be an object" }).nullish(),
    tags: z.array(tag).nullish(),
    priority: z.number().int({ message: "must be a whole number" }).default(0),
  }),
});

/** Settings changes as a partial object; augmentation is merged field by field. */
function mergeSettings(frozen: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...frozen, ...changes };
  if (typeof changes.augmentation === "object" && changes.augmentation !== null) {
    merged.augmentation = { ...(frozen.augmentation as object | undefined), ...changes.augmentation };
  }
  return merged;
}

export async function cloneRun(scope: LaunchScope, args: unknown): Promise<RunRecord> {
  const { input } = parseArgs(cloneArgs, args);
  const source = await accessibleRun(scope, input.runId, "team:read");
  if (source.datasetId === null || source.architectureId === null) {
    throw badInput("input.runId", "only runs with a dataset and an architecture can be cloned");
  }
  const { folds, ...frozen } = (source.hyperparameters ?? {}) as Record<string, unknown>;
  const base = launchBaseSchema.parse({
    projectId: source.projectId,
    experimentId: source.experimentId,
    name: input.name ?? `${source.name} (clone)`,
    datasetId: source.datasetId,
    architectureId: source.architectureId,
    tags: input.tags ?? source.tags,
    note: "",
    priority: input.priority,
    maxAttempts: source.maxAttempts,
  });
  const target = await resolveTarget(scope, base);
  const settings = parseSettings(mergeSettings(frozen, input.settings ?? {}), "input.settings");
  const keepFold = source.fold !== null && typeof folds === "number";
  const [run] = await launchPlans(scope, target, [
    {
      name: base.name!,
      settings,
      parentRunId: source.id,
      ...(keepFold ? { extra: { folds }, fold: source.fold!, ...(source.groupKey ? { groupKey: source.groupKey } : {}) } : {}),
    },
  ]);
  return run!;
}
