/**
 * Compiles a runs search (run-search.ts) to one SQL condition on the run aliased `r`. Every
 * value, key and tag the user wrote becomes a bind parameter through `param`; only constant SQL
 * is written into the text. Each condition is true or false, never NULL (a run without the
 * metric, param, architecture… does not match it, and `not` matches exactly the other runs).
 *
 * Fields: a metric name (its last value; min(x), max(x), last(x); metrics.<key> for a metric
 * named like a built-in), params.<key>, tags.<tag> (bare: the run carries the tag), tag, and the
 * built-ins status, name, backbone (architecture, arch), dataset, recipe, project, experiment,
 * group, created and duration (seconds). A bare metric or param tests that the run has it.
 */
import { SearchSyntaxError, type CompareOp, type FieldRef, type Literal, type SearchNode } from "./run-search.ts";

export type Bind = (value: unknown) => string;

const RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"];
const KEY = /^[\w.\-/:@ ]+$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

type TextField = { kind: "text"; sql: string; caseInsensitive?: boolean; values?: readonly string[] };
type Builtin = TextField | { kind: "created" } | { kind: "duration" } | { kind: "tag" };

const nameOf = (table: string, column: string) => `(SELECT x.name FROM ${table} x WHERE x.id = r.${column})`;
const paramText = (key: string) => `(SELECT x.string_value FROM run_param x WHERE x.run_id = r.id AND x.key = '${key}')`;

/** The recipe that trained the run (AUTO's choice), else the one it was launched with. */
export const RECIPE_SQL = `COALESCE(${paramText("transfer.recipe")}, ${paramText("recipe")}, r.hyperparameters->>'recipe')`;
/** The run's architecture's name. */
export const BACKBONE_SQL = nameOf("architecture", "architecture_id");

const BUILTINS: Record<string, Builtin> = {
  status: { kind: "text", sql: `r.status::text`, caseInsensitive: true, values: RUN_STATUSES },
  name: { kind: "text", sql: "r.name" },
  backbone: { kind: "text", sql: nameOf("architecture", "architecture_id") },
  architecture: { kind: "text", sql: nameOf("architecture", "architecture_id") },
  arch: { kind: "text", sql: nameOf("architecture", "architecture_id") },
  dataset: { kind: "text", sql: nameOf("dataset", "dataset_id") },
  project: { kind: "text", sql: nameOf("project", "project_id") },
  experiment: { kind: "text", sql: nameOf("experiment", "experiment_id") },
  group: { kind: "text", sql: "r.group_key" },
  recipe: { kind: "text", sql: RECIPE_SQL, caseInsensitive: true },
  created: { kind: "created" },
  duration: { kind: "duration" },
  tag: { kind: "tag" },
  tags: { kind: "tag" },
};

export const BUILTIN_FIELDS = Object.keys(BUILTINS);

const SQL_OPS: Record<Exclude<CompareOp, "~" | "!~">, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const isOrdering = (op: CompareOp) => op === "<" || op === "<=" || op === ">" || op === ">=";

