import type { DatasetRecord } from "../data/records.ts";
import type { ApiContext } from "../server/context.ts";

export const Dataset = {
  team: (dataset: DatasetRecord, _: unknown, ctx: ApiContext) => ctx.loaders.team.load(dataset.teamId),
};
