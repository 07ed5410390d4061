import type { ArtifactRecord, RunRecord } from "@runboard/db";
import type { ApiContext } from "../server/context.ts";
import { downloadPath, runArtifacts, runLogs } from "../services/artifacts.ts";
import { cancelRun } from "../services/cancel.ts";
import { importArchitecture } from "../services/import-catalog.ts";
import { importDataset } from "../services/import-dataset.ts";
import { launchRun } from "../services/launch.ts";
import { cloneRun, launchKFold, launchSweep } from "../services/launch-groups.ts";

type Args = Record<string, unknown>;

export const LaunchMutation = {
  launchRun: (_: unknown, args: Args, ctx: ApiContext) => launchRun(ctx, args),
  launchSweep: (_: unknown, args: Args, ctx: ApiContext) => launchSweep(ctx, args),
  launchKFold: (_: unknown, args: Args, ctx: ApiContext) => launchKFold(ctx, args),
  cloneRun: (_: unknown, args: Args, ctx: ApiContext) => cloneRun(ctx, args),
  cancelRun: (_: unknown, args: Args, ctx: ApiContext) => cancelRun(ctx, args),
  importDataset: (_: unknown, args: Args, ctx: ApiContext) => importDataset(ctx, args, ctx.launch),
  importArchitecture: (_: unknown, args: Args, ctx: ApiContext) => importArchitecture(ctx, args, ctx.launch),
};

/** Run fields that launching added. */
export const RunLaunchFields = {
  artifacts: (run: RunRecord, _: Args, ctx: ApiContext) => runArtifacts(ctx, run.id),
  logs: (run: RunRecord, args: Args, ctx: ApiContext) => runLogs(ctx, run.id, args),
};

export const Artifact = {
  downloadPath: (artifact: ArtifactRecord) => downloadPath(artifact),
};
