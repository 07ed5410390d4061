/**
 * Every bench entry's database: TEST_DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else an
 * embedded one; a fresh migrated database there, dropped at the end whatever happens.
 */
import { migrateDatabase } from "@runboard/db";
import { createDatabase, dropDatabase, newTestRunId } from "@runboard/db/testing/databases";
import { resolveTestServer, withDatabase } from "@runboard/db/testing/server";

export interface BenchDatabase {
  url: string;
  /** Where the server came from, for the first line of the output. */
  source: string;
}

export async function withBenchDatabase(use: (database: BenchDatabase) => Promise<void>): Promise<void> {
  const server = await resolveTestServer();
  const name = `${newTestRunId()}_bench`;
  await createDatabase(server.maintenanceUrl, name);
  const url = withDatabase(server.maintenanceUrl, name);
  try {
    await migrateDatabase(url);
    await use({ url, source: server.source });
  } finally {
    await dropDatabase(server.maintenanceUrl, name);
    await server.stop();
  }
}
