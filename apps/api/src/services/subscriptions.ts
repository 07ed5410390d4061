/** Live updates of one run, for callers who may read it. */
import type { RunEvent } from "@runboard/db";
import { z } from "zod";
import type { ApiContext } from "../server/context.ts";
import { limits } from "../limits.ts";
import { id, key, parseArgs } from "../validation.ts";
import { accessibleRun } from "./runs.ts";

type MetricsEvent = Extract<RunEvent, { kind: "metrics" }>;

export async function runUpdates(ctx: ApiContext, args: unknown): Promise<AsyncIterableIterator<RunEvent>> {
  const input = parseArgs(z.object({ runId: id }), args);
  const run = await accessibleRun(ctx, input.runId, "team:read");
  return ctx.events.subscribe(run.id, (event) => event.kind === "run");
}

export async function metricAppends(ctx: ApiContext, args: unknown): Promise<AsyncIterableIterator<RunEvent>> {
  const input = parseArgs(z.object({ runId: id, keys: z.array(key).max(limits.compareKeys).nullish() }), args);
  const run = await accessibleRun(ctx, input.runId, "team:read");
  const wanted = input.keys && input.keys.length > 0 ? new Set(input.keys) : null;
  const narrowed = ctx.events.subscribe(run.id, (event) => event.kind === "metrics" && (wanted === null || event.keys.some((k) => wanted.has(k))));
  // Each delivered event lists only the subscribed keys.
  const iterator: AsyncIterableIterator<RunEvent> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      const result = await narrowed.next();
      if (result.done || result.value.kind !== "metrics" || wanted === null) return result;
      return { done: false, value: { ...result.value, keys: result.value.keys.filter((k) => wanted.has(k)) } };
    },
    return: () => narrowed.return?.() ?? Promise.resolve({ value: undefined, done: true as const }),
  };
  return iterator;
}

export interface AppendedPoint {
  key: string;
  step: number;
  value: number;
  epoch: number | null;
  wallTime: Date;
}

/** The points of the event's keys in its step range, capped at one logMetrics batch. */
export async function appendedPoints(ctx: ApiContext, event: MetricsEvent): Promise<AppendedPoint[]> {
  return ctx.db.rows<AppendedPoint>(
    `SELECT key, step::float8 AS step, value, epoch, wall_time AS "wallTime" FROM metric_point
     WHERE run_id = $1 AND key = ANY($2::text[]) AND step BETWEEN $3 AND $4 ORDER BY metric_point.key, metric_point.step LIMIT $5`,
    [event.runId, event.keys, event.fromStep, event.toStep, limits.logMetricsBatch],
  );
}
