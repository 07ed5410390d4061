/**
 * Typed params: a run's hyperparameters as rows (number, string or boolean) that filters and
 * sorts use. A param once set never changes; setting the same value again is accepted.
 */
import type { Queryable } from "./database.ts";
import type { ParamRecord } from "./records.ts";
import type { ParamType } from "./generated/prisma/enums.ts";

export type ParamValue = number | string | boolean;

export interface TypedParam {
  key: string;
  type: ParamType;
  numberValue: number | null;
  stringValue: string | null;
}

export function typedParam(paramKey: string, value: ParamValue): TypedParam {
  if (typeof value === "number") return { key: paramKey, type: "NUMBER", numberValue: value, stringValue: null };
  if (typeof value === "boolean") return { key: paramKey, type: "BOOLEAN", numberValue: null, stringValue: String(value) };
  return { key: paramKey, type: "STRING", numberValue: null, stringValue: value };
}

export function paramValue(param: Pick<ParamRecord, "type" | "numberValue" | "stringValue">): ParamValue {
  if (param.type === "NUMBER") return param.numberValue ?? Number.NaN;
  if (param.type === "BOOLEAN") return param.stringValue === "true";
  return param.stringValue ?? "";
}

/** Scalar leaves of a hyperparameter object, nested keys joined with dots; arrays and nulls are kept only in the JSON. */
export function paramsFromHyperparameters(hyperparameters: Record<string, unknown>, prefix = ""): TypedParam[] {
  const params: TypedParam[] = [];
  for (const [name, value] of Object.entries(hyperparameters)) {
    const path = prefix + name;
    if (typeof value === "number" && Number.isFinite(value)) params.push(typedParam(path, value));
    else if (typeof value === "string" || typeof value === "boolean") params.push(typedParam(path, value));
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      params.push(...paramsFromHyperparameters(value as Record<string, unknown>, `${path}.`));
    }
  }
  return params;
}

/** Inserts params, skipping keys already set; returns nothing about conflicts (callers check). */
export async function insertParams(tx: Queryable, runId: string, params: TypedParam[]): Promise<void> {
  if (params.length === 0) return;
  await tx.run(
    `INSERT INTO run_param (run_id, key, type, number_value, string_value)
     SELECT $1, k, t::"ParamType", n, s FROM unnest($2::text[], $3::text[], $4::float8[], $5::text[]) AS x(k, t, n, s)
     ON CONFLICT (run_id, key) DO NOTHING`,
    [runId, params.map((p) => p.key), params.map((p) => p.type), params.map((p) => p.numberValue), params.map((p) => p.stringValue)],
  );
}
