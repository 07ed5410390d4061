import type { Role, TeamRecord } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";

export const Team = {
  // A team just created or joined in this request carries its role; the caller's roles were read before.
  role: (team: TeamRecord & { role?: Role }, _: unknown, ctx: ApiContext) => team.role ?? ctx.caller.roles.get(team.id) ?? "VIEWER",
};
