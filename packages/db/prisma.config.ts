import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { requireDatabaseUrl } from "./src/env.ts";

// Prisma CLI config for generate and `migrate deploy` against PostgreSQL, fully offline: the
// JS schema engine (WASM) talks to the database through the pg driver adapter, so no Rust
// engine is downloaded. Run with PRISMA_CLI_QUERY_ENGINE_TYPE=client (the package scripts do).
export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  // allowExitOnIdle: idle pooled connections must not keep the CLI process alive (pg's idle
  // timeout is 10 s). See also src/prisma-cli-preload.cjs.
  adapter: async () => new PrismaPg({ connectionString: requireDatabaseUrl(), allowExitOnIdle: true }),
});
