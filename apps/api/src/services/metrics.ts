/** Logging metrics, and reading them back as (downsampled) history and comparisons. */
import { badInput, ingestPoints, type IngestResult, type RunRecord } from "@runboard/db";
import { z } from "zod";
import { limits } from "../limits.ts";
import { probeSeries, readHistories, type HistoryRequest, type SeriesHistory } from "../metrics/history.ts";
import { finite, id, key, parseArgs, step } from "../validation.ts";
import type { Scope } from "./projects.ts";
import { accessibleRun } from "./runs.ts";

const logMetricsArgs = z.object({
  runId: id,
  points: z
    .array(
      z.object({
        key,
        step,
        value: finite,
        epoch: finite.nullish(),
        wallTime: z.coerce.date({ message: "must be an ISO-8601 timestamp" }).nullish(),
      }),
    )
    .min(1, { message: "must hold at least one point" })
    .max(limits.logMetricsBatch, { message: `must hold at most ${limits.logMetricsBatch} points` }),
});

export async function logMetrics(scope: Scope, args: unknown): Promise<IngestResult> {
  const input = parseArgs(logMetricsArgs, args);
  const run = await accessibleRun(scope, input.runId, "run:write");
  return ingestPoints(scope.db, run, input.points);
}

const maxPoints = z
  .number()
  .int({ message: "must be a whole number" })
  .min(6, { message: "must be ≥ 6" })
  .max(limits.maxPoints, { message: `must be ≤ ${limits.maxPoints}` })
  .default(1000);

const stepRange = { fromStep: step.nullish(), toStep: step.nullish() };
const inOrder = (a: { fromStep?: number | null; toStep?: number | null }) => a.fromStep == null || a.toStep == null || a.fromStep <= a.toStep;
const inOrderRule = { message: "must be ≥ fromStep", path: ["toStep"] };

const historyArgs = z.object({ runId: id, key, ...stepRange, maxPoints }).refine(inOrder, inOrderRule);

export async function metricHistory(scope: Scope, args: unknown): Promise<SeriesHistory> {
  const input = parseArgs(historyArgs, args);
  const request = {
    runId: input.runId,
    key: input.key,
    fromStep: input.fromStep ?? undefined,
    toStep: input.toStep ?? undefined,
    maxPoints: input.maxPoints,
  };
  const [history] = (await readAccessible(scope, [input.runId], [request])).series;
  if (history === undefined) throw new Error("no history read");
  return history;
}

/**
 * The access check and the series probe go out together (one round trip less); the probe
 * only counts, and nothing of it is read further or returned unless every run is accessible.
 */
async function readAccessible(scope: Scope, runIds: string[], requests: HistoryRequest[]) {
  const [runs, probes] = await Promise.all([Promise.all(runIds.map((runId) => accessibleRun(scope, runId, "team:read"))), probeSeries(scope.db, requests)]);
  return { runs, series: await readHistories(scope.db, requests, probes) };
}

const compareArgs = z
  .object({
    runIds: z
      .array(id)
      .min(1, { message: "must hold at least one run" })
      .max(limits.compareRuns, { message: `must hold at most ${limits.compareRuns} runs` }),
    keys: z
      .array(key)
      .min(1, { message: "must hold at least one key" })
      .max(limits.compareKeys, { message: `must hold at most ${limits.compareKeys} keys` }),
    ...stepRange,
    maxPoints,
  })
  .refine(inOrder, inOrderRule);

/** Series (runs × keys) and maxPoints × series are capped, so one comparison reads a bounded number of rows. */
export async function compareRuns(scope: Scope, args: unknown): Promise<{ runs: RunRecord[]; series: SeriesHistory[] }> {
  const input = parseArgs(compareArgs, args);
  const runIds = [...new Set(input.runIds)];
  const keys = [...new Set(input.keys)];
  const series = runIds.length * keys.length;
  if (series > limits.compareSeries) throw badInput("keys", `runs × keys must be at most ${limits.compareSeries}`);
  if (series * input.maxPoints > limits.comparePoints) {
    throw badInput("maxPoints", `maxPoints × runs × keys must be at most ${limits.comparePoints}`);
  }
  const range = { fromStep: input.fromStep ?? undefined, toStep: input.toStep ?? undefined };
  const requests = runIds.flatMap((runId) => keys.map((metricKey) => ({ runId, key: metricKey, ...range, maxPoints: input.maxPoints })));
  return readAccessible(scope, runIds, requests);
}
