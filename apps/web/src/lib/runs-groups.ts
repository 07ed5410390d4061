/**
 * Grouped rows of the runs table: the group's label, its mean ± std, and the search (in the
 * API's query language) that shows the runs of one group.
 */
import { formatNumber } from "./format.ts";
import type { GroupBy } from "./runs-view.ts";

const PLAIN_KEY = /^[A-Za-z_][\w.\-/:@]*$/;

/** A text value in the query language: double-quoted, with " and \ escaped. */
export const quoteText = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

const paramField = (key: string) => (PLAIN_KEY.test(key) ? `params.${key}` : `params.\`${key.replace(/[\\`]/g, (c) => `\\${c}`)}\``);

const FIELD_NAMES = { GROUP_KEY: "group", BACKBONE: "backbone", RECIPE: "recipe" } as const;

/** The condition that selects the runs of one group; undefined where the language cannot say it (runs without tags). */
export function groupCondition(groupBy: GroupBy, value: unknown): string | undefined {
  switch (groupBy.field) {
    case "PARAM": {
      const field = paramField(groupBy.key);
      if (value === null || value === undefined) return `not ${field}`;
      return `${field} = ${typeof value === "string" ? quoteText(value) : String(value)}`;
    }
    case "TAG":
      return value === null || value === undefined ? undefined : `tag = ${quoteText(String(value))}`;
    case "STATUS":
      return `status = ${String(value).toLowerCase()}`;
    default: {
      const field = FIELD_NAMES[groupBy.field];
      // ~ "" matches every run that has a value
      return value === null || value === undefined ? `not ${field} ~ ""` : `${field} = ${quoteText(String(value))}`;
    }
  }
}

/** The current search narrowed to one group. */
export function narrowSearch(query: string, condition: string): string {
  return query.trim() === "" ? condition : `(${query.trim()}) and ${condition}`;
}

export function groupLabel(groupBy: GroupBy, value: unknown): string {
  if (value !== null && value !== undefined) return typeof value === "number" ? formatNumber(value) : String(value);
  const what = {
    PARAM: `no ${groupBy.field === "PARAM" ? groupBy.key : ""}`,
    TAG: "no tags",
    GROUP_KEY: "no group",
    BACKBONE: "no backbone",
    RECIPE: "no recipe",
    STATUS: "–",
  };
  return `(${what[groupBy.field]})`;
}

export function meanStd(metric: { mean?: number | null; std?: number | null } | undefined): string {
  if (metric?.mean === null || metric?.mean === undefined) return "–";
  return metric.std === null || metric.std === undefined ? formatNumber(metric.mean) : `${formatNumber(metric.mean)} ± ${formatNumber(metric.std)}`;
}
