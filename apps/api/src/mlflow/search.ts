/** runs/search (filter, order_by, paging) and metrics/get-history (paged by step). */
import { isUuid } from "../data/loaders.ts";
import { teamsWith } from "../services/permissions.ts";
import { offsetOf, pageToken, type Handler, type MlflowRequest } from "./context.ts";
import { invalidField } from "./errors.ts";
import { pageSize, viewCondition } from "./experiments.ts";
import { parseFilter, parseOrderBy } from "./filter.ts";
import { entityKey, list, optionalInteger, optionalString, runIdOf } from "./input.ts";
import { runCondition, runOrder, SqlValues } from "./run-filter.ts";
import { runJson, type MetricValue, type MlflowRunRow } from "./shapes.ts";
import { accessibleExperiment, accessibleRun, DEFAULT_EXPERIMENT_ID, RUN_SELECT, runData } from "./store.ts";

const MAX_EXPERIMENT_IDS = 1_000;
/** MLflow's page size of metrics/get-history. */
export const HISTORY_PAGE = 25_000;

/** Experiment ids as project ids; ids that are no project of the caller's teams match nothing (as in MLflow). */
async function projectIds({ scope, fields }: MlflowRequest): Promise<string[]> {
  const given = list(fields, "experiment_ids", MAX_EXPERIMENT_IDS);
  if (given.length === 0) throw invalidField("experiment_ids", "must hold at least one experiment id");
  const ids: string[] = [];
  for (const [index, id] of given.entries()) {
    if (typeof id !== "string") throw invalidField(`experiment_ids[${index}]`, "must be a string");
    if (isUuid(id)) ids.push(id.toLowerCase());
    else if (id === DEFAULT_EXPERIMENT_ID) {
      const found = await accessibleExperiment(scope, id, "team:read").catch(() => null);
      if (found !== null) ids.push(found.id);
    }
  }
  return ids;
}

const searchRuns: Handler = async (request) => {
  const { scope, fields } = request;
  const sql = new SqlValues();
  const conditions = [
    `r.team_id = ANY(${sql.add(teamsWith(scope.caller, "team:read"))}::uuid[])`,
    `r.project_id = ANY(${sql.add(await projectIds(request))}::uuid[])`,
    viewCondition(fields, "run_view_type", "r"),
    ...parseFilter(optionalString(fields, "filter") ?? "").map((comparison) => runCondition(comparison, sql)),
  ];
  const order = list(fields, "order_by", 10).map((text, index) => {
    if (typeof text !== "string") throw invalidField(`order_by[${index}]`, "must be a string");
    return runOrder(parseOrderBy(text, `order_by[${index}]`), sql);
  });
  const limit = pageSize(fields);
  const offset = offsetOf(optionalString(fields, "page_token", 200));
  const rows = await scope.db.rows<MlflowRunRow>(
    `${RUN_SELECT} WHERE ${conditions.join(" AND ")}
     ORDER BY ${[...order, "coalesce(r.started_at, r.created_at) DESC", "r.id"].join(", ")} LIMIT ${limit + 1} OFFSET ${offset}`,
    sql.values,
  );
  const page = rows.slice(0, limit);
  const data = await runData(
    scope.db,
    page.map((run) => run.id),
  );
  const next = rows.length > limit ? { next_page_token: pageToken(offset + limit) } : {};
  return { runs: page.map((run) => runJson(run, data.get(run.id) ?? { metrics: [], params: [], tags: [] })), ...next };
};

const metricHistory: Handler = async ({ scope, fields }) => {
  const key = entityKey(fields, "metric_key");
  const limit = optionalInteger(fields, "max_results", 1, HISTORY_PAGE) ?? HISTORY_PAGE;
  // The token holds the first step of the next page: pages stay exact while points arrive.
  const fromStep = offsetOf(optionalString(fields, "page_token", 200));
  const run = await accessibleRun(scope, runIdOf(fields), "team:read");
  const points = await scope.db.rows<MetricValue>(
    `SELECT key, value, step::float8 AS step, (extract(epoch FROM wall_time) * 1000)::float8 AS timestamp
     FROM metric_point WHERE run_id = $1 AND key = $2 AND step >= $3 ORDER BY step LIMIT $4`,
    [run.id, key, fromStep, limit + 1],
  );
  const page = points.slice(0, limit).map((point) => ({ ...point, timestamp: Math.round(point.timestamp) }));
  const last = page.at(-1);
  const next = points.length > limit && last !== undefined ? { next_page_token: pageToken(last.step + 1) } : {};
  return { metrics: page, ...next };
};

export const searchRoutes: Record<string, { methods: string[]; handle: Handler }> = {
  "runs/search": { methods: ["POST"], handle: searchRuns },
  "metrics/get-history": { methods: ["GET"], handle: metricHistory },
};
