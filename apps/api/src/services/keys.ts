/**
 * The distinct metric and param keys of the caller's runs, optionally of one team or one
 * dataset, for column pickers and leaderboards. One statement each over the runs in scope
 * joined to their summaries or params: its cost grows with runs × keys in scope, never with
 * the points logged. A dataset's runs come through run(dataset_id); a whole team is a hash
 * join over the table, which no index on these tables can shorten (they carry no team_id).
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
  const rows = await scope.db.rows<{ key: string }>(
    `SELECT DISTINCT k.key FROM run r JOIN ${table} k ON k.run_id = r.id WHERE ${conditions.join(" AND ")} ORDER BY k.key`,
    values,
  );
  return rows.map((row) => row.key);
}

export function metricKeys(scope: Scope, args: unknown): Promise<string[]> {
  return distinctKeys(scope, "metric_summary", args);
}

export function paramKeys(scope: Scope, args: unknown): Promise<string[]> {
  return distinctKeys(scope, "run_param", args);
}
