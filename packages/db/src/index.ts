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
// The data layer shared by the API and the worker: SQL over a pg pool, records, params, metric ingestion, notifications.
export { Database, type Queryable, type Statement } from "./database.ts";
export { poolQueryable, poolTransaction } from "./pool.ts";
export { isDatabaseUnavailable, isOutage, outageOr } from "./outage.ts";
export { badInput, databaseUnavailable, forbidden, notFound, queryTooComplex, rateLimited, unauthenticated, type ErrorCode } from "./errors.ts";
export * from "./records.ts";
export { endAttempt, recordAttemptProcess, recordAttemptResume, RUN_ATTEMPT_COLUMNS, startAttempt, type RunAttemptRecord } from "./run-attempts.ts";
export { insertParams, paramsFromHyperparameters, paramValue, typedParam, type ParamValue, type TypedParam } from "./params.ts";
export { ingestColumns, ingestPoints, toColumns, INGEST_SQL, type IncomingPoint, type IngestResult, type MetricColumns } from "./metric-ingest.ts";
export { ROLLUP_BASE, ROLLUP_LEVELS } from "./metric-rollup.ts";
export { EVENTS_CHANNEL, notifyRunUpdated, parseRunEvent, type RunEvent } from "./notify.ts";
export * from "./generated/prisma/client.ts";
