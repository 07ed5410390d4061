/**
 * runs/create, get, update, delete, restore. A run created here is an ordinary Runboard run
 * (status RUNNING, in the experiment's project), so the dashboard and the GraphQL API show it
 * like any run a script created through createRun.
 */
import { randomBytes } from "node:crypto";
import { notifyRunUpdated, type Queryable } from "@runboard/db";
import type { Handler, MlflowRequest } from "./context.ts";
import { invalidField, MlflowError } from "./errors.ts";
import {
  entityKey,
  entityValue,
  item,
  list,
  MAX_TAG_VALUE_LENGTH,
  optionalInteger,
  optionalString,
  requiredString,
  runIdOf,
  type RequestFields,
} from "./input.ts";
import { RUN_NAME_TAG, writeTags } from "./params.ts";
import { isTerminal, runboardStatus, runInfoJson, runJson, type KeyValue, type MlflowRunRow } from "./shapes.ts";
import { accessibleExperiment, accessibleRun, activeRun, RUN_SELECT, runData } from "./store.ts";

const USER_TAG = "mlflow.user";
/** Runboard's limit on run names (the GraphQL API's). */
const MAX_RUN_NAME_LENGTH = 200;
const MAX_TIME_MS = 8_640_000_000_000_000;

/** Errors of an item of a list name its path: `tags[2].key: is required`. */
export function inItem<T>(prefix: string, read: () => T): T {
  if (prefix === "") return read();
  try {
    return read();
  } catch (error) {
    if (error instanceof MlflowError && error.code === "INVALID_PARAMETER_VALUE") throw new MlflowError(error.code, `${prefix}.${error.message}`);
    throw error;
  }
}

export function runName(value: string, field: string): string {
  const name = value.trim();
  if (name === "") throw invalidField(field, "must hold more than spaces");
  if (name.length > MAX_RUN_NAME_LENGTH) throw invalidField(field, `must be at most ${MAX_RUN_NAME_LENGTH} characters`);
  return name;
}

export function readTag(fields: RequestFields, prefix: string): KeyValue {
  return inItem(prefix, () => {
    const key = entityKey(fields, "key");
    const value = entityValue(fields, "value", MAX_TAG_VALUE_LENGTH);
    return { key, value: key === RUN_NAME_TAG ? runName(value, "value") : value };
  });
}

export function readTags(fields: RequestFields, maxItems: number): KeyValue[] {
  return list(fields, "tags", maxItems).map((tag, index) => readTag(item(tag, `tags[${index}]`), `tags[${index}]`));
}

/** A time in ms since the epoch that a Date can hold. */
export function timeMs(fields: RequestFields, field: string): number | undefined {
  return optionalInteger(fields, field, 0, MAX_TIME_MS);
}

/** MLflow's server names unnamed runs; so does Runboard, shorter. */
function generatedName(): string {
  return `run-${randomBytes(4).toString("hex")}`;
}

export async function readRun(db: Queryable, runId: string): Promise<MlflowRunRow> {
  const [run] = await db.rows<MlflowRunRow>(`${RUN_SELECT} WHERE r.id = $1`, [runId]);
  if (run === undefined) throw new Error(`run ${runId} vanished inside its transaction`);
  return run;
}

export async function runResponse(request: MlflowRequest, run: MlflowRunRow) {
  const data = await runData(request.scope.db, [run.id]);
  return { run: runJson(run, data.get(run.id) ?? { metrics: [], params: [], tags: [] }) };
}

