/**
 * What the runs table shows: filters, sort and chosen columns. It lives in the URL (so a view
 * can be shared and saved) and becomes the API's RunFilter and RunSort.
 */
import type { RunFilter, RunGroupField, RunSort, RunSortField, RunStatus, SortDirection, SummaryField } from "../gql/graphql.ts";

export const RUN_STATUSES: RunStatus[] = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"];
export const SUMMARY_FIELDS: SummaryField[] = ["LAST", "MIN", "MAX"];
const SORT_FIELDS: RunSortField[] = ["CREATED_AT", "NAME", "PARAM", "METRIC"];

export type ParamValue = string | number | boolean;
export type ParamCondition = { key: string; equals: ParamValue } | { key: string; gte?: number; lte?: number };
export interface MetricCondition {
  key: string;
  field: SummaryField;
  gte?: number;
  lte?: number;
}
export interface SortSpec {
  field: RunSortField;
  key?: string;
  summary: SummaryField;
  direction: SortDirection;
}
export type Column = { kind: "param"; key: string } | { kind: "metric"; key: string; summary: SummaryField };
export const GROUP_FIELDS: RunGroupField[] = ["GROUP_KEY", "BACKBONE", "RECIPE", "STATUS", "TAG", "PARAM"];
/** Rows grouped by a param (key), each tag, the sweep / k-fold group key, backbone, recipe or status. */
export type GroupBy = { field: Exclude<RunGroupField, "PARAM"> } | { field: "PARAM"; key: string };

export interface RunsView {
  /** The project chosen in the sidebar's switcher; null is every project of the team. */
  project: string | null;
  /** A search in the API's runs query language (RunFilter.query), e.g. `accuracy > 0.9 and tags.baseline`. */
  query: string;
  status: RunStatus[];
  tags: string[];
  params: ParamCondition[];
  metrics: MetricCondition[];
  sort: SortSpec;
  columns: Column[];
  /** Grouped rows (mean ± std of the metric columns per group) instead of runs; null: runs. */
  groupBy: GroupBy | null;
}

export const DEFAULT_SORT: SortSpec = { field: "CREATED_AT", summary: "LAST", direction: "DESC" };
export const EMPTY_VIEW: RunsView = { project: null, query: "", status: [], tags: [], params: [], metrics: [], sort: DEFAULT_SORT, columns: [], groupBy: null };

/** "true"/"false" are booleans, numerals are numbers, anything else a string. */
export function parseParamValue(text: string): ParamValue {
  if (text === "true") return true;
  if (text === "false") return false;
  const number = Number(text);
  return text.trim() !== "" && Number.isFinite(number) ? number : text;
}

