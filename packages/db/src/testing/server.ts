import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { findFreePort, makeTemporaryDataRoot, startEmbeddedPostgres } from "../embedded.ts";
import { readDbEnv } from "../env.ts";

// The PostgreSQL server that tests create their databases on, in order of preference:
// TEST_DATABASE_URL; the machine's server on 127.0.0.1:5432; a throwaway embedded server.

export interface TestServer {
  /** Where the server came from, for the log line. */
  source: "TEST_DATABASE_URL" | "local PostgreSQL on 127.0.0.1:5432" | "embedded PostgreSQL";
  /** Connection string of a database that always exists there (used for CREATE/DROP DATABASE). */
  maintenanceUrl: string;
  stop(): Promise<void>;
}

const LOCAL_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export async function resolveTestServer(): Promise<TestServer> {
  const configured = readDbEnv().testDatabaseUrl;
  if (configured !== undefined) {
    await assertReachable(configured, "TEST_DATABASE_URL");
    return { source: "TEST_DATABASE_URL", maintenanceUrl: configured, stop: async () => {} };
  }
  if (await answers(LOCAL_SERVER_URL)) {
    return { source: "local PostgreSQL on 127.0.0.1:5432", maintenanceUrl: LOCAL_SERVER_URL, stop: async () => {} };
  }
  const dataRoot = await makeTemporaryDataRoot("runboard-test-pg-");
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataRoot, "data"),
    port: await findFreePort(),
    database: "postgres",
  });
  return {
    source: "embedded PostgreSQL",
    maintenanceUrl: server.url,
    async stop() {
      await server.stop();
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}

/** The same server and credentials, another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function assertReachable(url: string, name: string): Promise<void> {
  if (!(await answers(url))) throw new Error(`${name} is set but no PostgreSQL answers there: ${url}`);
}
