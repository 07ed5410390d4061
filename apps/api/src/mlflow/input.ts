/**
 * Readers for the fields of an MLflow request: a JSON body (POST) or query parameters (GET),
 * both seen as one object. Every problem is INVALID_PARAMETER_VALUE naming the field.
 * Protobuf's JSON mapping lets int64 fields arrive as numbers or as decimal strings; both
 * are accepted. Fields this server does not know are ignored, as clients of newer MLflow
 * versions send some.
 */
import { isUuid } from "../data/loaders.ts";
import { doesNotExist, invalidField } from "./errors.ts";

export type RequestFields = Record<string, unknown>;

/** MLflow's own limits (mlflow/utils/validation.py). */
export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
const KEY_PATTERN = /^[\w.\-/:@ ]+$/;

/** Fields read from a query string, where a repeated field given once is one plain value. */
const fromQuery = new WeakSet<RequestFields>();

export function fieldsOfQuery(search: URLSearchParams): RequestFields {
  const fields: RequestFields = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    fields[name] = values.length === 1 ? values[0] : values;
  }
  fromQuery.add(fields);
  return fields;
}

export function fieldsOfBody(text: string): RequestFields {
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidField("body", "must be valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidField("body", "must be a JSON object");
  return body as RequestFields;
}

export function optionalString(fields: RequestFields, field: string, maxLength = 10_000): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidField(field, "must be a string");
  if (value.length > maxLength) throw invalidField(field, `must be at most ${maxLength} characters`);
  return value;
}

export function requiredString(fields: RequestFields, field: string, maxLength = 10_000): string {
  const value = optionalString(fields, field, maxLength);
  if (value === undefined || value === "") throw invalidField(field, "is required");
  return value;
}

/** An int64 field: a whole number or its decimal string, exact in a double (|n| ≤ 2^53 - 1). */
export function optionalInteger(
  fields: RequestFields,
  field: string,
  minimum = Number.MIN_SAFE_INTEGER,
  maximum = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number)) throw invalidField(field, "must be a whole number (|n| ≤ 2^53 - 1)");
  if (number < minimum) throw invalidField(field, `must be ≥ ${minimum}`);
  if (number > maximum) throw invalidField(field, `must be ≤ ${maximum}`);
  return number;
}

export function requiredInteger(fields: RequestFields, field: string, minimum?: number): number {
  const value = optionalInteger(fields, field, minimum);
  if (value === undefined) throw invalidField(field, "is required");
  return value;
}

/** A double; protobuf's JSON also spells NaN and the infinities as strings, which Runboard does not store. */
export function requiredFinite(fields: RequestFields, field: string): number {
  const value = fields[field];
  if (value === undefined || value === null) throw invalidField(field, "is required");
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) throw invalidField(field, "must be a finite number (NaN and infinities are not stored)");
  return number;
}

/** A repeated field: absent is empty; one query parameter is a list of one. */
export function list(fields: RequestFields, field: string, maxItems: number): unknown[] {
  const value = fields[field];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === "string" && fromQuery.has(fields) ? [value] : null;
  if (items === null) throw invalidField(field, "must be a list");
  if (items.length > maxItems) throw invalidField(field, `must hold at most ${maxItems} items`);
  return items;
}

/** An object item of a repeated field, e.g. `metrics[3]`. */
export function item(value: unknown, field: string): RequestFields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidField(field, "must be an object");
  return value as RequestFields;
}

/** A metric, param or tag key (MLflow's rule, plus `@` which Runboard's keys allow). */
export function entityKey(fields: RequestFields, field: string): string {
  const value = requiredString(fields, field, MAX_KEY_LENGTH);
  if (!KEY_PATTERN.test(value)) throw invalidField(field, "may hold letters, digits, spaces and _ . - / : @ only");
  if (value.trim() === "") throw invalidField(field, "must hold more than spaces");
  return value;
}

/** A value that may be empty but must be a string (params and tags). */
export function entityValue(fields: RequestFields, field: string, maxLength: number): string {
  const value = optionalString(fields, field, maxLength);
  if (value === undefined) throw invalidField(field, "is required");
  return value;
}

/**
 * A run or experiment id. Ids are opaque to MLflow clients, so one that cannot be ours
 * (not a UUID) simply does not exist.
 */
export function entityId(value: string, kind: string): string {
  if (!isUuid(value)) throw doesNotExist(kind, value);
  return value.toLowerCase();
}

/** run_id, or the deprecated run_uuid that older clients (and newer ones, alongside) send. */
export function runIdOf(fields: RequestFields): string {
  const runId = optionalString(fields, "run_id", 100) || optionalString(fields, "run_uuid", 100);
  if (runId === undefined || runId === "") throw invalidField("run_id", "is required");
  return entityId(runId, "run");
}
