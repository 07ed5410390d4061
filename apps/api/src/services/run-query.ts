/**
 * The runs list: filters (ids, experiment, dataset, architecture, status, tags, param values,
 * metric-summary ranges), a sort on any column, param or metric summary, and keyset cursors
 * (run-cursor.ts). One SQL statement per page; the fields of the page's runs come from
 * loaders, and the total count is one more statement, sent only when asked for.
 */
import { badInput, RUN_COLUMNS, type RunRecord } from "@runboard/db";
import { GraphQLError } from "graphql";
import { z } from "zod";
import { limits } from "../limits.ts";
import { finite, id, key, parseArgs, tag } from "../validation.ts";
import { teamsWith } from "./permissions.ts";
import { MAX_QUERY_LENGTH, parseSearch, SearchSyntaxError } from "./run-search.ts";
import { compileSearch } from "./run-search-sql.ts";
import { afterCursor, decodeCursor, encodeCursor, orderByKeys, sortKeyColumns, type SortKey } from "./run-cursor.ts";
import type { Scope } from "./projects.ts";

const summaryField = z.enum(["LAST", "MIN", "MAX"]).default("LAST");
const SUMMARY_COLUMN = { LAST: "last", MIN: "min", MAX: "max" } as const;

/** RunFilter, as the runs list and the run groups (run-groups.ts) read it. */
export const runFilterSchema = z
  .object({
    ids: z
      .array(id)
      .max(limits.runIds, { message: `must hold at most ${limits.runIds} ids` })
      .nullish(),
    teamId: id.nullish(),
    projectId: id.nullish(),
    experimentId: id.nullish(),
    datasetId: id.nullish(),
    architectureId: id.nullish(),
    status: z.array(z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"])).nullish(),
    tags: z.array(tag).max(limits.tags).nullish(),
    params: z
      .array(
        z.object({
          key,
          equals: z.union([finite, z.string(), z.boolean()], { message: "must be a number, a string or a boolean" }).nullish(),
          gte: finite.nullish(),
          lte: finite.nullish(),
        }),
      )
      .max(20, { message: "must hold at most 20 param filters" })
      .nullish(),
    metrics: z
      .array(z.object({ key, field: summaryField, gte: finite.nullish(), lte: finite.nullish() }))
      .max(20, { message: "must hold at most 20 metric filters" })
      .nullish(),
    query: z
      .string()
      .max(MAX_QUERY_LENGTH, { message: `must be at most ${MAX_QUERY_LENGTH} characters` })
      .nullish(),
  })
  .nullish();

const runsArgs = z.object({
  filter: runFilterSchema,
  sort: z
    .object({
      field: z.enum(["CREATED_AT", "NAME", "PARAM", "METRIC"]),
      key: key.nullish(),
      summary: summaryField,
      direction: z.enum(["ASC", "DESC"]).default("DESC"),
    })
    .nullish(),
  first: z
    .number()
    .int()
    .min(1, { message: "must be ≥ 1" })
    .max(limits.runsPage, { message: `must be ≤ ${limits.runsPage}` })
    .default(50),
  after: z.string().nullish(),
});

type RunsArgs = z.output<typeof runsArgs>;

/** Collects SQL fragments and their positional values. */
export class SqlParts {
  readonly values: unknown[] = [];
  readonly where: string[] = [];
  readonly joins: string[] = [];

  value(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

export function addFilters(sql: SqlParts, filter: NonNullable<RunsArgs["filter"]>): void {
  const equal: Array<[string, string | null | undefined]> = [
    ["r.project_id", filter.projectId],
    ["r.experiment_id", filter.experimentId],
    ["r.dataset_id", filter.datasetId],
    ["r.architecture_id", filter.architectureId],
  ];
  for (const [column, value] of equal) if (value) sql.where.push(`${column} = ${sql.value(value)}`);
  // An empty list asks for no runs (unlike an empty status list, which is no filter).
  if (filter.ids) sql.where.push(`r.id = ANY(${sql.value(filter.ids)}::uuid[])`);
  if (filter.status && filter.status.length > 0) sql.where.push(`r.status = ANY(${sql.value(filter.status)}::"RunStatus"[])`);
  if (filter.tags && filter.tags.length > 0) sql.where.push(`r.tags @> ${sql.value(filter.tags)}::text[]`);
  for (const [index, param] of (filter.params ?? []).entries()) sql.where.push(paramCondition(sql, param, index));
  for (const metric of filter.metrics ?? []) {
    const column = `m.${SUMMARY_COLUMN[metric.field]}`;
    const bounds = rangeConditions(sql, column, metric.gte, metric.lte);
    if (bounds.length === 0) throw badInput("filter.metrics", `metric filter on ${metric.key} needs gte or lte`);
    sql.where.push(`EXISTS (SELECT 1 FROM metric_summary m WHERE m.run_id = r.id AND m.key = ${sql.value(metric.key)} AND ${bounds.join(" AND ")})`);
  }
  if (filter.query && filter.query.trim() !== "") sql.where.push(searchCondition(sql, filter.query));
}

/** The search language (run-search.ts) as one condition; a syntax error names its position (extensions.position, 1-based). */
function searchCondition(sql: SqlParts, query: string): string {
  try {
    return compileSearch(parseSearch(query), (v) => sql.value(v));
  } catch (error) {
    if (!(error instanceof SearchSyntaxError)) throw error;
    const rule = `at ${error.position}: ${error.rule}`;
    throw new GraphQLError(`filter.query: ${rule}`, { extensions: { code: "BAD_USER_INPUT", field: "filter.query", rule, position: error.position } });
  }
}

function rangeConditions(sql: SqlParts, column: string, gte?: number | null, lte?: number | null): string[] {
  const conditions: string[] = [];
  if (gte !== null && gte !== undefined) conditions.push(`${column} >= ${sql.value(gte)}`);
  if (lte !== null && lte !== undefined) conditions.push(`${column} <= ${sql.value(lte)}`);
  return conditions;
}

type ParamFilter = NonNullable<NonNullable<RunsArgs["filter"]>["params"]>[number];

function paramCondition(sql: SqlParts, param: ParamFilter, index: number): string {
  const conditions = [`p.run_id = r.id`, `p.key = ${sql.value(param.key)}`];
  const { equals } = param;
  if (typeof equals === "number") conditions.push(`p.number_value = ${sql.value(equals)}`);
  else if (typeof equals === "boolean") conditions.push(`p.type = 'BOOLEAN' AND p.string_value = ${sql.value(String(equals))}`);
  else if (typeof equals === "string") conditions.push(`p.type = 'STRING' AND p.string_value = ${sql.value(equals)}`);
  const bounds = rangeConditions(sql, "p.number_value", param.gte, param.lte);
  if (equals === null || equals === undefined) {
    if (bounds.length === 0) throw badInput(`filter.params.${index}`, "needs equals, gte or lte");
  }
  return `EXISTS (SELECT 1 FROM run_param p WHERE ${[...conditions, ...bounds].join(" AND ")})`;
}

/** The sort's keys (each NULLS LAST; the run id breaks ties), adding the join a param or metric sort needs. */
function sortKeys(sql: SqlParts, sort: RunsArgs["sort"]): SortKey[] {
  const field = sort?.field ?? "CREATED_AT";
  const direction = sort?.direction ?? "DESC";
  if (field === "CREATED_AT") return [{ expression: "r.created_at", type: "timestamptz", direction }];
  if (field === "NAME") return [{ expression: "r.name", type: "text", direction }];
  if (!sort?.key) throw badInput("sort.key", `is required when sorting by ${field}`);
  if (field === "PARAM") {
    sql.joins.push(`LEFT JOIN run_param sp ON sp.run_id = r.id AND sp.key = ${sql.value(sort.key)}`);
    return [
      { expression: "sp.number_value", type: "float8", direction },
      { expression: "sp.string_value", type: "text", direction },
    ];
  }
  sql.joins.push(`LEFT JOIN metric_summary sm ON sm.run_id = r.id AND sm.key = ${sql.value(sort.key)}`);
  return [{ expression: `sm.${SUMMARY_COLUMN[sort.summary]}`, type: "float8", direction }];
}

/** Identifies a sort, so that a cursor is not used with another one. */
function sortSignature(sort: RunsArgs["sort"]): string {
  const field = sort?.field ?? "CREATED_AT";
  const parts: string[] = [field, sort?.direction ?? "DESC"];
  if (field === "PARAM" || field === "METRIC") parts.push(sort?.key ?? "");
  if (field === "METRIC") parts.push(sort?.summary ?? "LAST");
  return parts.join(":");
}

export interface RunPage {
  runs: RunRecord[];
  /** The cursor of each run (pass it as `after` for the runs that follow it). */
  cursors: string[];
  hasNextPage: boolean;
  /** Runs matching the filter on all pages; the COUNT statement runs on the first call only. */
  totalCount: () => Promise<number>;
}

function countOnce(db: Scope["db"], where: string, values: unknown[]): () => Promise<number> {
  let count: Promise<number> | undefined;
  return () => {
    count ??= db.rows<{ count: number }>(`SELECT count(*)::int AS count FROM run r WHERE ${where}`, values).then(([row]) => row?.count ?? 0);
    return count;
  };
}

type RowWithKeys = RunRecord & Record<`sort_key_${number}`, string | null>;

export async function listRuns({ db, caller }: Scope, args: unknown): Promise<RunPage> {
  const input = parseArgs(runsArgs, args);
  const sql = new SqlParts();
  sql.where.push(`r.team_id = ANY(${sql.value(teamsWith(caller, "team:read", input.filter?.teamId))}::uuid[])`);
  if (input.filter) addFilters(sql, input.filter);
  const totalCount = countOnce(db, sql.where.join(" AND "), [...sql.values]);
  const keys = sortKeys(sql, input.sort);
  const signature = sortSignature(input.sort);
  const where = [...sql.where];
  if (input.after) where.push(afterCursor(keys, decodeCursor(input.after, signature, keys.length), (v) => sql.value(v)));
  const rows = await db.rows<RowWithKeys>(
    `SELECT ${RUN_COLUMNS}, ${sortKeyColumns(keys).join(", ")} FROM run r ${sql.joins.join(" ")} WHERE ${where.join(" AND ")}
     ORDER BY ${orderByKeys(keys)} LIMIT ${sql.value(input.first + 1)}`,
    sql.values,
  );
  const page = rows.slice(0, input.first);
  const cursors = page.map((row) => encodeCursor({ sort: signature, values: keys.map((_, i) => row[`sort_key_${i}`] ?? null), id: row.id }));
  const runs = page.map((row) => {
    const record: Record<string, unknown> = { ...row };
    keys.forEach((_, i) => delete record[`sort_key_${i}`]);
    return record as unknown as RunRecord;
  });
  return { runs, cursors, hasNextPage: rows.length > input.first, totalCount };
}
