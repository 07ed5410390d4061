/**
 * runs/log-metric, log-parameter, log-batch, set-tag, delete-tag. Each request is one
 * transaction: a batch whose param conflicts with a logged value writes nothing at all.
 * Metric points are Runboard's, keyed by (key, step): a second value at a step already logged
 * is ignored (the first is kept), so scripts should pass `step`.
 */
import { notifyRunUpdated } from "@runboard/db";
import type { Handler } from "./context.ts";
import { doesNotExist, invalidField } from "./errors.ts";
import {
  entityKey,
  entityValue,
  item,
  list,
  MAX_PARAM_VALUE_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  optionalInteger,
  requiredFinite,
  requiredInteger,
  runIdOf,
  type RequestFields,
} from "./input.ts";
import { distinctParams, writeMetrics, writeParams, writeTags } from "./params.ts";
import { inItem, readTag, readTags } from "./runs.ts";
import type { KeyValue, MetricValue } from "./shapes.ts";
import { activeRun } from "./store.ts";

/** MLflow's per-request limits of log-batch. */
export const BATCH_LIMITS = { metrics: 1_000, params: 100, tags: 100 } as const;

function readMetric(fields: RequestFields, prefix: string): MetricValue {
  return inItem(prefix, () => ({
    key: entityKey(fields, "key"),
    value: requiredFinite(fields, "value"),
    timestamp: requiredInteger(fields, "timestamp", 0),
    // Runboard steps are 0 … 2^53 - 1; MLflow's default step is 0.
    step: optionalInteger(fields, "step", 0) ?? 0,
  }));
}

function readParam(fields: RequestFields, prefix: string): KeyValue {
  return inItem(prefix, () => ({ key: entityKey(fields, "key"), value: entityValue(fields, "value", MAX_PARAM_VALUE_LENGTH) }));
}

const logMetric: Handler = async ({ scope, deps, fields }) => {
  const metric = readMetric(fields, "");
  const run = await activeRun(scope, runIdOf(fields));
  deps.rateLimits.charge("points", scope.caller.tokenId, 1);
  await scope.db.transaction((tx) => writeMetrics(tx, run, [metric]));
  return {};
};

const logParameter: Handler = async ({ scope, fields }) => {
  const param = readParam(fields, "");
  const run = await activeRun(scope, runIdOf(fields));
  await scope.db.transaction(async (tx) => {
    await writeParams(tx, run.id, [param], "value");
    await notifyRunUpdated(tx, run);
  });
  return {};
};

const logBatch: Handler = async ({ scope, deps, fields }) => {
  const metrics = list(fields, "metrics", BATCH_LIMITS.metrics).map((m, index) => readMetric(item(m, `metrics[${index}]`), `metrics[${index}]`));
  const params = distinctParams(
    list(fields, "params", BATCH_LIMITS.params).map((p, index) => readParam(item(p, `params[${index}]`), `params[${index}]`)),
    "params",
  );
  const tags = readTags(fields, BATCH_LIMITS.tags);
  const run = await activeRun(scope, runIdOf(fields));
  deps.rateLimits.charge("points", scope.caller.tokenId, metrics.length);
  await scope.db.transaction(async (tx) => {
    await writeParams(tx, run.id, params, "params");
    await writeTags(tx, run.id, tags);
    await writeMetrics(tx, run, metrics);
    if (params.length > 0 || tags.length > 0) await notifyRunUpdated(tx, run);
  });
  return {};
};

const setTag: Handler = async ({ scope, fields }) => {
  const tag = readTag(fields, "");
  const run = await activeRun(scope, runIdOf(fields));
  await scope.db.transaction(async (tx) => {
    await writeTags(tx, run.id, [tag]);
    await notifyRunUpdated(tx, run);
  });
  return {};
};

const deleteTag: Handler = async ({ scope, fields }) => {
  const key = entityKey(fields, "key");
  const run = await activeRun(scope, runIdOf(fields));
  const deleted = await scope.db.transaction(async (tx) => {
    const count = await tx.run(`DELETE FROM run_tag WHERE run_id = $1 AND key = $2`, [run.id, key]);
    if (count > 0) await notifyRunUpdated(tx, run);
    return count;
  });
  if (deleted === 0) throw doesNotExist(`tag '${key}' of run`, run.id);
  return {};
};

/** The tag where MLflow's server keeps the models logged to a run (what runs/log-model appends to). */
const MODEL_HISTORY_TAG = "mlflow.log-model.history";

/** runs/log-model: the model's MLmodel metadata, appended to the run's model history tag. */
const logModel: Handler = async ({ scope, fields }) => {
  const text = entityValue(fields, "model_json", MAX_TAG_VALUE_LENGTH);
  let model: unknown;
  try {
    model = JSON.parse(text);
  } catch {
    throw invalidField("model_json", "must be a JSON object");
  }
  if (typeof model !== "object" || model === null || Array.isArray(model)) throw invalidField("model_json", "must be a JSON object");
  const run = await activeRun(scope, runIdOf(fields));
  await scope.db.transaction(async (tx) => {
    // The row lock orders concurrent appends; the history is a JSON array like MLflow's.
    const [current] = await tx.rows<{ value: string }>(`SELECT value FROM run_tag WHERE run_id = $1 AND key = $2 FOR UPDATE`, [run.id, MODEL_HISTORY_TAG]);
    const history = current === undefined ? [] : parseHistory(current.value);
    const value = JSON.stringify([...history, model]);
    if (value.length > MAX_TAG_VALUE_LENGTH) throw invalidField("model_json", `the run's model history would pass ${MAX_TAG_VALUE_LENGTH} characters`);
    await writeTags(tx, run.id, [{ key: MODEL_HISTORY_TAG, value }]);
    await notifyRunUpdated(tx, run);
  });
  return {};
};

function parseHistory(value: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export const loggingRoutes: Record<string, { methods: string[]; handle: Handler }> = {
  "runs/log-metric": { methods: ["POST"], handle: logMetric },
  "runs/log-parameter": { methods: ["POST"], handle: logParameter },
  "runs/log-batch": { methods: ["POST"], handle: logBatch },
  "runs/set-tag": { methods: ["POST"], handle: setTag },
  "runs/delete-tag": { methods: ["POST"], handle: deleteTag },
  "runs/log-model": { methods: ["POST"], handle: logModel },
};
