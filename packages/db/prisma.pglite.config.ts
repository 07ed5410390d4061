import { defineConfig } from "prisma/config";
import { pgliteMigrationAdapter } from "./src/pglite-migration-adapter.ts";

// Prisma CLI config for creating migrations offline (src/create-migration.ts): `migrate diff
// --from-migrations` replays prisma/migrations on an in-memory PGlite (PostgreSQL in WASM) and
// diffs the result with schema.prisma. No server is needed, and none is touched.
export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => pgliteMigrationAdapter(),
});
