/**
 * runs/log-inputs (the datasets a run used, `mlflow.log_input`) and
 * metrics/get-history-bulk-interval (several runs' history of one metric at sampled steps, what
 * MLflow's UI charts read).
 *
 * Runboard has no dataset-input table: the run's dataset inputs are kept, as MLflow's JSON
 * (`[{"tags": [...], "dataset": {...}}]`), in the run tag `mlflow.log-inputs.datasets`, and
 * every run MLflow reads back gets them as `inputs.dataset_inputs`. A dataset already logged to
 * the run (same name and digest) is kept as it is, as MLflow does.
 */
import { notifyRunUpdated } from "@runboard/db";
import type { Handler } from "./context.ts";
import { invalidField } from "./errors.ts";
import { entityId, entityKey, item, list, optionalInteger, optionalString, requiredString, runIdOf, type RequestFields } from "./input.ts";
import { writeTags } from "./params.ts";
import { inItem } from "./runs.ts";
import { DATASET_INPUTS_TAG, type DatasetInput, datasetInputsOf } from "./shapes.ts";
import { accessibleRun, activeRun } from "./store.ts";

/** MLflow's limits (mlflow/utils/validation.py): field lengths of a dataset and its input tags. */
export const DATASET_LIMITS = {
  datasetsPerCall: 1_000,
  name: 500,
  digest: 36,
  sourceType: 100,
  source: 65_535,
  schema: 1_048_575,
  profile: 16_384,
  tagsPerInput: 100,
  tagKey: 255,
  tagValue: 500,
} as const;

/** The whole stored list: well over any real use, under the request body limit. */
const MAX_STORED_CHARS = 4 * 1024 * 1024;

function readDatasetInput(value: unknown, prefix: string): DatasetInput {
  const input = item(value, prefix);
  return inItem(prefix, () => {
    const dataset = item(input.dataset, "dataset");
    const read = inItem("dataset", () => {
      const schema = optionalString(dataset, "schema", DATASET_LIMITS.schema);
      const profile = optionalString(dataset, "profile", DATASET_LIMITS.profile);
      return {
        name: requiredString(dataset, "name", DATASET_LIMITS.name),
        digest: requiredString(dataset, "digest", DATASET_LIMITS.digest),
        source_type: requiredString(dataset, "source_type", DATASET_LIMITS.sourceType),
        source: requiredString(dataset, "source", DATASET_LIMITS.source),
        ...(schema === undefined || schema === "" ? {} : { schema }),
        ...(profile === undefined || profile === "" ? {} : { profile }),
      };
    });
    const tags = list(input, "tags", DATASET_LIMITS.tagsPerInput).map((tag, index) => {
      const fields = item(tag, `tags[${index}]`);
      return inItem(`tags[${index}]`, () => ({
        key: requiredString(fields, "key", DATASET_LIMITS.tagKey),
        value: optionalString(fields, "value", DATASET_LIMITS.tagValue) ?? "",
      }));
    });
    return { tags, dataset: read };
  });
}

