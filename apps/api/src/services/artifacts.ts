/** A run's artifacts and log lines, and the team-scoped download of an artifact's file. */
import { ARTIFACT_COLUMNS, type ArtifactRecord, type Database, type RunLogRecord } from "@runboard/db";
import { z } from "zod";
import { parseArgs } from "../validation.ts";
import type { Caller } from "./permissions.ts";
import type { Scope } from "./projects.ts";

export async function runArtifacts({ db }: Scope, runId: string): Promise<ArtifactRecord[]> {
  return db.rows<ArtifactRecord>(`SELECT ${ARTIFACT_COLUMNS} FROM artifact ar WHERE ar.run_id = $1 ORDER BY ar.kind, ar.name`, [runId]);
}

const logArgs = z.object({
  afterSeq: z.number().int({ message: "must be a whole number" }).default(-1),
  limit: z.number().int({ message: "must be a whole number" }).min(1, { message: "must be ≥ 1" }).max(5000, { message: "must be ≤ 5000" }).default(500),
});

export async function runLogs({ db }: Scope, runId: string, args: unknown): Promise<RunLogRecord[]> {
  const input = parseArgs(logArgs, args);
  return db.rows<RunLogRecord>(`SELECT seq, time, level, message FROM run_log WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [
    runId,
    input.afterSeq,
    input.limit,
  ]);
}

export function downloadPath(artifact: { id: string }): string {
  return `/artifacts/${artifact.id}`;
}

/** The artifact when the caller is in its run's team, else null (other teams' files stay invisible). */
export async function downloadableArtifact(db: Database, caller: Caller, artifactId: string): Promise<ArtifactRecord | null> {
  if (!z.uuid().safeParse(artifactId).success) return null;
  const [row] = await db.rows<ArtifactRecord & { teamId: string }>(
    `SELECT ${ARTIFACT_COLUMNS}, r.team_id AS "teamId" FROM artifact ar JOIN run r ON r.id = ar.run_id WHERE ar.id = $1`,
    [artifactId],
  );
  return row !== undefined && caller.roles.has(row.teamId) ? row : null;
}
