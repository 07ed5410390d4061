import type { ApiContext } from "../server/context.ts";
import type { LeaderboardGroup } from "../services/leaderboard-math.ts";

export const LeaderboardEntry = {
  bestRun: (entry: LeaderboardGroup, _: unknown, ctx: ApiContext) => ctx.loaders.run.load(entry.bestRunId),
  runs: (entry: LeaderboardGroup, _: unknown, ctx: ApiContext) => ctx.loaders.run.loadMany(entry.runIds),
};
