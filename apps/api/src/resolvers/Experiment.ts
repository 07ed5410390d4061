import type { ExperimentRecord } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";

export const Experiment = {
  project: (experiment: ExperimentRecord, _: unknown, ctx: ApiContext) => ctx.loaders.project.load(experiment.projectId),
};
