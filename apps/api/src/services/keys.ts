/**
 * The distinct metric and param keys of the caller's runs, optionally of one team or one
 * dataset, for column pickers and leaderboards. Metric keys: one statement over the runs in
 * scope joined to their summaries: its cost grows with runs × keys in scope, never with the
 * points logged. Param keys of whole teams come from project_param_key (the keys of each
 * project's runs, kept by triggers on run_param and run): the cost grows with the keys of the
 * teams' projects, not with their runs. A dataset's keys come through run(dataset_id).
 */
import { z } from "zod";
import { id, parseArgs } from "../validation.ts";
import { readableDataset } from "./catalog.ts";
import { teamsWith } from "./permissions.ts";
import type { Scope } from "./projects.ts";

const keysArgs = z.object({ teamId: id.nullish(), datasetId: id.nullish() });

/** Tables whose rows are (run_id, key, ...) with (run_id, key) as primary key. */
type KeyTable = "metric_summary" | "run_param";

async function distinctKeys(scope: Scope, table: KeyTable, args: unknown): Promise<string[]> {
  const input = parseArgs(keysArgs, args);
  const teams = teamsWith(scope.caller, "team:read", input.teamId);
  const conditions = ["r.team_id = ANY($1::uuid[])"];
  const values: unknown[] = [teams];
  if (input.datasetId) {
    await readableDataset(scope, input.datasetId);
    values.push(input.datasetId);
    conditions.push(`r.dataset_id = $${values.length}`);
  }
  const sql =
    table === "run_param" && !input.datasetId
      ? `SELECT DISTINCT k.key FROM project p JOIN project_param_key k ON k.project_id = p.id WHERE p.team_id = ANY($1::uuid[]) ORDER BY k.key`
      : `SELECT DISTINCT k.key FROM run r JOIN ${table} k ON k.run_id = r.id WHERE ${conditions.join(" AND ")} ORDER BY k.key`;
  const rows = await scope.db.rows<{ key: string }>(sql, values);
  return rows.map((row) => row.key);
}

export function metricKeys(scope: Scope, args: unknown): Promise<string[]> {
  return distinctKeys(scope, "metric_summary", args);
}

export function paramKeys(scope: Scope, args: unknown): Promise<string[]> {
  return distinctKeys(scope, "run_param", args);
}