/** `%text%` for ILIKE, with the pattern characters of the text escaped. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function fail(position: number, rule: string): never {
  throw new SearchSyntaxError(position, rule);
}

function describeValue(value: Literal): string {
  return value.kind === "string" ? `"${value.value}"` : String(value.value);
}

function checkKey(field: FieldRef, key: string, what: string): string {
  if (key.trim() === "" || !KEY.test(key) || key.length > 250)
    fail(field.position, `expected a ${what} key (letters, digits, spaces and _ . - / : @), found "${key}"`);
  return key;
}

type Resolved = { kind: "metric"; key: string; summary: "last" | "min" | "max" } | { kind: "param"; key: string } | { kind: "tagged"; tag: string } | Builtin;

function resolve(field: FieldRef): Resolved {
  const { name } = field;
  const lower = name.toLowerCase();
  const prefixed = (prefix: string) => (lower.startsWith(prefix) ? name.slice(prefix.length) : undefined);
  const metricKey = prefixed("metrics.");
  if (field.summary !== undefined) {
    if (prefixed("params.") !== undefined || prefixed("tags.") !== undefined || (metricKey === undefined && BUILTINS[lower]))
      fail(field.position, `expected a metric name inside ${field.summary}( ), found "${name}"`);
    return { kind: "metric", key: checkKey(field, metricKey ?? name, "metric"), summary: field.summary };
  }
  if (metricKey !== undefined) return { kind: "metric", key: checkKey(field, metricKey, "metric"), summary: "last" };
  const paramKey = prefixed("params.");
  if (paramKey !== undefined) return { kind: "param", key: checkKey(field, paramKey, "param") };
  const tag = prefixed("tags.");
  if (tag !== undefined) {
    if (tag.trim() === "") fail(field.position, "expected a tag after tags.");
    return { kind: "tagged", tag: tag.trim() };
  }
  return BUILTINS[lower] ?? { kind: "metric", key: checkKey(field, name, "metric"), summary: "last" };
}

function numberValue(node: Extract<SearchNode, { kind: "compare" }>, what: string): number {
  if (node.value.kind !== "number") fail(node.valuePosition, `expected a number to compare ${what} with, found ${describeValue(node.value)}`);
  return node.value.value;
}

function compareNumber(column: string, node: Extract<SearchNode, { kind: "compare" }>, what: string, bind: Bind): string {
  if (node.op === "~" || node.op === "!~") fail(node.field.position, `expected = != < <= > or >= for ${what} ("${node.op}" compares text)`);
  return `${column} ${SQL_OPS[node.op]} ${bind(numberValue(node, what))}`;
}

function compareText(field: TextField, node: Extract<SearchNode, { kind: "compare" }>, bind: Bind): string {
  const name = node.field.name;
  if (isOrdering(node.op)) fail(node.field.position, `expected = != ~ or !~ for ${name} (it is text)`);
  if (node.value.kind === "number" || node.value.kind === "boolean") {
    if (field.values) fail(node.valuePosition, `expected one of ${field.values.map((v) => v.toLowerCase()).join(", ")}, found ${describeValue(node.value)}`);
  }
  let text = String(node.value.value);
  if (field.caseInsensitive) text = text.toUpperCase();
  if (field.values && node.op !== "~" && node.op !== "!~" && !field.values.includes(text))
    fail(node.valuePosition, `expected one of ${field.values.map((v) => v.toLowerCase()).join(", ")}, found ${describeValue(node.value)}`);
  const column = field.caseInsensitive ? `upper(${field.sql})` : field.sql;
  if (node.op === "~" || node.op === "!~") return `${column} ${node.op === "~" ? "ILIKE" : "NOT ILIKE"} ${bind(containsPattern(text))}`;
  return `${column} ${SQL_OPS[node.op]} ${bind(text)}`;
}

function compareCreated(node: Extract<SearchNode, { kind: "compare" }>, bind: Bind): string {
  if (node.op === "~" || node.op === "!~") fail(node.field.position, 'expected = != < <= > or >= for created (a date such as "2026-01-31")');
  const text = node.value.kind === "string" ? node.value.value : "";
  const time = Date.parse(text);
  if (node.value.kind !== "string" || Number.isNaN(time))
    fail(node.valuePosition, `expected a date such as "2026-01-31" or "2026-01-31T12:00:00Z", found ${describeValue(node.value)}`);
  const start = new Date(time).toISOString();
  if (!DATE_ONLY.test(text)) return `r.created_at ${SQL_OPS[node.op]} ${bind(start)}::timestamptz`;
  // a day: = is within it, > after it, <= up to its end
  const end = new Date(time + 86_400_000).toISOString();
  switch (node.op) {
    case "=":
      return `(r.created_at >= ${bind(start)}::timestamptz AND r.created_at < ${bind(end)}::timestamptz)`;
    case "!=":
      return `(r.created_at < ${bind(start)}::timestamptz OR r.created_at >= ${bind(end)}::timestamptz)`;
    case ">":
      return `r.created_at >= ${bind(end)}::timestamptz`;
    case "<=":
      return `r.created_at < ${bind(end)}::timestamptz`;
    default:
      return `r.created_at ${SQL_OPS[node.op]} ${bind(start)}::timestamptz`;
  }
}

function compareTag(node: Extract<SearchNode, { kind: "compare" }>, bind: Bind): string {
  if (node.op !== "=" && node.op !== "!=" && node.op !== "~" && node.op !== "!~") fail(node.field.position, `expected = != ~ or !~ for ${node.field.name}`);
  const text = String(node.value.value).trim();
  if (node.op === "~" || node.op === "!~") {
    const any = `EXISTS (SELECT 1 FROM unnest(r.tags) AS t(tag) WHERE t.tag ILIKE ${bind(containsPattern(text))})`;
    return node.op === "~" ? any : `NOT ${any}`;
  }
  return `${node.op === "=" ? "" : "NOT "}(${bind(text)} = ANY(r.tags))`;
}

const SUMMARY_COLUMN = { last: "m.last", min: "m.min", max: "m.max" } as const;

function compareParam(key: string, node: Extract<SearchNode, { kind: "compare" }>, bind: Bind): string {
  const base = `p.run_id = r.id AND p.key = ${bind(key)}`;
  const exists = (condition: string) => `EXISTS (SELECT 1 FROM run_param p WHERE ${base} AND ${condition})`;
  const { value, op } = node;
  if (value.kind === "number") return exists(`p.type = 'NUMBER' AND ${compareNumber("p.number_value", node, `params.${key}`, bind)}`);
  if (isOrdering(op)) fail(node.valuePosition, `expected a number after "${op}", found ${describeValue(value)}`);
  if (value.kind === "boolean") {
    if (op !== "=" && op !== "!=") fail(node.field.position, `expected = or != to compare params.${key} with ${value.value}`);
    return exists(`p.type = 'BOOLEAN' AND p.string_value ${SQL_OPS[op]} ${bind(String(value.value))}`);
  }
  if (op === "~" || op === "!~")
    return exists(`p.type = 'STRING' AND p.string_value ${op === "~" ? "ILIKE" : "NOT ILIKE"} ${bind(containsPattern(value.value))}`);
  return exists(`p.type = 'STRING' AND p.string_value ${SQL_OPS[op]} ${bind(value.value)}`);
}

function compileCompare(node: Extract<SearchNode, { kind: "compare" }>, bind: Bind): string {
  const field = resolve(node.field);
  switch (field.kind) {
    case "metric": {
      const condition = compareNumber(SUMMARY_COLUMN[field.summary], node, `metric ${field.key}`, bind);
      return `EXISTS (SELECT 1 FROM metric_summary m WHERE m.run_id = r.id AND m.key = ${bind(field.key)} AND ${condition})`;
    }
    case "param":
      return compareParam(field.key, node, bind);
    case "tagged":
      return fail(node.field.position, `expected "and", "or" or the end after ${node.field.name} (it tests the tag; write tag = "${field.tag}" to compare)`);
    case "text":
      return `COALESCE(${compareText(field, node, bind)}, false)`;
    case "created":
      return compareCreated(node, bind);
    case "duration":
      return `COALESCE(${compareNumber("EXTRACT(EPOCH FROM COALESCE(r.finished_at, now()) - r.started_at)", node, "duration (seconds)", bind)}, false)`;
    case "tag":
      return compareTag(node, bind);
  }
}

function compilePresent(field: FieldRef, bind: Bind): string {
  const resolved = resolve(field);
  switch (resolved.kind) {
    case "metric":
      return `EXISTS (SELECT 1 FROM metric_summary m WHERE m.run_id = r.id AND m.key = ${bind(resolved.key)})`;
    case "param":
      return `EXISTS (SELECT 1 FROM run_param p WHERE p.run_id = r.id AND p.key = ${bind(resolved.key)})`;
    case "tagged":
      return `(${bind(resolved.tag)} = ANY(r.tags))`;
    default:
      return fail(field.position, `expected an operator (= != < <= > >= ~ !~) after ${field.name}`);
  }
}

export function compileSearch(node: SearchNode, bind: Bind): string {
  switch (node.kind) {
    case "and":
      return `(${compileSearch(node.left, bind)} AND ${compileSearch(node.right, bind)})`;
    case "or":
      return `(${compileSearch(node.left, bind)} OR ${compileSearch(node.right, bind)})`;
    case "not":
      return `(NOT ${compileSearch(node.operand, bind)})`;
    case "present":
      return compilePresent(node.field, bind);
    case "compare":
      return compileCompare(node, bind);
  }
}
