/**
 * experiments/create, get, get-by-name, search, update, delete, restore. An MLflow experiment
 * is a Runboard project of one of the caller's teams. Deleting one marks it and its active
 * runs deleted (restore brings back exactly those runs); nothing is removed.
 */
import { GraphQLError } from "graphql";
import { createProject } from "../services/projects.ts";
import { teamsWith } from "../services/permissions.ts";
import { pageToken, offsetOf, type Handler } from "./context.ts";
import { doesNotExist, invalidField, MlflowError } from "./errors.ts";
import { parseFilter, parseOrderBy, type Comparison, type OrderClause } from "./filter.ts";
import { entityKey, entityValue, item, list, MAX_TAG_VALUE_LENGTH, optionalInteger, optionalString, requiredString, type RequestFields } from "./input.ts";
import { SqlValues } from "./run-filter.ts";
import { experimentJson, type ExperimentRow } from "./shapes.ts";
import { accessibleExperiment, EXPERIMENT_SELECT, onlyTeam } from "./store.ts";

/** Experiment tags Runboard keeps: the team to create in, and the description (MLflow's note). */
export const TEAM_TAG = "runboard.team";
const NOTE_TAG = "mlflow.note.content";

/** MLflow's page limits; a page holds at most PAGE_SIZE, the rest comes with next_page_token. */
export const MAX_RESULTS_THRESHOLD = 50_000;
export const PAGE_SIZE = 1_000;

function experimentName(fields: RequestFields, field: string): string {
  const name = requiredString(fields, field, 200).trim();
  if (name === "") throw invalidField(field, "must hold more than spaces");
  return name;
}

/** The unique-name rule of projects, in MLflow's words. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const duplicate =
      (error instanceof GraphQLError && error.extensions.field === "input.name") ||
      (typeof error === "object" && error !== null && "code" in error && error.code === "23505");
    if (duplicate) throw new MlflowError("RESOURCE_ALREADY_EXISTS", `experiment '${name}' already exists (active or deleted)`);
    throw error;
  }
}

async function teamNamed(request: Parameters<Handler>[0], idOrSlug: string): Promise<string> {
  const teams = teamsWith(request.scope.caller, "team:read");
  const [team] = await request.scope.db.rows<{ id: string }>(`SELECT id FROM team WHERE (id::text = $1 OR slug = $1) AND id = ANY($2::uuid[])`, [
    idOrSlug,
    teams,
  ]);
  if (team === undefined) throw doesNotExist("team", idOrSlug);
  return team.id;
}

const create: Handler = async (request) => {
  const { fields, scope } = request;
  const name = experimentName(fields, "name");
  if (optionalString(fields, "artifact_location")) {
    throw invalidField("artifact_location", "is chosen by this server (mlflow-artifacts:/<experiment_id>); leave it out");
  }
  let teamRef: string | undefined;
  let description = "";
  for (const [index, tag] of list(fields, "tags", 100).entries()) {
    const tagFields = item(tag, `tags[${index}]`);
    const key = entityKey(tagFields, "key");
    const value = entityValue(tagFields, "value", MAX_TAG_VALUE_LENGTH);
    if (key === TEAM_TAG) teamRef = value;
    else if (key === NOTE_TAG) description = value;
    else throw invalidField(`tags[${index}].key`, `experiment tags are not stored; only ${TEAM_TAG} (team id or slug) and ${NOTE_TAG} are accepted`);
  }
  const teamId =
    teamRef === undefined
      ? onlyTeam(scope, "project:write", `name the team with the experiment tag ${TEAM_TAG} (its id or slug)`)
      : await teamNamed(request, teamRef);
  const project = await uniqueName(name, () => createProject(scope, { input: { teamId, name, description } }));
  return { experiment_id: project.id };
};

const get: Handler = async ({ scope, fields }) => {
  const experiment = await accessibleExperiment(scope, requiredString(fields, "experiment_id", 100), "team:read");
  return { experiment: experimentJson(experiment) };
};

const getByName: Handler = async ({ scope, fields }) => {
  const name = experimentName(fields, "experiment_name");
  const found = await scope.db.rows<ExperimentRow>(`${EXPERIMENT_SELECT} WHERE p.team_id = ANY($1::uuid[]) AND p.name = $2 ORDER BY p.created_at`, [
    teamsWith(scope.caller, "team:read"),
    name,
  ]);
  const [experiment] = found;
  if (experiment === undefined) throw doesNotExist("experiment", name);
  if (found.length > 1) throw invalidField("experiment_name", `experiments named '${name}' exist in several of your teams: use experiment ids`);
  return { experiment: experimentJson(experiment) };
};

const EXPERIMENT_ATTRIBUTES: Record<string, { sql: string; time: boolean }> = {
  name: { sql: "p.name", time: false },
  creation_time: { sql: "p.created_at", time: true },
  last_update_time: { sql: "coalesce(p.deleted_at, p.created_at)", time: true },
  experiment_id: { sql: "p.id::text", time: false },
};

function attribute(entity: string, key: string, field: string) {
  const found = entity === "attribute" ? EXPERIMENT_ATTRIBUTES[key] : undefined;
  if (found === undefined) {
    throw invalidField(
      field,
      `experiments can be searched and sorted by ${Object.keys(EXPERIMENT_ATTRIBUTES).join(", ")} only (experiment tags are not stored)`,
    );
  }
  return found;
}

function experimentCondition(comparison: Comparison, sql: SqlValues): string {
  const { sql: column, time } = attribute(comparison.entity, comparison.key, "filter");
  const ops = time ? ["=", "!=", ">", ">=", "<", "<="] : ["=", "!=", "LIKE", "ILIKE"];
  if (!ops.includes(comparison.op)) throw invalidField("filter", `${comparison.key} takes ${ops.join(" ")} only`);
  if (time !== (typeof comparison.value === "number")) throw invalidField("filter", `${comparison.key} needs ${time ? "a number (ms)" : "a string in quotes"}`);
  return time
    ? `${column} ${comparison.op} to_timestamp(${sql.add(comparison.value)}::float8 / 1000)`
    : `${column} ${comparison.op} ${sql.add(comparison.value)}`;
}

function experimentOrder(clause: OrderClause): string {
  return `${attribute(clause.entity, clause.key, "order_by").sql} ${clause.ascending ? "ASC" : "DESC"}`;
}

/** ACTIVE_ONLY (the default), DELETED_ONLY or ALL, as SQL over the deleted_at of `alias`. */
export function viewCondition(fields: RequestFields, field: string, alias: string): string {
  // Protobuf's JSON may also carry an enum as its number.
  const given = fields[field];
  const view =
    typeof given === "number"
      ? ([undefined, "ACTIVE_ONLY", "DELETED_ONLY", "ALL"][given] ?? String(given))
      : (optionalString(fields, field, 20) ?? "ACTIVE_ONLY");
  if (view === "ACTIVE_ONLY") return `${alias}.deleted_at IS NULL`;
  if (view === "DELETED_ONLY") return `${alias}.deleted_at IS NOT NULL`;
  if (view === "ALL") return "TRUE";
  throw invalidField(field, "must be ACTIVE_ONLY, DELETED_ONLY or ALL");
}

