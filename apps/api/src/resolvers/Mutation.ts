import type { ApiContext } from "../server/context.ts";
import { registerArchitecture, registerDataset } from "../services/catalog.ts";
import { acceptInvite, inviteMember, revokeInvite } from "../services/invites.ts";
import { logMetrics } from "../services/metrics.ts";
import { logParams } from "../services/params.ts";
import { createExperiment, createProject, renameProject } from "../services/projects.ts";
import { createRun, finishRun, setNote, setTags } from "../services/runs.ts";
import { changeMemberRole, createTeam, leaveTeam, removeMember } from "../services/teams.ts";
import { createApiToken, revokeApiToken } from "../services/viewer.ts";

type Args = Record<string, unknown>;

export const Mutation = {
  createProject: (_: unknown, args: Args, ctx: ApiContext) => createProject(ctx, args),
  renameProject: (_: unknown, args: Args, ctx: ApiContext) => renameProject(ctx, args),
  createExperiment: (_: unknown, args: Args, ctx: ApiContext) => createExperiment(ctx, args),
  registerDataset: (_: unknown, args: Args, ctx: ApiContext) => registerDataset(ctx, args, ctx.launch),
  registerArchitecture: (_: unknown, args: Args, ctx: ApiContext) => registerArchitecture(ctx, args, ctx.launch),
  createRun: (_: unknown, args: Args, ctx: ApiContext) => createRun(ctx, args),
  logParams: (_: unknown, args: Args, ctx: ApiContext) => logParams(ctx, args),
  logMetrics: (_: unknown, args: Args, ctx: ApiContext) => logMetrics(ctx, args),
  setTags: (_: unknown, args: Args, ctx: ApiContext) => setTags(ctx, args),
  setNote: (_: unknown, args: Args, ctx: ApiContext) => setNote(ctx, args),
  finishRun: (_: unknown, args: Args, ctx: ApiContext) => finishRun(ctx, args),
  createApiToken: (_: unknown, args: Args, ctx: ApiContext) => createApiToken(ctx.db, ctx.caller, args),
  revokeApiToken: (_: unknown, args: Args, ctx: ApiContext) => revokeApiToken(ctx.db, ctx.caller, args),
  createTeam: (_: unknown, args: Args, ctx: ApiContext) => createTeam(ctx, args),
  inviteMember: (_: unknown, args: Args, ctx: ApiContext) => inviteMember(ctx, args),
  revokeInvite: (_: unknown, args: Args, ctx: ApiContext) => revokeInvite(ctx, args),
  acceptInvite: (_: unknown, args: Args, ctx: ApiContext) => acceptInvite(ctx, args),
  changeMemberRole: (_: unknown, args: Args, ctx: ApiContext) => changeMemberRole(ctx, args),
  removeMember: (_: unknown, args: Args, ctx: ApiContext) => removeMember(ctx, args),
  leaveTeam: (_: unknown, args: Args, ctx: ApiContext) => leaveTeam(ctx, args),
};
