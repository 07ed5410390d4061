/**
 * MLflow's params, tags and metrics written into Runboard's tables, inside the caller's
 * transaction. MLflow params are strings; they are stored typed where the string is exactly
 * how the number or boolean prints (`"0.001"` → 0.001, `"true"` → true, but `"1.0"` and
 * `"True"` stay strings), so dashboard filters and sorts work and the string reads back
 * unchanged. A param once logged never changes (MLflow's rule and Runboard's).
 */
import { ingestColumns, insertParams, type ParamRecord, type Queryable, typedParam, type TypedParam } from "@runboard/db";
import { invalidField } from "./errors.ts";
import { paramString } from "./store.ts";
import type { KeyValue, MetricValue } from "./shapes.ts";

export function mlflowParamAsTyped(key: string, value: string): TypedParam {
  if (value === "true" || value === "false") return typedParam(key, value === "true");
  const number = Number(value);
  if (value.trim() !== "" && Number.isFinite(number) && String(number) === value) return typedParam(key, number);
  return typedParam(key, value);
}

/** Checks one request's params among themselves: a key given twice must carry one value. */
export function distinctParams(params: KeyValue[], field: string): KeyValue[] {
  const byKey = new Map<string, string>();
  for (const [index, { key, value }] of params.entries()) {
    const earlier = byKey.get(key);
    if (earlier !== undefined && earlier !== value) throw invalidField(`${field}[${index}].value`, `param '${key}' is given twice with different values`);
    byKey.set(key, value);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** Inserts new params and refuses (rolling the transaction back) any key already logged with another value. */
export async function writeParams(tx: Queryable, runId: string, params: KeyValue[], field: string): Promise<void> {
  if (params.length === 0) return;
  await insertParams(
    tx,
    runId,
    params.map(({ key, value }) => mlflowParamAsTyped(key, value)),
  );
  // After the insert, a concurrent writer of the same key has committed: this read sees its value.
  const stored = await tx.rows<ParamRecord>(
    `SELECT rp.key, rp.type, rp.number_value AS "numberValue", rp.string_value AS "stringValue"
     FROM run_param rp WHERE rp.run_id = $1 AND rp.key = ANY($2::text[])`,
    [runId, params.map((p) => p.key)],
  );
  const wanted = new Map(params.map((p) => [p.key, p.value]));
  for (const record of stored) {
    const value = wanted.get(record.key);
    const current = paramString(record);
    if (value !== undefined && value !== current) {
      throw invalidField(field, `param '${record.key}' was already logged with value '${current}' and cannot change to '${value}'`);
    }
  }
}

/** Sets tags (the last value of a key given twice wins, as in MLflow); mlflow.runName also renames the run. */
export async function writeTags(tx: Queryable, runId: string, tags: KeyValue[]): Promise<void> {
  if (tags.length === 0) return;
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  await tx.run(
    `INSERT INTO run_tag (run_id, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS x(k, v)
     ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value`,
    [runId, [...byKey.keys()], [...byKey.values()]],
  );
  const runName = byKey.get(RUN_NAME_TAG);
  if (runName !== undefined) await tx.run(`UPDATE run SET name = $2 WHERE id = $1`, [runId, runName]);
}

export const RUN_NAME_TAG = "mlflow.runName";

export async function writeMetrics(tx: Queryable, run: { id: string; teamId: string }, metrics: MetricValue[]): Promise<void> {
  if (metrics.length === 0) return;
  await ingestColumns(tx, run, {
    keys: metrics.map((m) => m.key),
    steps: metrics.map((m) => m.step),
    values: metrics.map((m) => m.value),
    epochs: [],
    wallTimes: metrics.map((m) => new Date(m.timestamp)),
  });
}
