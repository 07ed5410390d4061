export { bootstrapDatabase, type BootstrapOptions, type BootstrappedDatabase } from "./bootstrap.ts";
export { createDb, type CreateDbOptions, type Db } from "./client.ts";
export { readDbEnv, requireDatabaseUrl, repoRoot, DEFAULT_EMBEDDED_PORT, type DbEnv } from "./env.ts";
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type EmbeddedPostgresServer } from "./embedded.ts";
export { migrateDatabase } from "./migrate.ts";
export { ensureDefaultTeam, type DefaultTeamOptions, type DefaultTeamResult } from "./seed.ts";
export {
  generateApiToken,
  generateInviteToken,
  hashApiToken,
  isApiTokenFormat,
  isInviteTokenFormat,
  tokenDisplayPrefix,
  INVITE_TOKEN_PREFIX,
  TOKEN_PREFIX,
  type NewApiToken,
} from "./tokens.ts";
export * from "./generated/prisma/client.ts";
