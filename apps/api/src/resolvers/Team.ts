import type { TeamRecord } from "../data/records.ts";
import type { ApiContext } from "../server/context.ts";

export const Team = {
  role: (team: TeamRecord, _: unknown, ctx: ApiContext) => ctx.caller.roles.get(team.id) ?? "VIEWER",
};
