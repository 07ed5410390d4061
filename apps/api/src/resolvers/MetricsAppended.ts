import type { RunEvent } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";
import { appendedPoints } from "../services/subscriptions.ts";

type MetricsEvent = Extract<RunEvent, { kind: "metrics" }>;

export const MetricsAppended = {
  points: (event: MetricsEvent, _: unknown, ctx: ApiContext) => appendedPoints(ctx, event),
};