function parseBound(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name}: "${text}" is not a number`);
  return value;
}

const bound = (value: number | undefined) => (value === undefined ? "" : String(value));

// Keys may hold ":" (e.g. "optimizer:betas"), so bounds are read from the end.
function splitFromEnd(text: string, parts: number): string[] {
  const pieces = text.split(":");
  if (pieces.length < parts) throw new Error(`"${text}" needs ${parts} parts separated by ":"`);
  return [pieces.slice(0, pieces.length - parts + 1).join(":"), ...pieces.slice(pieces.length - parts + 1)];
}

function summaryOf(text: string | undefined, name: string): SummaryField {
  const value = (text ?? "LAST").toUpperCase();
  if (!(SUMMARY_FIELDS as string[]).includes(value)) throw new Error(`${name}: summary must be one of ${SUMMARY_FIELDS.join(", ")}`);
  return value as SummaryField;
}

function parseParamCondition(text: string): ParamCondition {
  if (text.includes("=")) {
    const at = text.indexOf("=");
    const key = text.slice(0, at);
    if (key === "") throw new Error(`param: "${text}" names no key`);
    return { key, equals: parseParamValue(text.slice(at + 1)) };
  }
  const [key = "", gte, lte] = splitFromEnd(text, 3);
  const condition = { key, gte: parseBound(gte, `param ${key} min`), lte: parseBound(lte, `param ${key} max`) };
  if (key === "" || (condition.gte === undefined && condition.lte === undefined)) throw new Error(`param: "${text}" needs key=value or key:min:max`);
  return condition;
}

function parseMetricCondition(text: string): MetricCondition {
  const [key = "", field, gte, lte] = splitFromEnd(text, 4);
  if (key === "") throw new Error(`metric: "${text}" names no key`);
  return { key, field: summaryOf(field, `metric ${key}`), gte: parseBound(gte, `metric ${key} min`), lte: parseBound(lte, `metric ${key} max`) };
}

function parseSort(text: string): SortSpec {
  const [field = "", ...rest] = text.split(":");
  if (!(SORT_FIELDS as string[]).includes(field)) throw new Error(`sort: field must be one of ${SORT_FIELDS.join(", ")}`);
  const direction = rest.pop() === "ASC" ? "ASC" : "DESC";
  if (field === "CREATED_AT" || field === "NAME") return { field: field as RunSortField, summary: "LAST", direction };
  const summary = field === "METRIC" ? summaryOf(rest.pop(), "sort") : "LAST";
  const key = rest.join(":");
  if (key === "") throw new Error(`sort: ${field} needs a key`);
  return { field: field as RunSortField, key, summary, direction };
}

function parseGroupBy(text: string): GroupBy {
  const at = text.indexOf(":");
  const field = at === -1 ? text : text.slice(0, at);
  if (!(GROUP_FIELDS as string[]).includes(field)) throw new Error(`group: must be one of ${GROUP_FIELDS.join(", ")}`);
  if (field !== "PARAM") return { field: field as Exclude<RunGroupField, "PARAM"> };
  const key = at === -1 ? "" : text.slice(at + 1);
  if (key === "") throw new Error("group: PARAM needs a key (PARAM:lr)");
  return { field: "PARAM", key };
}

export function groupByToText(groupBy: GroupBy): string {
  return groupBy.field === "PARAM" ? `PARAM:${groupBy.key}` : groupBy.field;
}

function parseColumn(text: string): Column {
  if (text.startsWith("p:")) return { kind: "param", key: text.slice(2) };
  if (text.startsWith("m:")) {
    const [key = "", summary] = splitFromEnd(text.slice(2), 2);
    return { kind: "metric", key, summary: summaryOf(summary, `column ${key}`) };
  }
  throw new Error(`col: "${text}" must start with p: or m:`);
}

/** The view in a URL's query; entries that do not parse are dropped and reported. */
export function viewFromQuery(query: URLSearchParams): { view: RunsView; problems: string[] } {
  const problems: string[] = [];
  const each = <T>(name: string, parse: (text: string) => T): T[] =>
    query.getAll(name).flatMap((text) => {
      try {
        return [parse(text)];
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        return [];
      }
    });
  const status = query.getAll("status").filter((value): value is RunStatus => (RUN_STATUSES as string[]).includes(value));
  const tags = query.getAll("tag").filter((tag) => tag !== "");
  const params = each("param", parseParamCondition);
  const metrics = each("metric", parseMetricCondition);
  const sort = each("sort", parseSort)[0] ?? DEFAULT_SORT;
  const project = query.get("project") || null;
  const view = {
    project,
    query: query.get("q") ?? "",
    status,
    tags,
    params,
    metrics,
    sort,
    columns: each("col", parseColumn),
    groupBy: each("group", parseGroupBy)[0] ?? null,
  };
  return { view, problems };
}

export function sortToText(sort: SortSpec): string {
  if (sort.field === "CREATED_AT" || sort.field === "NAME") return `${sort.field}:${sort.direction}`;
  if (sort.field === "PARAM") return `PARAM:${sort.key ?? ""}:${sort.direction}`;
  return `METRIC:${sort.key ?? ""}:${sort.summary}:${sort.direction}`;
}

export function columnToText(column: Column): string {
  return column.kind === "param" ? `p:${column.key}` : `m:${column.key}:${column.summary}`;
}

export function viewToQuery(view: RunsView): URLSearchParams {
  const query = new URLSearchParams();
  if (view.project !== null) query.set("project", view.project);
  if (view.query.trim() !== "") query.set("q", view.query.trim());
  for (const status of view.status) query.append("status", status);
  for (const tag of view.tags) query.append("tag", tag);
  for (const param of view.params) {
    query.append("param", "equals" in param ? `${param.key}=${String(param.equals)}` : `${param.key}:${bound(param.gte)}:${bound(param.lte)}`);
  }
  for (const metric of view.metrics) query.append("metric", `${metric.key}:${metric.field}:${bound(metric.gte)}:${bound(metric.lte)}`);
  if (sortToText(view.sort) !== sortToText(DEFAULT_SORT)) query.set("sort", sortToText(view.sort));
  for (const column of view.columns) query.append("col", columnToText(column));
  if (view.groupBy !== null) query.set("group", groupByToText(view.groupBy));
  return query;
}

export function toRunFilter(view: RunsView, teamId: string): RunFilter {
  return {
    teamId,
    projectId: view.project ?? undefined,
    query: view.query.trim() === "" ? undefined : view.query.trim(),
    status: view.status.length > 0 ? view.status : undefined,
    tags: view.tags.length > 0 ? view.tags : undefined,
    params: view.params.length > 0 ? view.params : undefined,
    metrics: view.metrics.length > 0 ? view.metrics : undefined,
  };
}

export function toRunSort(sort: SortSpec): RunSort {
  return { field: sort.field, key: sort.key, summary: sort.summary, direction: sort.direction };
}

/** Clicking a column header: sort by it, or flip the direction when it is already the sort. */
export function sortByColumn(current: SortSpec, target: Omit<SortSpec, "direction">): SortSpec {
  const same = current.field === target.field && current.key === target.key && current.summary === target.summary;
  if (same) return { ...current, direction: current.direction === "DESC" ? "ASC" : "DESC" };
  return { ...target, direction: target.field === "NAME" ? "ASC" : "DESC" };
}
