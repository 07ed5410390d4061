import { PGlite } from "@electric-sql/pglite";
import { defineConfig } from "prisma/config";
import { PrismaPGlite } from "pglite-prisma-adapter";

// Prisma CLI config for creating migrations offline: `migrate dev` runs against an in-memory
// PGlite (PostgreSQL in WASM), which starts empty every time, so the migration it writes is the
// diff between prisma/migrations and schema.prisma. `migrate dev` through the pg adapter fails
// on real PostgreSQL (it cannot read `char` columns of the catalog); PGlite does not.
export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPGlite(new PGlite()),
});
