import type { ApiContext } from "../server/context.ts";
import { listAuditEvents } from "../services/audit.ts";
import { findArchitecture, findDataset, listArchitectures, listDatasets } from "../services/catalog.ts";
import { listInvites } from "../services/invites.ts";
import { metricKeys, paramKeys } from "../services/keys.ts";
import { leaderboard } from "../services/leaderboard.ts";
import { compareRuns, metricHistory } from "../services/metrics.ts";
import { listExperiments, listProjects } from "../services/projects.ts";
import { groupRuns } from "../services/run-groups.ts";
import { listRuns } from "../services/run-query.ts";
import { findRun } from "../services/runs.ts";
import { listMembers } from "../services/teams.ts";
import { listCatalogModels } from "../services/model-catalog.ts";
import { listTeams } from "../services/viewer.ts";

type Args = Record<string, unknown>;

export const Query = {
  me: (_: unknown, __: Args, ctx: ApiContext) => ctx.caller,
  teams: (_: unknown, __: Args, ctx: ApiContext) => listTeams(ctx.db, ctx.caller),
  members: (_: unknown, args: Args, ctx: ApiContext) => listMembers(ctx, args),
  invites: (_: unknown, args: Args, ctx: ApiContext) => listInvites(ctx, args),
  auditLog: (_: unknown, args: Args, ctx: ApiContext) => listAuditEvents(ctx, args),
  projects: (_: unknown, args: Args, ctx: ApiContext) => listProjects(ctx, args),
  experiments: (_: unknown, args: Args, ctx: ApiContext) => listExperiments(ctx, args),
  datasets: (_: unknown, args: Args, ctx: ApiContext) => listDatasets(ctx, args),
  architectures: (_: unknown, args: Args, ctx: ApiContext) => listArchitectures(ctx, args),
  dataset: (_: unknown, args: Args, ctx: ApiContext) => findDataset(ctx, args),
  architecture: (_: unknown, args: Args, ctx: ApiContext) => findArchitecture(ctx, args),
  modelCatalog: (_: unknown, args: Args, ctx: ApiContext) => listCatalogModels(ctx, args, ctx.launch.modelCatalog),
  runs: (_: unknown, args: Args, ctx: ApiContext) => listRuns(ctx, args),
  runGroups: (_: unknown, args: Args, ctx: ApiContext) => groupRuns(ctx, args),
  run: (_: unknown, args: Args, ctx: ApiContext) => findRun(ctx, args),
  metricHistory: (_: unknown, args: Args, ctx: ApiContext) => metricHistory(ctx, args),
  compareRuns: (_: unknown, args: Args, ctx: ApiContext) => compareRuns(ctx, args),
  metricKeys: (_: unknown, args: Args, ctx: ApiContext) => metricKeys(ctx, args),
  paramKeys: (_: unknown, args: Args, ctx: ApiContext) => paramKeys(ctx, args),
  leaderboard: (_: unknown, args: Args, ctx: ApiContext) => leaderboard(ctx, args),
};
