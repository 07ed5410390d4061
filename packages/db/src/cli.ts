import { requireDatabaseUrl } from "./env.ts";
import { migrateDatabase } from "./migrate.ts";
import { PGLITE_CONFIG, POSTGRES_CONFIG, runPrismaCli } from "./prisma-cli.ts";

// Entry point of the package scripts: `npm run generate|migrate|migration:create -w @runboard/db`.

const MIGRATION_NAME = /^[a-z0-9_]+$/;

async function main(command: string | undefined, args: string[]): Promise<void> {
  switch (command) {
    case "generate":
      await runPrismaCli(["generate"], { config: POSTGRES_CONFIG, echo: true });
      return;
    case "migrate":
      await migrateDatabase(requireDatabaseUrl(), { echo: true });
      return;
    case "migration:create": {
      const name = args[0];
      if (name === undefined || !MIGRATION_NAME.test(name)) {
        throw new Error(`migration name is required and must match ${MIGRATION_NAME} (e.g. add_run_notes)`);
      }
      await runPrismaCli(["migrate", "dev", "--name", name, "--skip-generate", "--skip-seed"], {
        config: PGLITE_CONFIG,
        echo: true,
      });
      return;
    }
    default:
      throw new Error(`unknown command "${command ?? ""}": use generate, migrate or migration:create <name>`);
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
