/**
 * The compact ingestion body: points as parallel arrays, validated with plain loops (a batch
 * of 10,000 points is 50,000 values; this is the hot path of every training script).
 *   { "keys": ["loss", ...], "steps": [1, ...], "values": [0.5, ...],
 *     "epochs": [0, ...] (optional), "wallTimes": ["2026-01-01T00:00:00Z", ...] (optional) }
 * Every rule matches the GraphQL input's (src/validation.ts); errors name the field and index.
 */
import { badInput, type MetricColumns } from "@runboard/db";
import { limits } from "../limits.ts";
import { BLANK_KEY_RULE } from "../validation.ts";

const KEY_PATTERN = /^[\w.\-/:@ ]+$/;
const MAX_KEY_LENGTH = 250;

type Check = (item: unknown) => string | null;

const checkKey: Check = (item) => {
  if (typeof item !== "string") return "must be a string";
  if (item.length === 0) return "must not be empty";
  if (item.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  if (!KEY_PATTERN.test(item)) return "may hold letters, digits, spaces and _ . - / : @ only";
  return item.trim() === "" ? BLANK_KEY_RULE : null;
};

const checkStep: Check = (item) => {
  if (typeof item !== "number" || !Number.isInteger(item)) return "must be a whole number";
  if (item < 0) return "must be ≥ 0";
  return item > Number.MAX_SAFE_INTEGER ? "must be ≤ 2^53 - 1" : null;
};

const checkFinite: Check = (item) => (typeof item === "number" && Number.isFinite(item) ? null : "must be a finite number");

const checkOptionalFinite: Check = (item) => (item === null ? null : checkFinite(item));

const checkWallTime: Check = (item) =>
  item === null || (typeof item === "string" && !Number.isNaN(Date.parse(item))) ? null : "must be an ISO-8601 timestamp or null";

/** An array field of the body, each item checked; `required: false` accepts a missing field. */
function column(body: Record<string, unknown>, field: string, check: Check, length: number | null, required = true): unknown[] {
  const value = body[field];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) throw badInput(field, "must be an array");
  if (length !== null && value.length !== length) throw badInput(field, `must hold as many items as keys (${length})`);
  for (let index = 0; index < value.length; index++) {
    const rule = check(value[index]);
    if (rule !== null) throw badInput(`${field}.${index}`, rule);
  }
  return value;
}

export function parseMetricColumns(body: unknown): MetricColumns {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badInput("body", "must be a JSON object");
  const fields = body as Record<string, unknown>;
  const unknownField = Object.keys(fields).find((name) => !["keys", "steps", "values", "epochs", "wallTimes"].includes(name));
  if (unknownField !== undefined) throw badInput(unknownField, "is not a field: use keys, steps, values, epochs, wallTimes");
  const keys = column(fields, "keys", checkKey, null) as string[];
  if (keys.length === 0) throw badInput("keys", "must hold at least one point");
  if (keys.length > limits.logMetricsBatch) throw badInput("keys", `must hold at most ${limits.logMetricsBatch} points`);
  const n = keys.length;
  return {
    keys,
    steps: column(fields, "steps", checkStep, n) as number[],
    values: column(fields, "values", checkFinite, n) as number[],
    epochs: column(fields, "epochs", checkOptionalFinite, n, false) as Array<number | null>,
    wallTimes: (column(fields, "wallTimes", checkWallTime, n, false) as Array<string | null>).map((t) => (t === null ? null : new Date(t))),
  };
}
