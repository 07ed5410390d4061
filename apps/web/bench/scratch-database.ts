/** A fresh migrated database on the test server (local PostgreSQL, else embedded), dropped after. */
import { migrateDatabase } from "@runboard/db";
import { createDatabase, dropDatabase, newTestRunId } from "@runboard/db/testing/databases";
import { resolveTestServer, withDatabase } from "@runboard/db/testing/server";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const server = await resolveTestServer();
  const name = newTestRunId();
  await createDatabase(server.maintenanceUrl, name);
  const url = withDatabase(server.maintenanceUrl, name);
  await migrateDatabase(url);
  return {
    url,
    async drop() {
      await dropDatabase(server.maintenanceUrl, name);
      await server.stop();
    },
  };
}
