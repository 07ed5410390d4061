/** A dataset's leaderboard: runs scored by a metric summary, grouped, best first. */
import type { DatasetRecord } from "@runboard/db";
import { z } from "zod";
import { limits } from "../limits.ts";
import { id, key, parseArgs } from "../validation.ts";
import { readableDataset } from "./catalog.ts";
import { rankGroups, type Direction, type LeaderboardGroup } from "./leaderboard-math.ts";
import type { Scope } from "./projects.ts";

const SUMMARY_COLUMN = { LAST: "s.last", MIN: "s.min", MAX: "s.max" } as const;

/** Group label per groupBy; runs without a group key (or architecture, experiment) stand alone. */
const GROUP_EXPRESSION = {
  RUN: `r.id::text`,
  GROUP_KEY: `coalesce(r.group_key, r.id::text)`,
  ARCHITECTURE: `coalesce(a.name, r.id::text)`,
  EXPERIMENT: `coalesce(e.name, r.id::text)`,
} as const;

const leaderboardArgs = z.object({
  datasetId: id,
  metric: key,
  direction: z.enum(["MAX", "MIN"]).default("MAX"),
  groupBy: z.enum(["RUN", "GROUP_KEY", "ARCHITECTURE", "EXPERIMENT"]).default("GROUP_KEY"),
  summary: z.enum(["LAST", "MIN", "MAX"]).default("LAST"),
  first: z
    .number()
    .int()
    .min(1, { message: "must be ≥ 1" })
    .max(limits.leaderboardEntries, { message: `must be ≤ ${limits.leaderboardEntries}` })
    .default(50),
});

export interface Leaderboard {
  dataset: DatasetRecord;
  metric: string;
  direction: Direction;
  entries: Array<LeaderboardGroup & { rank: number }>;
}

/** Only finished, successful runs compete. */
export async function leaderboard(scope: Scope, args: unknown): Promise<Leaderboard> {
  const input = parseArgs(leaderboardArgs, args);
  const dataset = await readableDataset(scope, input.datasetId);
  const scored = await scope.db.rows<{ runId: string; group: string; value: number }>(
    `SELECT r.id AS "runId", ${GROUP_EXPRESSION[input.groupBy]} AS "group", ${SUMMARY_COLUMN[input.summary]} AS value
     FROM run r
     JOIN metric_summary s ON s.run_id = r.id AND s.key = $2
     LEFT JOIN architecture a ON a.id = r.architecture_id
     LEFT JOIN experiment e ON e.id = r.experiment_id
     WHERE r.dataset_id = $1 AND r.team_id = $3 AND r.status = 'SUCCEEDED'`,
    [dataset.id, input.metric, dataset.teamId],
  );
  const entries = rankGroups(scored, input.direction)
    .slice(0, input.first)
    .map((group, index) => ({ ...group, rank: index + 1 }));
  return { dataset, metric: input.metric, direction: input.direction, entries };
}
