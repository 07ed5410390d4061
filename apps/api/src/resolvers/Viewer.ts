import type { ApiContext } from "../server/context.ts";
import type { Caller } from "../services/permissions.ts";
import { listApiTokens, listTeams } from "../services/viewer.ts";

export const Viewer = {
  user: (caller: Caller) => ({ id: caller.userId, email: caller.email, name: caller.name }),
  teams: (_: Caller, __: unknown, ctx: ApiContext) => listTeams(ctx.db, ctx.caller),
  apiTokens: (_: Caller, __: unknown, ctx: ApiContext) => listApiTokens(ctx.db, ctx.caller),
};