const create: Handler = async (request) => {
  const { scope, fields } = request;
  const experimentId = requiredString(fields, "experiment_id", 100);
  const tags = readTags(fields, 100);
  const userId = optionalString(fields, "user_id", MAX_TAG_VALUE_LENGTH);
  const startTime = timeMs(fields, "start_time");
  const givenName = optionalString(fields, "run_name", 1000);
  const tagName = tags.findLast((tag) => tag.key === RUN_NAME_TAG)?.value;
  const name = givenName ? runName(givenName, "run_name") : (tagName ?? generatedName());
  const experiment = await accessibleExperiment(scope, experimentId, "run:write");
  if (experiment.deletedAt !== null) throw invalidField("experiment_id", `experiment '${experimentId}' is deleted: restore it before creating runs in it`);
  const systemTags: KeyValue[] = [{ key: RUN_NAME_TAG, value: name }];
  if (userId && !tags.some((tag) => tag.key === USER_TAG)) systemTags.push({ key: USER_TAG, value: userId });
  const run = await scope.db.transaction(async (tx) => {
    const [created] = await tx.rows<{ id: string; teamId: string }>(
      `INSERT INTO run (id, team_id, project_id, name, status, started_at, created_by_id)
       VALUES (gen_random_uuid(), $1, $2, $3, 'RUNNING', coalesce(to_timestamp($4::float8 / 1000), now()), $5)
       RETURNING id, team_id AS "teamId"`,
      [experiment.teamId, experiment.id, name, startTime ?? null, scope.caller.userId],
    );
    if (created === undefined) throw new Error("insert returned no run");
    await writeTags(tx, created.id, [...tags.filter((tag) => tag.key !== RUN_NAME_TAG), ...systemTags]);
    await notifyRunUpdated(tx, created);
    return readRun(tx, created.id);
  });
  return runResponse(request, run);
};

const get: Handler = async (request) => runResponse(request, await accessibleRun(request.scope, runIdOf(request.fields), "team:read"));

const update: Handler = async ({ scope, fields }) => {
  const runId = runIdOf(fields);
  const statusText = optionalString(fields, "status", 20);
  const status = statusText ? runboardStatus(statusText, "status") : undefined;
  const endTime = timeMs(fields, "end_time");
  const givenName = optionalString(fields, "run_name", 1000);
  const name = givenName ? runName(givenName, "run_name") : undefined;
  const run = await activeRun(scope, runId);
  const updated = await scope.db.transaction(async (tx) => {
    // A terminal status without end_time ends the run now (once); an explicit end_time always wins.
    await tx.run(
      `UPDATE run SET status = coalesce($2::"RunStatus", status), name = coalesce($3, name),
         finished_at = CASE WHEN $4::float8 IS NOT NULL THEN to_timestamp($4::float8 / 1000)
                            WHEN $5 THEN coalesce(finished_at, now()) ELSE finished_at END
       WHERE id = $1`,
      [run.id, status ?? null, name ?? null, endTime ?? null, status !== undefined && isTerminal(status)],
    );
    if (name !== undefined) await writeTags(tx, run.id, [{ key: RUN_NAME_TAG, value: name }]);
    await notifyRunUpdated(tx, run);
    return readRun(tx, run.id);
  });
  return { run_info: runInfoJson(updated) };
};

async function setDeleted(request: MlflowRequest, deleted: boolean): Promise<object> {
  const { scope } = request;
  const run = await accessibleRun(scope, runIdOf(request.fields), "run:write");
  if (!deleted && run.deletedAt === null) throw invalidField("run_id", `run '${run.id}' is not deleted`);
  await scope.db.transaction(async (tx) => {
    await tx.run(`UPDATE run SET deleted_at = CASE WHEN $2 THEN coalesce(deleted_at, now()) END WHERE id = $1`, [run.id, deleted]);
    await notifyRunUpdated(tx, run);
  });
  return {};
}

export const runRoutes: Record<string, { methods: string[]; handle: Handler }> = {
  "runs/create": { methods: ["POST"], handle: create },
  "runs/get": { methods: ["GET"], handle: get },
  "runs/update": { methods: ["POST"], handle: update },
  "runs/delete": { methods: ["POST"], handle: (request) => setDeleted(request, true) },
  "runs/restore": { methods: ["POST"], handle: (request) => setDeleted(request, false) },
};
