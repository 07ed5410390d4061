/**
 * Runs grouped by a param, a tag, their group key (a sweep's or k-fold's runs), backbone, recipe
 * or status, with the mean, standard deviation, min and max of chosen metric summaries per
 * group: one SQL statement over the runs the same RunFilter (search included) selects, so the
 * figures cover every matching run, not only the ones a page shows. A run carrying several
 * tags counts in each of their groups; runs without the param (tag, group key, …) form the
 * group whose value is null.
 */
import { badInput } from "@runboard/db";
import { z } from "zod";
import { key, parseArgs } from "../validation.ts";
import { teamsWith } from "./permissions.ts";
import type { Scope } from "./projects.ts";
import { addFilters, runFilterSchema, SqlParts } from "./run-query.ts";
import { BACKBONE_SQL, RECIPE_SQL } from "./run-search-sql.ts";

export const MAX_GROUPS = 500;
const MAX_GROUP_METRICS = 20;
const SUMMARY_COLUMN = { LAST: "last", MIN: "min", MAX: "max" } as const;

const groupArgs = z.object({
  filter: runFilterSchema,
  groupBy: z.object({
    field: z.enum(["PARAM", "TAG", "GROUP_KEY", "BACKBONE", "RECIPE", "STATUS"]),
    key: key.nullish(),
  }),
  metrics: z
    .array(z.object({ key, summary: z.enum(["LAST", "MIN", "MAX"]).default("LAST") }))
    .max(MAX_GROUP_METRICS, { message: `must hold at most ${MAX_GROUP_METRICS} metrics` })
    .nullish(),
});

type GroupArgs = z.output<typeof groupArgs>;

export interface GroupMetric {
  key: string;
  summary: "LAST" | "MIN" | "MAX";
  count: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
}

export interface RunGroup {
  value: string | number | boolean | null;
  count: number;
  metrics: GroupMetric[];
}

/** The group's value as SQL (text) and its type, and the join it needs. */
function groupExpression(sql: SqlParts, groupBy: GroupArgs["groupBy"]): { value: string; type: string; join: string } {
  switch (groupBy.field) {
    case "PARAM":
      if (!groupBy.key) throw badInput("groupBy.key", "is required when grouping by PARAM");
      return {
        value: "COALESCE(gp.number_value::text, gp.string_value)",
        type: "gp.type::text",
        join: `LEFT JOIN run_param gp ON gp.run_id = r.id AND gp.key = ${sql.value(groupBy.key)}`,
      };
    case "TAG":
      return { value: "gt.tag", type: "'STRING'", join: "LEFT JOIN LATERAL unnest(r.tags) AS gt(tag) ON true" };
    case "GROUP_KEY":
      return { value: "r.group_key", type: "'STRING'", join: "" };
    case "BACKBONE":
      return { value: BACKBONE_SQL, type: "'STRING'", join: "" };
    case "RECIPE":
      return { value: RECIPE_SQL, type: "'STRING'", join: "" };
    case "STATUS":
      return { value: "r.status::text", type: "'STRING'", join: "" };
  }
}

function typedValue(type: string | null, text: string | null): RunGroup["value"] {
  if (text === null) return null;
  if (type === "NUMBER") return Number(text);
  if (type === "BOOLEAN") return text === "true";
  return text;
}

type GroupRow = { type: string | null; value: string | null; count: number } & Record<string, number | null>;

export async function groupRuns({ db, caller }: Scope, args: unknown): Promise<RunGroup[]> {
  const input = parseArgs(groupArgs, args);
  const sql = new SqlParts();
  sql.where.push(`r.team_id = ANY(${sql.value(teamsWith(caller, "team:read", input.filter?.teamId))}::uuid[])`);
  if (input.filter) addFilters(sql, input.filter);
  const group = groupExpression(sql, input.groupBy);
  const metrics = input.metrics ?? [];
  const joins = metrics.map((metric, i) => `LEFT JOIN metric_summary m${i} ON m${i}.run_id = g.id AND m${i}.key = ${sql.value(metric.key)}`);
  const aggregates = metrics.flatMap((metric, i) => {
    const column = `m${i}.${SUMMARY_COLUMN[metric.summary]}`;
    return [
      `count(${column})::int AS n_${i}`,
      `avg(${column}) AS mean_${i}`,
      `stddev_samp(${column}) AS std_${i}`,
      `min(${column}) AS min_${i}`,
      `max(${column}) AS max_${i}`,
    ];
  });
  const rows = await db.rows<GroupRow>(
    `WITH g AS (SELECT r.id, ${group.type} AS type, ${group.value} AS value FROM run r ${group.join} WHERE ${sql.where.join(" AND ")})
     SELECT g.type, g.value, count(*)::int AS count${aggregates.map((a) => `, ${a}`).join("")}
     FROM g ${joins.join(" ")}
     GROUP BY g.type, g.value
     ORDER BY count(*) DESC, g.value ASC NULLS LAST
     LIMIT ${MAX_GROUPS}`,
    sql.values,
  );
  return rows.map((row) => ({
    value: typedValue(row.value === null ? null : row.type, row.value),
    count: row.count,
    metrics: metrics.map((metric, i) => ({
      key: metric.key,
      summary: metric.summary,
      count: row[`n_${i}`] ?? 0,
      mean: row[`mean_${i}`] ?? null,
      std: row[`std_${i}`] ?? null,
      min: row[`min_${i}`] ?? null,
      max: row[`max_${i}`] ?? null,
    })),
  }));
}
