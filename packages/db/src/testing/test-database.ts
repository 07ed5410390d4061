import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDb, type Db } from "../client.ts";
import type {} from "./context.ts";
import { createDatabase, dropDatabase } from "./databases.ts";
import { withDatabase } from "./server.ts";

export interface TestDatabase {
  url: string;
  /** Prisma and pg pool on it. */
  db: Db;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated, empty database cloned from this run's template (tens of milliseconds):
 * for tests that need a database nobody else writes to, e.g. first-start seeding.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { maintenanceUrl, template } = inject("testDatabaseServer");
  const name = `${template}_${randomBytes(4).toString("hex")}`;
  await createDatabase(maintenanceUrl, name, template);
  const url = withDatabase(maintenanceUrl, name);
  const db = createDb(url, { maxConnections: 4 });
  return {
    url,
    db,
    async drop() {
      await db.close();
      await dropDatabase(maintenanceUrl, name);
    },
  };
}
