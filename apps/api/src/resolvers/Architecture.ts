import type { ArchitectureRecord } from "../data/records.ts";
import type { ApiContext } from "../server/context.ts";

export const Architecture = {
  team: (architecture: ArchitectureRecord, _: unknown, ctx: ApiContext) => ctx.loaders.team.load(architecture.teamId),
};
