import type { RunEvent } from "@runboard/db";
import { createLoaders } from "../data/loaders.ts";
import type { ApiContext } from "../server/context.ts";
import { runUpdates, metricAppends } from "../services/subscriptions.ts";

type Args = Record<string, unknown>;

/**
 * A subscription's context lives as long as the subscription: loaders are renewed for each
 * event so that every event reads the run as it is now.
 */
function freshLoaders(ctx: ApiContext): ApiContext {
  ctx.loaders = createLoaders(ctx.db);
  return ctx;
}

export const Subscription = {
  runUpdated: {
    subscribe: (_: unknown, args: Args, ctx: ApiContext) => runUpdates(ctx, args),
    resolve: async (event: RunEvent, _: Args, ctx: ApiContext) => freshLoaders(ctx).loaders.run.load(event.runId),
  },
  metricsAppended: {
    subscribe: (_: unknown, args: Args, ctx: ApiContext) => metricAppends(ctx, args),
    resolve: (event: RunEvent) => event,
  },
};
