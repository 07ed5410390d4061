/**
 * The load bench's team: a project, a table of runs for the runs page, and its callers, each a
 * user of its own with an API token of its own (so each has its own rate-limit buckets):
 * loggers are members, dashboard readers viewers.
 */
import { randomUUID } from "node:crypto";
import { generateApiToken, type Db } from "@runboard/db";
import { seedRunTable } from "./seed.ts";

export interface LoadTeam {
  teamId: string;
  projectId: string;
}

/** A team, a project for the loggers' runs, and `tableRuns` runs with params and summaries for the runs page. */
export async function seedLoadTeam(db: Db, tableRuns: number): Promise<LoadTeam> {
  const teamId = randomUUID();
  const projectId = randomUUID();
  await db.pool.query(`INSERT INTO team (id, name, slug) VALUES ($1, $2, $2)`, [teamId, `load-${teamId}`]);
  await db.pool.query(`INSERT INTO project (id, team_id, name) VALUES ($1, $2, 'load')`, [projectId, teamId]);
  await seedRunTable(db.pool, teamId, tableRuns);
  return { teamId, projectId };
}

/** `count` users of the team with `role`, one API token each; the tokens. */
export async function seedCallers(db: Db, teamId: string, role: "MEMBER" | "VIEWER", count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const userId = randomUUID();
    const { token, tokenHash, prefix } = generateApiToken();
    await db.pool.query(`INSERT INTO app_user (id, email, name) VALUES ($1, $2, $3)`, [userId, `${userId}@load.bench`, `${role.toLowerCase()} ${i}`]);
    await db.pool.query(`INSERT INTO membership (team_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [teamId, userId, role]);
    await db.pool.query(`INSERT INTO api_token (id, user_id, name, token_hash, prefix) VALUES ($1, $2, 'load', $3, $4)`, [
      randomUUID(),
      userId,
      tokenHash,
      prefix,
    ]);
    tokens.push(token);
  }
  return tokens;
}

/** `count` runs of the project, RUNNING, as scripts that are logging. */
export async function createLiveRuns(db: Db, team: LoadTeam, count: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO run (id, team_id, project_id, name, status, tags)
     SELECT gen_random_uuid(), $1, $2, 'logger-' || i, 'RUNNING', ARRAY[]::text[] FROM generate_series(1, $3) AS i
     RETURNING id`,
    [team.teamId, team.projectId, count],
  );
  return rows.map((row) => row.id);
}

/** Metric points stored for these runs, and the points their summaries have folded in. */
export async function countStored(db: Db, runIds: string[]): Promise<{ rows: number; summarized: number }> {
  const { rows } = await db.pool.query<{ rows: number; summarized: number }>(
    `SELECT (SELECT count(*) FROM metric_point WHERE run_id = ANY($1::uuid[]))::int AS rows,
            (SELECT coalesce(sum(count), 0) FROM metric_summary WHERE run_id = ANY($1::uuid[]))::int AS summarized`,
    [runIds],
  );
  return rows[0] ?? { rows: 0, summarized: 0 };
}
