import { POSTGRES_CONFIG, runPrismaCli } from "./prisma-cli.ts";

/**
 * Applies every pending migration of prisma/migrations to the database at `databaseUrl`
 * (`prisma migrate deploy`, offline through the WASM schema engine). Safe to call on every
 * start: applied migrations are skipped, and Prisma takes an advisory lock so that concurrent
 * callers do not race.
 */
export async function migrateDatabase(databaseUrl: string, options: { echo?: boolean } = {}): Promise<void> {
  await runPrismaCli(["migrate", "deploy"], { config: POSTGRES_CONFIG, databaseUrl, echo: options.echo ?? false });
}