export function pageSize(fields: RequestFields): number {
  return Math.min(optionalInteger(fields, "max_results", 1, MAX_RESULTS_THRESHOLD) ?? PAGE_SIZE, PAGE_SIZE);
}

const search: Handler = async ({ scope, fields }) => {
  const sql = new SqlValues();
  const conditions = [`p.team_id = ANY(${sql.add(teamsWith(scope.caller, "team:read"))}::uuid[])`, viewCondition(fields, "view_type", "p")];
  conditions.push(...parseFilter(optionalString(fields, "filter") ?? "").map((c) => experimentCondition(c, sql)));
  const order = list(fields, "order_by", 10).map((text, index) => {
    if (typeof text !== "string") throw invalidField(`order_by[${index}]`, "must be a string");
    return experimentOrder(parseOrderBy(text, `order_by[${index}]`));
  });
  const limit = pageSize(fields);
  const offset = offsetOf(optionalString(fields, "page_token", 200));
  const rows = await scope.db.rows<ExperimentRow>(
    `${EXPERIMENT_SELECT} WHERE ${conditions.join(" AND ")}
     ORDER BY ${[...order, "p.created_at DESC", "p.id"].join(", ")} LIMIT ${limit + 1} OFFSET ${offset}`,
    sql.values,
  );
  const next = rows.length > limit ? { next_page_token: pageToken(offset + limit) } : {};
  return { experiments: rows.slice(0, limit).map(experimentJson), ...next };
};

const update: Handler = async ({ scope, fields }) => {
  const experiment = await accessibleExperiment(scope, requiredString(fields, "experiment_id", 100), "project:write");
  const newName = experimentName(fields, "new_name");
  await uniqueName(newName, () => scope.db.run(`UPDATE project SET name = $2 WHERE id = $1`, [experiment.id, newName]));
  return {};
};

const remove: Handler = async ({ scope, fields }) => {
  const experiment = await accessibleExperiment(scope, requiredString(fields, "experiment_id", 100), "project:write");
  if (experiment.deletedAt !== null) return {};
  await scope.db.transaction(async (tx) => {
    const [marked] = await tx.rows<{ at: Date }>(`UPDATE project SET deleted_at = now() WHERE id = $1 RETURNING deleted_at AS at`, [experiment.id]);
    await tx.run(`UPDATE run SET deleted_at = $2 WHERE project_id = $1 AND deleted_at IS NULL`, [experiment.id, marked?.at]);
  });
  return {};
};

const restore: Handler = async ({ scope, fields }) => {
  const experiment = await accessibleExperiment(scope, requiredString(fields, "experiment_id", 100), "project:write");
  if (experiment.deletedAt === null) throw invalidField("experiment_id", `experiment '${experiment.id}' is not deleted`);
  await scope.db.transaction(async (tx) => {
    // Runs deleted with the experiment share its deletion time; runs deleted before stay deleted.
    await tx.run(`UPDATE run SET deleted_at = NULL WHERE project_id = $1 AND deleted_at = $2`, [experiment.id, experiment.deletedAt]);
    await tx.run(`UPDATE project SET deleted_at = NULL WHERE id = $1`, [experiment.id]);
  });
  return {};
};

export const experimentRoutes: Record<string, { methods: string[]; handle: Handler }> = {
  "experiments/create": { methods: ["POST"], handle: create },
  "experiments/get": { methods: ["GET"], handle: get },
  "experiments/get-by-name": { methods: ["GET"], handle: getByName },
  "experiments/search": { methods: ["GET", "POST"], handle: search },
  "experiments/update": { methods: ["POST"], handle: update },
  "experiments/delete": { methods: ["POST"], handle: remove },
  "experiments/restore": { methods: ["POST"], handle: restore },
};
