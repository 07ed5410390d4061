import type { ProjectRecord } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";
import { listExperiments } from "../services/projects.ts";

export const Project = {
  team: (project: ProjectRecord, _: unknown, ctx: ApiContext) => ctx.loaders.team.load(project.teamId),
  experiments: (project: ProjectRecord, _: unknown, ctx: ApiContext) => listExperiments(ctx, { projectId: project.id }),
};
