import { createMigration } from "./create-migration.ts";
import { requireDatabaseUrl } from "./env.ts";
import { migrateDatabase } from "./migrate.ts";
import { POSTGRES_CONFIG, runPrismaCli } from "./prisma-cli.ts";

// Entry point of the package scripts: `npm run generate|migrate|migration:create -w @runboard/db`.

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
      if (name === undefined) throw new Error("migration name is required: npm run db:migration:create -- add_run_priority");
      console.log("Diffing prisma/migrations with schema.prisma on an in-memory PGlite (about a minute)...");
      const file = await createMigration(name);
      console.log(file === undefined ? "schema.prisma matches the migrations: nothing to create." : `created ${file}`);
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
