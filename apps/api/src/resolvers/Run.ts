import { type ParamRecord, paramValue, type RunRecord } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";

interface KeyArgs {
  key: string;
}

/** Every field of a run goes through a loader: a page of N runs costs one query per field kind. */
export const Run = {
  team: (run: RunRecord, _: unknown, ctx: ApiContext) => ctx.loaders.team.load(run.teamId),
  project: (run: RunRecord, _: unknown, ctx: ApiContext) => ctx.loaders.project.load(run.projectId),
  experiment: (run: RunRecord, _: unknown, ctx: ApiContext) => (run.experimentId ? ctx.loaders.experiment.load(run.experimentId) : null),
  dataset: (run: RunRecord, _: unknown, ctx: ApiContext) => (run.datasetId ? ctx.loaders.dataset.load(run.datasetId) : null),
  architecture: (run: RunRecord, _: unknown, ctx: ApiContext) => (run.architectureId ? ctx.loaders.architecture.load(run.architectureId) : null),
  parentRun: (run: RunRecord, _: unknown, ctx: ApiContext) => (run.parentRunId ? ctx.loaders.run.load(run.parentRunId) : null),
  tags: (run: RunRecord) => run.tags ?? [],
  attempts: (run: RunRecord, _: unknown, ctx: ApiContext) => ctx.loaders.attempts.load(run.id),
  params: (run: RunRecord, _: unknown, ctx: ApiContext) => ctx.loaders.params.load(run.id),
  param: async (run: RunRecord, { key }: KeyArgs, ctx: ApiContext) => (await ctx.loaders.params.load(run.id)).find((param) => param.key === key) ?? null,
  metrics: (run: RunRecord, _: unknown, ctx: ApiContext) => ctx.loaders.summaries.load(run.id),
  metric: async (run: RunRecord, { key }: KeyArgs, ctx: ApiContext) =>
    (await ctx.loaders.summaries.load(run.id)).find((summary) => summary.key === key) ?? null,
};

export const RunParam = {
  value: (param: ParamRecord) => paramValue(param),
};
