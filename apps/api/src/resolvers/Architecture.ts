import type { ArchitectureRecord } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";

export const Architecture = {
  team: (architecture: ArchitectureRecord, _: unknown, ctx: ApiContext) => ctx.loaders.team.load(architecture.teamId),
};