const logInputs: Handler = async ({ scope, fields }) => {
  const inputs = list(fields, "datasets", DATASET_LIMITS.datasetsPerCall).map((value, index) => readDatasetInput(value, `datasets[${index}]`));
  // Logged models (MLflow 3's `models`) have no place here yet: they are ignored, like other unknown fields.
  const run = await activeRun(scope, runIdOf(fields));
  if (inputs.length === 0) return {};
  await scope.db.transaction(async (tx) => {
    // The row lock orders concurrent calls on the same run.
    const [current] = await tx.rows<{ value: string }>(`SELECT value FROM run_tag WHERE run_id = $1 AND key = $2 FOR UPDATE`, [run.id, DATASET_INPUTS_TAG]);
    const stored = current === undefined ? [] : datasetInputsOf([{ key: DATASET_INPUTS_TAG, value: current.value }]);
    const seen = new Set(stored.map((input) => `${input.dataset.name}\0${input.dataset.digest}`));
    const added = inputs.filter((input) => {
      const key = `${input.dataset.name}\0${input.dataset.digest}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (added.length === 0) return;
    const value = JSON.stringify([...stored, ...added]);
    if (value.length > MAX_STORED_CHARS) throw invalidField("datasets", `the run's dataset inputs would pass ${MAX_STORED_CHARS} characters`);
    await writeTags(tx, run.id, [{ key: DATASET_INPUTS_TAG, value }]);
    await notifyRunUpdated(tx, run);
  });
  return {};
};

/** MLflow's limits of get-history-bulk-interval (mlflow/server/handlers.py). */
export const BULK_INTERVAL_LIMITS = { runs: 100, resultsPerRun: 2_500 } as const;

/**
 * MLflow's sampling: the steps in [start, end] of every requested run, sorted; all of them when
 * they fit in `maxResults`, else `maxResults` of them evenly spaced plus the last.
 */
export function sampledSteps(start: number, end: number, maxResults: number, allSteps: readonly number[]): Set<number> {
  const inRange = allSteps.filter((step) => step >= start && step <= end);
  if (inRange.length <= maxResults) return new Set(inRange);
  const interval = inRange.length / maxResults;
  const sampled = new Set<number>();
  for (let i = 0; i < maxResults; i++) sampled.add(inRange[Math.floor(i * interval)]!);
  sampled.add(inRange.at(-1)!);
  return sampled;
}

function runIdsOf(fields: RequestFields): string[] {
  const given = list(fields, "run_ids", BULK_INTERVAL_LIMITS.runs);
  if (given.length === 0) throw invalidField("run_ids", "must hold at least one run id");
  return given.map((id, index) => {
    if (typeof id !== "string") throw invalidField(`run_ids[${index}]`, "must be a string");
    return entityId(id, "run");
  });
}

const historyBulkInterval: Handler = async ({ scope, fields }) => {
  const runIds = runIdsOf(fields);
  const key = entityKey(fields, "metric_key");
  const maxResults = optionalInteger(fields, "max_results", 1, BULK_INTERVAL_LIMITS.resultsPerRun) ?? BULK_INTERVAL_LIMITS.resultsPerRun;
  const startStep = optionalInteger(fields, "start_step", 0);
  const endStep = optionalInteger(fields, "end_step", 0);
  if ((startStep === undefined) !== (endStep === undefined)) throw invalidField("start_step", "give both start_step and end_step, or neither");
  if (startStep !== undefined && endStep !== undefined && startStep > endStep) throw invalidField("end_step", "must be ≥ start_step");
  const runs = await Promise.all(runIds.map((id) => accessibleRun(scope, id, "team:read")));
  const ids = runs.map((run) => run.id);
  // Each run's steps of the metric, with its first and last (kept whatever the sampling drops).
  const bounds = await scope.db.rows<{ first: number; last: number }>(
    `SELECT min(step)::float8 AS first, max(step)::float8 AS last FROM metric_point WHERE run_id = ANY($1::uuid[]) AND key = $2 GROUP BY run_id`,
    [ids, key],
  );
  const steps = await scope.db.rows<{ step: number }>(
    `SELECT DISTINCT step::float8 AS step FROM metric_point WHERE run_id = ANY($1::uuid[]) AND key = $2 ORDER BY 1`,
    [ids, key],
  );
  const allSteps = steps.map((row) => row.step);
  const start = startStep ?? 0;
  const end = endStep ?? allSteps.at(-1) ?? 0;
  const chosen = sampledSteps(start, end, maxResults, allSteps);
  for (const { first, last } of bounds) for (const step of [first, last]) if (step >= start && step <= end) chosen.add(step);
  const points = await scope.db.rows<{ runId: string; key: string; value: number; step: number; timestamp: number }>(
    `SELECT run_id AS "runId", key, value, step::float8 AS step, (extract(epoch FROM wall_time) * 1000)::float8 AS timestamp
     FROM metric_point WHERE run_id = ANY($1::uuid[]) AND key = $2 AND step = ANY($3::bigint[]) ORDER BY run_id, step`,
    [ids, key, [...chosen]],
  );
  // In the order of run_ids, as MLflow answers.
  const order = new Map(ids.map((id, index) => [id, index]));
  points.sort((a, b) => order.get(a.runId)! - order.get(b.runId)! || a.step - b.step);
  return {
    metrics: points.map((point) => ({ key: point.key, value: point.value, timestamp: Math.round(point.timestamp), step: point.step, run_id: point.runId })),
  };
};

export const inputRoutes: Record<string, { methods: string[]; handle: Handler }> = {
  "runs/log-inputs": { methods: ["POST"], handle: logInputs },
  "metrics/get-history-bulk-interval": { methods: ["GET"], handle: historyBulkInterval },
};
