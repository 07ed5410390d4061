/** Runs: reading one, creating one for an external script, tags, note, finishing. */
import { badInput, insertParams, notFound, notifyRunUpdated, paramsFromHyperparameters, type Queryable, RUN_COLUMNS, type RunRecord } from "@runboard/db";
import { z } from "zod";
import { limits } from "../limits.ts";
import { BLANK_KEY_RULE, description, id, name, parseArgs, tag } from "../validation.ts";
import { authorize, type Permission } from "./permissions.ts";
import { readableProject, type Scope } from "./projects.ts";

/** A run the caller holds `permission` on; NOT_FOUND for runs of other teams. */
export async function accessibleRun(scope: Scope, runId: string, permission: Permission): Promise<RunRecord> {
  const run = await scope.loaders.run.load(runId);
  if (run === null) throw notFound("run", runId);
  authorize(scope.caller, run.teamId, permission, { kind: "run", id: runId });
  return run;
}

/** Null (not an error) for a missing or foreign run, as `run(id)` promises. */
export async function findRun(scope: Scope, args: unknown): Promise<RunRecord | null> {
  const input = parseArgs(z.object({ id }), args);
  const run = await scope.loaders.run.load(input.id);
  return run !== null && scope.caller.roles.has(run.teamId) ? run : null;
}

const tags = z
  .array(tag)
  .max(limits.tags, { message: `must hold at most ${limits.tags} tags` })
  .transform((list) => [...new Set(list)]);

/** The path of the first key of only spaces in a hyperparameter object (its scalar leaves become params), or null. */
function blankKeyPath(value: Record<string, unknown>, prefix: string[] = []): string[] | null {
  for (const [name, child] of Object.entries(value)) {
    if (name.trim() === "") return [...prefix, name];
    if (typeof child === "object" && child !== null && !Array.isArray(child)) {
      const found = blankKeyPath(child as Record<string, unknown>, [...prefix, name]);
      if (found !== null) return found;
    }
  }
  return null;
}

const createRunArgs = z.object({
  input: z.object({
    projectId: id,
    experimentId: id.nullish(),
    name,
    datasetId: id.nullish(),
    architectureId: id.nullish(),
    parentRunId: id.nullish(),
    seed: z.number().int({ message: "must be a whole number" }).nullish(),
    groupKey: name.nullish(),
    fold: z.number().int({ message: "must be a whole number" }).min(0, { message: "must be ≥ 0" }).nullish(),
    tags: tags.nullish(),
    note: description.nullish(),
    hyperparameters: z
      .record(z.string(), z.unknown(), { message: "must be a JSON object" })
      .superRefine((value, ctx) => {
        const path = blankKeyPath(value);
        if (path !== null) ctx.addIssue({ code: "custom", path, message: BLANK_KEY_RULE });
      })
      .nullish(),
  }),
});

type CreateRunInput = z.output<typeof createRunArgs>["input"];

/** Every referenced record must exist in the project's team (else NOT_FOUND, as if absent). */
async function checkReferences(scope: Scope, input: CreateRunInput, teamId: string): Promise<void> {
  const { loaders } = scope;
  const [experiment, dataset, architecture, parentRun] = await Promise.all([
    input.experimentId ? loaders.experiment.load(input.experimentId) : null,
    input.datasetId ? loaders.dataset.load(input.datasetId) : null,
    input.architectureId ? loaders.architecture.load(input.architectureId) : null,
    input.parentRunId ? loaders.run.load(input.parentRunId) : null,
  ]);
  const checks: Array<[string, string | null | undefined, { teamId: string } | null]> = [
    ["experiment", input.experimentId, experiment],
    ["dataset", input.datasetId, dataset],
    ["architecture", input.architectureId, architecture],
    ["run", input.parentRunId, parentRun],
  ];
  for (const [kind, refId, record] of checks) {
    if (refId && record?.teamId !== teamId) throw notFound(kind, refId);
  }
  if (experiment !== null && experiment.projectId !== input.projectId) {
    throw badInput("input.experimentId", "must be an experiment of the run's project");
  }
}

export async function createRun(scope: Scope, args: unknown): Promise<RunRecord> {
  const { input } = parseArgs(createRunArgs, args);
  const project = await readableProject(scope, input.projectId);
  authorize(scope.caller, project.teamId, "run:write", { kind: "project", id: project.id });
  await checkReferences(scope, input, project.teamId);
  const params = paramsFromHyperparameters(input.hyperparameters ?? {});
  return scope.db.transaction(async (tx) => {
    const [run] = await tx.rows<RunRecord>(
      `INSERT INTO run AS r (id, team_id, project_id, experiment_id, name, status, started_at, hyperparameters,
         dataset_id, architecture_id, seed, group_key, fold, tags, note, parent_run_id, created_by_id)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 'RUNNING', now(), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       RETURNING ${RUN_COLUMNS}`,
      [
        project.teamId,
        project.id,
        input.experimentId ?? null,
        input.name,
        JSON.stringify(input.hyperparameters ?? {}),
        input.datasetId ?? null,
        input.architectureId ?? null,
        input.seed ?? null,
        input.groupKey ?? null,
        input.fold ?? null,
        input.tags ?? [],
        input.note ?? "",
        input.parentRunId ?? null,
        scope.caller.userId,
      ],
    );
    if (run === undefined) throw new Error("insert returned no run");
    await insertParams(tx, run.id, params);
    await notifyRunUpdated(tx, run);
    return run;
  });
}

async function updateRun(scope: Scope, runId: string, assignments: string, values: unknown[], where = "TRUE") {
  await accessibleRun(scope, runId, "run:write");
  return scope.db.transaction(async (tx: Queryable) => {
    const [run] = await tx.rows<RunRecord>(`UPDATE run r SET ${assignments} WHERE r.id = $1 AND ${where} RETURNING ${RUN_COLUMNS}`, [runId, ...values]);
    if (run !== undefined) await notifyRunUpdated(tx, run);
    return run;
  });
}

export async function setTags(scope: Scope, args: unknown): Promise<RunRecord> {
  const input = parseArgs(z.object({ runId: id, tags }), args);
  const run = await updateRun(scope, input.runId, "tags = $2", [input.tags]);
  if (run === undefined) throw notFound("run", input.runId);
  return run;
}

export async function setNote(scope: Scope, args: unknown): Promise<RunRecord> {
  const input = parseArgs(z.object({ runId: id, note: description }), args);
  const run = await updateRun(scope, input.runId, "note = $2", [input.note]);
  if (run === undefined) throw notFound("run", input.runId);
  return run;
}

const finishRunArgs = z.object({
  runId: id,
  status: z.enum(["SUCCEEDED", "FAILED", "CANCELED"]),
  error: description.nullish(),
});

/** Only a QUEUED or RUNNING run can finish; the check and the write are one statement. */
export async function finishRun(scope: Scope, args: unknown): Promise<RunRecord> {
  const input = parseArgs(finishRunArgs, args);
  const run = await updateRun(
    scope,
    input.runId,
    `status = $2::"RunStatus", finished_at = now(), error = $3`,
    [input.status, input.error ?? null],
    `r.status IN ('QUEUED', 'RUNNING')`,
  );
  if (run === undefined) throw badInput("runId", "run has already finished");
  return run;
}
