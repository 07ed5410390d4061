import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

// The driver adapter behind `prisma migrate dev` (prisma.pglite.config.ts): in-memory PGlite
// databases, so migrations are created offline, with no server.
//
// pglite-prisma-adapter 0.6.1 gets two things wrong for migrations: the schema engine replays
// each committed migration file through executeRaw, which the adapter sends as one prepared
// statement (PostgreSQL refuses several commands in one: "cannot insert multiple commands
// into a prepared statement"), and executeScript does not await the script it starts. Both go
// through PGlite's exec (simple query protocol) here instead.

type PGliteAdapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;

async function connectWithScripts(client: PGlite): Promise<PGliteAdapter> {
  const adapter = await new PrismaPGlite(client).connect();
  const executeParameterized = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeParameterized(query);
    const results = await client.exec(query.sql);
    return results.at(-1)?.affectedRows ?? 0;
  };
  adapter.executeScript = async (script) => {
    await client.exec(script);
  };
  return adapter;
}

/** A factory for prisma.config's `adapter`: one database per factory, a fresh shadow each time. */
export function pgliteMigrationAdapter(): {
  provider: "postgres";
  adapterName: string;
  connect(): Promise<PGliteAdapter>;
  connectToShadowDb(): Promise<PGliteAdapter>;
} {
  const main = new PGlite();
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: () => connectWithScripts(main),
    connectToShadowDb: () => connectWithScripts(new PGlite()),
  };
}
