/**
 * Reads of experiments (projects) and runs as MLflow sees them, always through the caller's
 * team scope: a record of a team the caller is not in does not exist for them.
 */
import { type ParamRecord, paramValue, PROJECT_COLUMNS, type Queryable, RUN_COLUMNS } from "@runboard/db";
import { authorize, teamsWith, type Permission } from "../services/permissions.ts";
import type { Scope } from "../services/projects.ts";
import { doesNotExist, invalidField, MlflowError } from "./errors.ts";
import { entityId } from "./input.ts";
import type { ExperimentRow, KeyValue, MetricValue, MlflowRunRow, RunData } from "./shapes.ts";

/** MLflow's default experiment: clients log to "0" when no experiment is set. */
export const DEFAULT_EXPERIMENT_ID = "0";
export const DEFAULT_EXPERIMENT_NAME = "Default";

export const EXPERIMENT_SELECT = `SELECT ${PROJECT_COLUMNS}, p.deleted_at AS "deletedAt" FROM project p`;

export const RUN_SELECT = `SELECT ${RUN_COLUMNS}, r.deleted_at AS "deletedAt",
  (SELECT t.value FROM run_tag t WHERE t.run_id = r.id AND t.key = 'mlflow.user') AS "mlflowUser"
  FROM run r`;

/** The one team the caller holds `permission` in; with several, the request must name one. */
export function onlyTeam(scope: Scope, permission: Permission, hint: string): string {
  const teams = teamsWith(scope.caller, permission);
  if (teams.length === 1 && teams[0] !== undefined) return teams[0];
  if (teams.length === 0) throw new MlflowError("PERMISSION_DENIED", `this token's user holds ${permission} in no team`);
  throw new MlflowError("INVALID_PARAMETER_VALUE", `this token's user belongs to several teams: ${hint}`);
}

/** The Default experiment of the caller's team, created on first use by a caller who may write. */
async function defaultExperiment(scope: Scope, permission: Permission): Promise<ExperimentRow> {
  const teamId = onlyTeam(scope, "team:read", "set an experiment by name or id instead of the default one");
  const find = () => scope.db.rows<ExperimentRow>(`${EXPERIMENT_SELECT} WHERE p.team_id = $1 AND p.name = $2`, [teamId, DEFAULT_EXPERIMENT_NAME]);
  let [experiment] = await find();
  if (experiment === undefined && permission !== "team:read") {
    authorize(scope.caller, teamId, "project:write", { kind: "experiment", id: DEFAULT_EXPERIMENT_ID });
    await scope.db.run(`INSERT INTO project (id, team_id, name) VALUES (gen_random_uuid(), $1, $2) ON CONFLICT (team_id, name) DO NOTHING`, [
      teamId,
      DEFAULT_EXPERIMENT_NAME,
    ]);
    [experiment] = await find();
  }
  if (experiment === undefined) throw doesNotExist("experiment", DEFAULT_EXPERIMENT_ID);
  authorize(scope.caller, experiment.teamId, permission, { kind: "experiment", id: DEFAULT_EXPERIMENT_ID });
  return experiment;
}

/** An experiment the caller holds `permission` on; RESOURCE_DOES_NOT_EXIST for other teams'. */
export async function accessibleExperiment(scope: Scope, experimentId: string, permission: Permission): Promise<ExperimentRow> {
  if (experimentId === DEFAULT_EXPERIMENT_ID) return defaultExperiment(scope, permission);
  const id = entityId(experimentId, "experiment");
  const [experiment] = await scope.db.rows<ExperimentRow>(`${EXPERIMENT_SELECT} WHERE p.id = $1`, [id]);
  if (experiment === undefined || !scope.caller.roles.has(experiment.teamId)) throw doesNotExist("experiment", experimentId);
  authorize(scope.caller, experiment.teamId, permission, { kind: "experiment", id });
  return experiment;
}

export async function accessibleRun(scope: Scope, runId: string, permission: Permission): Promise<MlflowRunRow> {
  const [run] = await scope.db.rows<MlflowRunRow>(`${RUN_SELECT} WHERE r.id = $1`, [runId]);
  if (run === undefined || !scope.caller.roles.has(run.teamId)) throw doesNotExist("run", runId);
  authorize(scope.caller, run.teamId, permission, { kind: "run", id: runId });
  return run;
}

/** A run that may be written to: MLflow refuses writes to deleted runs. */
export async function activeRun(scope: Scope, runId: string): Promise<MlflowRunRow> {
  const run = await accessibleRun(scope, runId, "run:write");
  if (run.deletedAt !== null) throw invalidField("run_id", `run '${runId}' is deleted: restore it before writing to it`);
  return run;
}

/** A param's value as MLflow shows it: a string. */
export function paramString(param: Pick<ParamRecord, "type" | "numberValue" | "stringValue">): string {
  return String(paramValue(param));
}

/** Params, tags and the latest value of each metric, for a page of runs, in three statements. */
export async function runData(db: Queryable, runIds: string[]): Promise<Map<string, RunData>> {
  const data = new Map<string, RunData>(runIds.map((id) => [id, { metrics: [], params: [], tags: [] }]));
  if (runIds.length === 0) return data;
  const [metrics, params, tags] = await Promise.all([
    db.rows<MetricValue & { runId: string }>(
      `SELECT s.run_id AS "runId", s.key, s.last AS value, s.last_step::float8 AS step,
         (extract(epoch FROM coalesce(mp.wall_time, s.updated_at)) * 1000)::float8 AS timestamp
       FROM metric_summary s LEFT JOIN metric_point mp ON mp.run_id = s.run_id AND mp.key = s.key AND mp.step = s.last_step
       WHERE s.run_id = ANY($1::uuid[]) ORDER BY s.key`,
      [runIds],
    ),
    db.rows<ParamRecord>(
      `SELECT rp.run_id AS "runId", rp.key, rp.type, rp.number_value AS "numberValue", rp.string_value AS "stringValue"
       FROM run_param rp WHERE rp.run_id = ANY($1::uuid[]) ORDER BY rp.key`,
      [runIds],
    ),
    db.rows<KeyValue & { runId: string }>(`SELECT run_id AS "runId", key, value FROM run_tag WHERE run_id = ANY($1::uuid[]) ORDER BY key`, [runIds]),
  ]);
  for (const { runId, key, value, timestamp, step } of metrics) data.get(runId)?.metrics.push({ key, value, timestamp: Math.round(timestamp), step });
  for (const param of params) data.get(param.runId)?.params.push({ key: param.key, value: paramString(param) });
  for (const { runId, key, value } of tags) data.get(runId)?.tags.push({ key, value });
  return data;
}
