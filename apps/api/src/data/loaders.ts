/**
 * Per-request DataLoaders: every record a resolver asks for during one request is fetched
 * in one query per kind, so a page of runs costs the same number of queries at any size.
 * Loaders do not check access; services do, on the records they return.
 */
import {
  ARCHITECTURE_COLUMNS,
  type ArchitectureRecord,
  type Database,
  DATASET_COLUMNS,
  type DatasetRecord,
  EXPERIMENT_COLUMNS,
  type ExperimentRecord,
  PARAM_COLUMNS,
  type ParamRecord,
  PROJECT_COLUMNS,
  type ProjectRecord,
  RUN_ATTEMPT_COLUMNS,
  RUN_COLUMNS,
  type RunAttemptRecord,
  type RunRecord,
  SUMMARY_COLUMNS,
  type SummaryRecord,
  TEAM_COLUMNS,
  type TeamRecord,
} from "@runboard/db";
import DataLoader from "dataloader";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

function byId<R extends { id: string }>(db: Database, sql: string) {
  return new DataLoader<string, R | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length === 0 ? [] : await db.rows<R>(sql, [valid]);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id.toLowerCase()) ?? null);
  });
}

function manyByRun<R extends { runId: string }>(db: Database, sql: string) {
  return new DataLoader<string, R[]>(async (runIds) => {
    const rows = await db.rows<R>(sql, [runIds.filter(isUuid)]);
    const grouped = new Map<string, R[]>();
    for (const row of rows) grouped.set(row.runId, [...(grouped.get(row.runId) ?? []), row]);
    return runIds.map((id) => grouped.get(id) ?? []);
  });
}

export function createLoaders(db: Database) {
  return {
    team: byId<TeamRecord>(db, `SELECT ${TEAM_COLUMNS} FROM team t WHERE t.id = ANY($1::uuid[])`),
    project: byId<ProjectRecord>(db, `SELECT ${PROJECT_COLUMNS} FROM project p WHERE p.id = ANY($1::uuid[])`),
    experiment: byId<ExperimentRecord>(db, `SELECT ${EXPERIMENT_COLUMNS} FROM experiment e JOIN project p ON p.id = e.project_id WHERE e.id = ANY($1::uuid[])`),
    dataset: byId<DatasetRecord>(db, `SELECT ${DATASET_COLUMNS} FROM dataset d WHERE d.id = ANY($1::uuid[])`),
    architecture: byId<ArchitectureRecord>(db, `SELECT ${ARCHITECTURE_COLUMNS} FROM architecture a WHERE a.id = ANY($1::uuid[])`),
    run: byId<RunRecord>(db, `SELECT ${RUN_COLUMNS} FROM run r WHERE r.id = ANY($1::uuid[])`),
    params: manyByRun<ParamRecord>(db, `SELECT ${PARAM_COLUMNS} FROM run_param rp WHERE rp.run_id = ANY($1::uuid[]) ORDER BY rp.key`),
    attempts: manyByRun<RunAttemptRecord>(db, `SELECT ${RUN_ATTEMPT_COLUMNS} FROM run_attempt ra WHERE ra.run_id = ANY($1::uuid[]) ORDER BY ra.number`),
    summaries: manyByRun<SummaryRecord>(db, `SELECT ${SUMMARY_COLUMNS} FROM metric_summary s WHERE s.run_id = ANY($1::uuid[]) ORDER BY s.key`),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
