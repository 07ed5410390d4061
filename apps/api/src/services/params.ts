/**
 * logParams: a run's params set through the API. A param once set never changes; setting the
 * same value again is accepted. The typed-param rows themselves live in @runboard/db (params.ts).
 */
import { badInput, insertParams, notifyRunUpdated, PARAM_COLUMNS, paramValue, type ParamRecord, typedParam, type TypedParam } from "@runboard/db";
import { z } from "zod";
import { limits } from "../limits.ts";
import { id, key, parseArgs } from "../validation.ts";
import type { Scope } from "./projects.ts";
import { accessibleRun } from "./runs.ts";

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
    const stored = await tx.rows<ParamRecord>(`SELECT ${PARAM_COLUMNS} FROM run_param rp WHERE rp.run_id = $1 AND rp.key = ANY($2::text[]) ORDER BY rp.key`, [
      run.id,
      [...wanted.keys()],
    ]);
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
