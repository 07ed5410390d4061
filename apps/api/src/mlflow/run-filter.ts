/**
 * A parsed MLflow filter and order_by, checked against what runs have, compiled to SQL over
 * `run r`. Metrics compare their latest value (MLflow's rule; here the summary's last, by
 * step). Params compare as MLflow's strings; runs without the key never match, even for !=.
 */
import { invalidField } from "./errors.ts";
import type { Comparison, Operator, OrderClause } from "./filter.ts";
import { mlflowParamAsTyped } from "./params.ts";
import { runboardStatus } from "./shapes.ts";

/** Positional SQL values, `$n` handed out in order. */
export class SqlValues {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const NUMERIC: Operator[] = ["=", "!=", ">", ">=", "<", "<="];
const TEXT: Operator[] = ["=", "!=", "LIKE", "ILIKE"];

/** A param's value as text in SQL: what MLflow shows (numbers print as PostgreSQL prints them). */
const PARAM_TEXT = `CASE rp.type WHEN 'NUMBER' THEN rp.number_value::text ELSE rp.string_value END`;

const ATTRIBUTES: Record<string, { sql: string; kind: "time" | "text" | "status" | "id" }> = {
  start_time: { sql: "coalesce(r.started_at, r.created_at)", kind: "time" },
  end_time: { sql: "r.finished_at", kind: "time" },
  run_name: { sql: "r.name", kind: "text" },
  status: { sql: "r.status::text", kind: "status" },
  run_id: { sql: "r.id::text", kind: "id" },
};

function allow(comparison: Comparison, ops: Operator[], valueKind: "number" | "string" | "list" | "string or list"): void {
  const name = `${comparison.entity}s.${comparison.key}`.replace("attributes.", "");
  if (!ops.includes(comparison.op)) throw invalidField("filter", `${name} takes ${ops.join(" ")} only, not ${comparison.op}`);
  const isList = Array.isArray(comparison.value);
  const ok =
    valueKind === "number"
      ? typeof comparison.value === "number"
      : valueKind === "string"
        ? typeof comparison.value === "string"
        : valueKind === "list"
          ? isList
          : isList === (comparison.op === "IN" || comparison.op === "NOT IN") && typeof comparison.value !== "number";
  if (!ok) throw invalidField("filter", `${name} ${comparison.op} needs ${valueKind === "number" ? "a number" : "a string in quotes"}`);
}

function textComparison(sqlText: string, comparison: Comparison, sql: SqlValues): string {
  return `${sqlText} ${comparison.op} ${sql.add(comparison.value)}`;
}

function paramCondition(comparison: Comparison, sql: SqlValues): string {
  allow(comparison, TEXT, "string");
  const key = sql.add(comparison.key);
  const raw = comparison.value as string;
  let condition: string;
  if (comparison.op === "=" || comparison.op === "!=") {
    // Typed equality: a number logged as '0.001' matches however PostgreSQL would print it.
    const typed = mlflowParamAsTyped(comparison.key, raw);
    const equal = `((rp.type = 'STRING' AND rp.string_value = ${sql.add(raw)}) OR (rp.type = ${sql.add(typed.type)}::"ParamType"
      AND rp.number_value IS NOT DISTINCT FROM ${sql.add(typed.numberValue)}::float8 AND rp.string_value IS NOT DISTINCT FROM ${sql.add(typed.stringValue)}::text))`;
    condition = comparison.op === "=" ? equal : `NOT ${equal}`;
  } else condition = textComparison(PARAM_TEXT, comparison, sql);
  return `EXISTS (SELECT 1 FROM run_param rp WHERE rp.run_id = r.id AND rp.key = ${key} AND ${condition})`;
}

function attributeCondition(comparison: Comparison, sql: SqlValues): string {
  const attribute = ATTRIBUTES[comparison.key];
  if (attribute === undefined) {
    throw invalidField("filter", `'${comparison.key}' is not a searchable attribute: use ${Object.keys(ATTRIBUTES).join(", ")}`);
  }
  if (attribute.kind === "time") {
    allow(comparison, NUMERIC, "number");
    return `${attribute.sql} ${comparison.op} to_timestamp(${sql.add(comparison.value)}::float8 / 1000)`;
  }
  if (attribute.kind === "text") {
    allow(comparison, TEXT, "string");
    return textComparison(attribute.sql, comparison, sql);
  }
  allow(comparison, ["=", "!=", "IN", "NOT IN"], "string or list");
  const given = Array.isArray(comparison.value) ? comparison.value : [comparison.value as string];
  const values = attribute.kind === "status" ? given.map((status) => runboardStatus(status, "filter")) : given.map((id) => id.toLowerCase());
  const any = `${attribute.sql} = ANY(${sql.add(values)}::text[])`;
  return comparison.op === "=" || comparison.op === "IN" ? any : `NOT (${any})`;
}

export function runCondition(comparison: Comparison, sql: SqlValues): string {
  switch (comparison.entity) {
    case "metric":
      allow(comparison, NUMERIC, "number");
      return `EXISTS (SELECT 1 FROM metric_summary s WHERE s.run_id = r.id AND s.key = ${sql.add(comparison.key)}
        AND s.last ${comparison.op} ${sql.add(comparison.value)}::float8)`;
    case "param":
      return paramCondition(comparison, sql);
    case "tag":
      allow(comparison, TEXT, "string");
      return `EXISTS (SELECT 1 FROM run_tag t WHERE t.run_id = r.id AND t.key = ${sql.add(comparison.key)}
        AND ${textComparison("t.value", comparison, sql)})`;
    case "attribute":
      return attributeCondition(comparison, sql);
  }
}

/** An ORDER BY term; runs without the key come last in either direction, as in MLflow. */
export function runOrder(clause: OrderClause, sql: SqlValues): string {
  const direction = clause.ascending ? "ASC NULLS LAST" : "DESC NULLS LAST";
  if (clause.entity === "attribute") {
    const attribute = ATTRIBUTES[clause.key];
    if (attribute === undefined) throw invalidField("order_by", `'${clause.key}' is not a sortable attribute: use ${Object.keys(ATTRIBUTES).join(", ")}`);
    return `${attribute.sql} ${direction}`;
  }
  const key = sql.add(clause.key);
  const expression =
    clause.entity === "metric"
      ? `(SELECT s.last FROM metric_summary s WHERE s.run_id = r.id AND s.key = ${key})`
      : clause.entity === "param"
        ? `(SELECT ${PARAM_TEXT} FROM run_param rp WHERE rp.run_id = r.id AND rp.key = ${key})`
        : `(SELECT t.value FROM run_tag t WHERE t.run_id = r.id AND t.key = ${key})`;
  return `${expression} ${direction}`;
}
