import { randomBytes } from "node:crypto";
import pg from "pg";

// Test databases are named runboard_test_<run>_<suffix>, where <run> is the start time in
// base 36 plus random characters: one prefix per test run, so teardown drops exactly its own,
// and a crashed run's leftovers are recognized by age and dropped by a later run.

export const TEST_DATABASE_PREFIX = "runboard_test_";
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export function newTestRunId(now: number = Date.now()): string {
  return `${TEST_DATABASE_PREFIX}${now.toString(36)}_${randomBytes(3).toString("hex")}`;
}

function runStartedAt(database: string): number | undefined {
  const match = new RegExp(`^${TEST_DATABASE_PREFIX}([0-9a-z]+)_[0-9a-f]{6}`).exec(database);
  return match?.[1] === undefined ? undefined : parseInt(match[1], 36);
}

async function withClient<T>(maintenanceUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const TEMPLATE_BUSY = "55006"; // object_in_use: a session (e.g. the migrator's) is still on the template
const CREATE_ATTEMPTS = 20;

/** CREATE DATABASE, optionally as a copy of `template` (waits while the template is in use). */
export async function createDatabase(maintenanceUrl: string, name: string, template?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withClient(maintenanceUrl, async (client) => {
        const from = template === undefined ? "" : ` TEMPLATE ${client.escapeIdentifier(template)}`;
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${from}`);
      });
      return;
    } catch (error) {
      const busy = (error as { code?: string }).code === TEMPLATE_BUSY;
      if (!busy || attempt === CREATE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

const SESSION_EXIT_WAIT_MS = 2000;

/**
 * Drops a database. Sessions that a closed pool is still ending get a moment to go first (so
 * they see no "terminating connection" error); whatever is left is then ended by FORCE.
 */
export async function dropDatabase(maintenanceUrl: string, name: string): Promise<void> {
  await withClient(maintenanceUrl, async (client) => {
    const deadline = Date.now() + SESSION_EXIT_WAIT_MS;
    while (Date.now() < deadline) {
      const sessions = await client.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1", [name]);
      if (sessions.rowCount === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

/** Drops every database of this run, and those of runs that started more than a day ago. */
export async function dropTestDatabases(maintenanceUrl: string, runId: string | undefined): Promise<string[]> {
  const names = await withClient(maintenanceUrl, async (client) => {
    const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [TEST_DATABASE_PREFIX]);
    return result.rows.map((row) => row.datname);
  });
  const doomed = names.filter((name) => {
    if (runId !== undefined && (name === runId || name.startsWith(`${runId}_`))) return true;
    const startedAt = runStartedAt(name);
    return startedAt !== undefined && Date.now() - startedAt > STALE_AFTER_MS;
  });
  for (const name of doomed) await dropDatabase(maintenanceUrl, name);
  return doomed;
}
