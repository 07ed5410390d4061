import path from "node:path";
import { fileURLToPath } from "node:url";

// The only module of @runboard/db that reads process.env: every setting is parsed and validated
// here once, with an error that names the variable and the rule.

/** The repository root, three levels above this file (packages/db/src). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface DbEnv {
  /** Connection string of an existing PostgreSQL; undefined means "start the embedded one". */
  databaseUrl: string | undefined;
  /** Data directory of the embedded PostgreSQL. */
  embeddedDataDir: string;
  /** TCP port of the embedded PostgreSQL. */
  embeddedPort: number;
  /** Connection string of a server where tests may create and drop databases; undefined means probe. */
  testDatabaseUrl: string | undefined;
}

export const DEFAULT_EMBEDDED_PORT = 54329;

export function readDbEnv(env: NodeJS.ProcessEnv = process.env): DbEnv {
  return {
    databaseUrl: parseUrl(env, "DATABASE_URL"),
    embeddedDataDir: path.resolve(repoRoot, nonEmpty(env.RUNBOARD_PG_DATA_DIR) ?? ".data/postgres"),
    embeddedPort: parsePort(env, "RUNBOARD_PG_PORT", DEFAULT_EMBEDDED_PORT),
    testDatabaseUrl: parseUrl(env, "TEST_DATABASE_URL"),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function parseUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be a URL like postgresql://user@host:5432/db, got "${value}"`);
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new Error(`${name} must start with postgresql:// or postgres://, got "${url.protocol}//"`);
  }
  return value;
}

function parsePort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonEmpty(env[name]);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be an integer port between 1 and 65535, got "${value}"`);
  }
  return port;
}

/** The DATABASE_URL, or an error naming it: for tools that need an existing database. */
export function requireDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = readDbEnv(env).databaseUrl;
  if (url === undefined) {
    throw new Error("DATABASE_URL is required here (postgresql://user@host:5432/db)");
  }
  return url;
}

/**
 * Environment for a Prisma CLI child process. The CLI parses `env("DATABASE_URL")` in the schema
 * before anything else and, if that fails, falls back to downloading a Rust query engine; a
 * placeholder URL keeps `generate` offline when no database is configured (the adapter in
 * prisma.config.ts supplies the real connection for commands that need one).
 */
export function prismaCliEnv(databaseUrl: string | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl ?? process.env.DATABASE_URL ?? "postgresql://unused@localhost:5432/unused",
    PRISMA_CLI_QUERY_ENGINE_TYPE: "client",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}
