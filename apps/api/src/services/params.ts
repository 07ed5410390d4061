/**
 * Typed params: a run's hyperparameters as rows (number, string or boolean) that filters and
 * sorts use. A param once set never changes; setting the same value again is accepted.
 */
import { z } from "zod";
import type { Queryable } from "../data/database.ts";
import { PARAM_COLUMNS, type ParamRecord, type ParamType } from "../data/records.ts";
import { badInput } from "../errors.ts";
import { notifyRunUpdated } from "../events/notify.ts";
import { limits } from "../limits.ts";
import { id, key, parseArgs } from "../validation.ts";
import type { Scope } from "./projects.ts";
import { accessibleRun } from "./runs.ts";

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

const paramValueSchema = z.union([z.number().refine(Number.isFinite, { message: "must be finite" }), z.string().max(10_000), z.boolean()], {
  message: "must be a number, a string or a boolean",
});

const logParamsArgs = z.object({
  runId: id,
  params: z
    .array(z.object({ key, value: paramValueSchema }))
    .min(1, { message: "must hold at least one param" })
    .max(limits.logParamsBatch, { message: `must hold at most ${limits.logParamsBatch} params` }),
});

function sameValue(a: TypedParam, b: TypedParam): boolean {
  return a.type === b.type && a.numberValue === b.numberValue && a.stringValue === b.stringValue;
}

export async function logParams(scope: Scope, args: unknown): Promise<ParamRecord[]> {
  const input = parseArgs(logParamsArgs, args);
  const run = await accessibleRun(scope, input.runId, "run:write");
  const wanted = new Map<string, TypedParam>();
  for (const [index, { key: paramKey, value }] of input.params.entries()) {
    const param = typedParam(paramKey, value);
    const earlier = wanted.get(paramKey);
    if (earlier !== undefined && !sameValue(earlier, param)) {
      throw badInput(`params.${index}.value`, `param ${paramKey} is given twice with different values`);
    }
    wanted.set(paramKey, param);
  }
  return scope.db.transaction(async (tx) => {
    await insertParams(tx, run.id, [...wanted.values()]);
    // After the insert, any concurrent writer of the same key has committed: this read sees it.
    const stored = await tx.rows<ParamRecord>(
      `SELECT ${PARAM_COLUMNS} FROM run_param rp WHERE rp.run_id = $1 AND rp.key = ANY($2::text[]) ORDER BY rp.key`,
      [run.id, [...wanted.keys()]],
    );
    for (const record of stored) {
      const param = wanted.get(record.key);
      if (param !== undefined && !sameValue(param, record)) {
        throw badInput(`params.${record.key}`, `param ${record.key} is already set to ${JSON.stringify(paramValue(record))} and cannot change`);
      }
    }
    await notifyRunUpdated(tx, run);
    return stored;
  });
}
