/**
 * Launching runs: each run is written QUEUED with every setting frozen (defaults filled in),
 * and its queue job is added in the same transaction, so a run never exists without its job
 * nor a job without its run.
 */
import { randomUUID } from "node:crypto";
import {
  type ArchitectureRecord,
  badInput,
  type DatasetRecord,
  insertParams,
  notifyRunUpdated,
  paramsFromHyperparameters,
  type ProjectRecord,
  type Queryable,
  RUN_COLUMNS,
  type RunRecord,
} from "@runboard/db";
import { enqueueTrainJob, installQueue, type TrainingSettings, trainingSettingsSchema } from "@runboard/queue";
import { z } from "zod";
import { limits } from "../limits.ts";
import { description, id, name, parseArgs, tag } from "../validation.ts";
import { authorize } from "./permissions.ts";
import { readableProject, type Scope } from "./projects.ts";
import { modelFileOf, type PathRoots, readableByTeam } from "./source-paths.ts";

/** A launch's scope: the request's, with the roots its records' paths are checked against. */
export type LaunchScope = Scope & { launch: PathRoots };

/** The one refusal for a record whose files the launching team may not read (or that are gone). */
export const LAUNCH_PATH_RULE = "its files must lie inside the server's source folders or the team's own uploads";

const tags = z
  .array(tag)
  .max(limits.tags, { message: `must hold at most ${limits.tags} tags` })
  .transform((list) => [...new Set(list)]);

export const launchBaseSchema = z.object({
  projectId: id,
  experimentId: id.nullish(),
  name: name.nullish(),
  datasetId: id,
  architectureId: id,
  settings: z.record(z.string(), z.unknown(), { message: "must be an object" }).nullish(),
  tags: tags.nullish(),
  note: description.nullish(),
  priority: z
    .number()
    .int({ message: "must be a whole number" })
    .min(-1000, { message: "must be ≥ -1000" })
    .max(1000, { message: "must be ≤ 1000" })
    .default(0),
  maxAttempts: z.number().int({ message: "must be a whole number" }).min(1, { message: "must be ≥ 1" }).max(10, { message: "must be ≤ 10" }).default(3),
});

export type LaunchBase = z.output<typeof launchBaseSchema>;

/** What one launched run is made of, checked and resolved. */
export interface LaunchPlan {
  name: string;
  settings: TrainingSettings;
  /** Extra frozen hyperparameters (folds of a k-fold). */
  extra?: Record<string, unknown>;
  groupKey?: string;
  fold?: number;
  parentRunId?: string;
}

export interface LaunchTarget {
  base: LaunchBase;
  project: ProjectRecord;
  dataset: DatasetRecord;
  architecture: ArchitectureRecord;
}

/** Settings with defaults filled in; a bad value is a field error under `field`. */
export function parseSettings(settings: unknown, field: string): TrainingSettings {
  const result = trainingSettingsSchema.safeParse(settings ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  throw badInput(path === "" ? field : `${field}.${path}`, issue?.message ?? "invalid");
}

/** The project, dataset and architecture of a launch, all of one team the caller may launch in. */
export async function resolveTarget(scope: LaunchScope, base: LaunchBase, field = "input"): Promise<LaunchTarget> {
  const project = await readableProject(scope, base.projectId);
  authorize(scope.caller, project.teamId, "run:launch", { kind: "project", id: project.id });
  const [dataset, architecture, experiment] = await Promise.all([
    scope.loaders.dataset.load(base.datasetId),
    scope.loaders.architecture.load(base.architectureId),
    base.experimentId ? scope.loaders.experiment.load(base.experimentId) : null,
  ]);
  if (dataset === null || dataset.teamId !== project.teamId) throw badInput(`${field}.datasetId`, "no dataset with this id in the project's team");
  if (architecture === null || architecture.teamId !== project.teamId) {
    throw badInput(`${field}.architectureId`, "no architecture with this id in the project's team");
  }
  if (base.experimentId && experiment?.projectId !== project.id) throw badInput(`${field}.experimentId`, "must be an experiment of the project");
  await checkReadablePaths(scope.launch, dataset, architecture, field);
  return { base, project, dataset, architecture };
}

/**
 * Checked again at launch, since the worker will read them: the dataset's source and the
 * architecture's model file lie where the team may read (readableByTeam), as they are now.
 */
async function checkReadablePaths(roots: PathRoots, dataset: DatasetRecord, architecture: ArchitectureRecord, field: string): Promise<void> {
  if ((await readableByTeam(dataset.sourceUri, { teamId: dataset.teamId, datasetId: dataset.id }, roots)) === null) {
    throw badInput(`${field}.datasetId`, LAUNCH_PATH_RULE);
  }
  const model = modelFileOf(architecture.fileUri ?? architecture.name);
  if (model !== null && (await readableByTeam(model, { teamId: architecture.teamId }, roots)) === null) {
    throw badInput(`${field}.architectureId`, LAUNCH_PATH_RULE);
  }
}

export function defaultRunName(target: LaunchTarget): string {
  return target.base.name ?? `${target.architecture.name} on ${target.dataset.name}`;
}

export function newGroupKey(kind: "sweep" | "kfold"): string {
  return `${kind}-${randomUUID().slice(0, 8)}`;
}

async function insertRun(tx: Queryable, scope: Scope, target: LaunchTarget, plan: LaunchPlan): Promise<RunRecord> {
  const { base, project } = target;
  const hyperparameters = { ...plan.settings, ...plan.extra };
  const [run] = await tx.rows<RunRecord>(
    `INSERT INTO run AS r (id, team_id, project_id, experiment_id, name, status, hyperparameters, dataset_id, architecture_id,
       seed, group_key, fold, tags, note, parent_run_id, created_by_id, priority, max_attempts)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, 'QUEUED', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     RETURNING ${RUN_COLUMNS}`,
    [
      project.teamId,
      project.id,
      base.experimentId ?? null,
      plan.name,
      JSON.stringify(hyperparameters),
      target.dataset.id,
      target.architecture.id,
      plan.settings.seed,
      plan.groupKey ?? null,
      plan.fold ?? null,
      base.tags ?? [],
      base.note ?? "",
      plan.parentRunId ?? null,
      scope.caller.userId,
      base.priority,
      base.maxAttempts,
    ],
  );
  if (run === undefined) throw new Error("insert returned no run");
  await insertParams(tx, run.id, paramsFromHyperparameters(hyperparameters));
  await enqueueTrainJob(tx, { runId: run.id, attempt: 1 }, base.priority);
  await notifyRunUpdated(tx, run);
  return run;
}

/** Writes every planned run and its job in one transaction: all are launched or none. */
export async function launchPlans(scope: Scope, target: LaunchTarget, plans: LaunchPlan[]): Promise<RunRecord[]> {
  await installQueue(scope.db.pool);
  return scope.db.transaction(async (tx) => {
    const runs: RunRecord[] = [];
    for (const plan of plans) runs.push(await insertRun(tx, scope, target, plan));
    return runs;
  });
}

export async function launchRun(scope: LaunchScope, args: unknown): Promise<RunRecord> {
  const { input } = parseArgs(z.object({ input: launchBaseSchema }), args);
  const target = await resolveTarget(scope, input);
  const settings = parseSettings(input.settings, "input.settings");
  const [run] = await launchPlans(scope, target, [{ name: defaultRunName(target), settings }]);
  return run!;
}
