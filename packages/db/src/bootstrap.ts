import { createDb } from "./client.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { readDbEnv } from "./env.ts";
import { migrateDatabase } from "./migrate.ts";
import { ensureDefaultTeam } from "./seed.ts";

export interface BootstrapOptions {
  /** Where progress lines and the one-time token go (default: console.log). */
  log?: (line: string) => void;
  /** Environment to read instead of process.env (tests). */
  env?: NodeJS.ProcessEnv;
}

export interface BootstrappedDatabase {
  /** Connection string for createDb. */
  url: string;
  /** True when this process started the embedded server (and `stop` stops it). */
  embedded: boolean;
  /** Stops the embedded server, if this process started one; otherwise does nothing. */
  stop(): Promise<void>;
}

/**
 * The database half of `npm start`: when DATABASE_URL is unset, starts the embedded PostgreSQL
 * (data in .data/postgres); then applies pending migrations; then, on the first start of an
 * empty database, creates the default team and prints its owner's API token, once.
 */
export async function bootstrapDatabase(options: BootstrapOptions = {}): Promise<BootstrappedDatabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const env = readDbEnv(options.env);
  let url = env.databaseUrl;
  let stop = async (): Promise<void> => {};
  if (url === undefined) {
    log(`database: DATABASE_URL is not set; starting embedded PostgreSQL on port ${env.embeddedPort} (data in ${env.embeddedDataDir})`);
    const server = await startEmbeddedPostgres({ dataDir: env.embeddedDataDir, port: env.embeddedPort });
    url = server.url;
    stop = server.stop;
  }
  try {
    await migrateDatabase(url);
    await seedOnFirstStart(url, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, embedded: env.databaseUrl === undefined, stop };
}

async function seedOnFirstStart(url: string, log: (line: string) => void): Promise<void> {
  const db = createDb(url, { maxConnections: 2 });
  try {
    const seeded = await ensureDefaultTeam(db.prisma);
    if (!seeded.created) return;
    log("database: first start, created the default team and its owner (admin@localhost)");
    log("");
    log(`  API token: ${seeded.token}`);
    log("");
    log("  Shown once: store it now. Send it as `Authorization: Bearer <token>`.");
  } finally {
    await db.close();
  }
}
