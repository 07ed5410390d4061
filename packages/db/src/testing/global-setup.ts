import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../migrate.ts";
import type {} from "./context.ts";
import { createDatabase, dropTestDatabases, newTestRunId } from "./databases.ts";
import { resolveTestServer, withDatabase } from "./server.ts";

/**
 * vitest globalSetup for projects that need PostgreSQL (`globalSetup:
 * ["@runboard/db/testing/global-setup"]`). Picks a server (TEST_DATABASE_URL, else the local
 * one on 127.0.0.1:5432, else an embedded one), creates and migrates a template database for
 * this run, clones it once for `inject("databaseUrl")`, and drops everything at the end.
 * Test files that need an empty database of their own call createTestDatabase().
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await resolveTestServer();
  const runId = newTestRunId();
  try {
    await dropTestDatabases(server.maintenanceUrl, undefined);
    await createDatabase(server.maintenanceUrl, runId);
    await migrateDatabase(withDatabase(server.maintenanceUrl, runId));
    const shared = `${runId}_shared`;
    await createDatabase(server.maintenanceUrl, shared, runId);
    project.provide("databaseUrl", withDatabase(server.maintenanceUrl, shared));
    project.provide("testDatabaseServer", { maintenanceUrl: server.maintenanceUrl, template: runId });
  } catch (error) {
    await dropTestDatabases(server.maintenanceUrl, runId).catch(() => {});
    await server.stop();
    throw error;
  }
  console.log(`[${project.name}] test databases ${runId}* on ${server.source}`);
  return async () => {
    await dropTestDatabases(server.maintenanceUrl, runId);
    await server.stop();
  };
}
