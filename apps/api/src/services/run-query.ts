/**
 * The runs list: filters (ids, experiment, dataset, architecture, status, tags, param values,
 * metric-summary ranges), a sort on any column, param or metric summary, and opaque
 * cursors. One SQL statement per page; the fields of the page's runs come from loaders, and
 * the total count is one more statement, sent only when asked for.
 */
import { z } from "zod";
import { RUN_COLUMNS, type RunRecord } from "../data/records.ts";
import { badInput } from "../errors.ts";
import { limits } from "../limits.ts";
import { finite, id, key, parseArgs, tag } from "../validation.ts";
import { teamsWith } from "./permissions.ts";
import type { Scope } from "./projects.ts";

const summaryField = z.enum(["LAST", "MIN", "MAX"]).default("LAST");
const SUMMARY_COLUMN = { LAST: "last", MIN: "min", MAX: "max" } as const;

const runsArgs = z.object({
  filter: z
    .object({
      ids: z.array(id).max(limits.runIds, { message: `must hold at most ${limits.runIds} ids` }).nullish(),
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
    })
    .nullish(),
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
class SqlParts {
  readonly values: unknown[] = [];
  readonly where: string[] = [];
  readonly joins: string[] = [];

  value(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { offset: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw badInput("after", "must be a cursor returned by a previous page");
}

function addFilters(sql: SqlParts, filter: NonNullable<RunsArgs["filter"]>): void {
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
    sql.where.push(
      `EXISTS (SELECT 1 FROM metric_summary m WHERE m.run_id = r.id AND m.key = ${sql.value(metric.key)} AND ${bounds.join(" AND ")})`,
    );
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

function orderBy(sql: SqlParts, sort: RunsArgs["sort"]): string {
  const field = sort?.field ?? "CREATED_AT";
  const direction = sort?.direction ?? "DESC";
  const order = (expression: string) => `${expression} ${direction} NULLS LAST`;
  if (field === "CREATED_AT") return `${order("r.created_at")}, r.id`;
  if (field === "NAME") return `${order("r.name")}, r.id`;
  if (!sort?.key) throw badInput("sort.key", `is required when sorting by ${field}`);
  if (field === "PARAM") {
    sql.joins.push(`LEFT JOIN run_param sp ON sp.run_id = r.id AND sp.key = ${sql.value(sort.key)}`);
    return `${order("sp.number_value")}, ${order("sp.string_value")}, r.id`;
  }
  sql.joins.push(`LEFT JOIN metric_summary sm ON sm.run_id = r.id AND sm.key = ${sql.value(sort.key)}`);
  return `${order(`sm.${SUMMARY_COLUMN[sort.summary]}`)}, r.id`;
}

export interface RunPage {
  runs: RunRecord[];
  offset: number;
  hasNextPage: boolean;
  /** Runs matching the filter on all pages; the COUNT statement runs on the first call only. */
  totalCount: () => Promise<number>;
}

function countOnce(db: Scope["db"], where: string, values: unknown[]): () => Promise<number> {
  let count: Promise<number> | undefined;
  return () => {
    count ??= db
      .rows<{ count: number }>(`SELECT count(*)::int AS count FROM run r WHERE ${where}`, values)
      .then(([row]) => row?.count ?? 0);
    return count;
  };
}

export async function listRuns({ db, caller }: Scope, args: unknown): Promise<RunPage> {
  const input = parseArgs(runsArgs, args);
  const offset = decodeCursor(input.after);
  const sql = new SqlParts();
  sql.where.push(`r.team_id = ANY(${sql.value(teamsWith(caller, "team:read", input.filter?.teamId))}::uuid[])`);
  if (input.filter) addFilters(sql, input.filter);
  const totalCount = countOnce(db, sql.where.join(" AND "), [...sql.values]);
  const order = orderBy(sql, input.sort);
  const rows = await db.rows<RunRecord>(
    `SELECT ${RUN_COLUMNS} FROM run r ${sql.joins.join(" ")} WHERE ${sql.where.join(" AND ")}
     ORDER BY ${order} LIMIT ${sql.value(input.first + 1)} OFFSET ${sql.value(offset)}`,
    sql.values,
  );
  return { runs: rows.slice(0, input.first), offset, hasNextPage: rows.length > input.first, totalCount };
}
