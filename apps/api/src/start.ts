/**
 * `npm start`: the database (embedded PostgreSQL when DATABASE_URL is unset; migrations; the
 * default team and its token on first start), then the API on PORT.
 */
import { bootstrapDatabase, createDb } from "@runboard/db";
import { readEnv } from "./env.ts";
import { createApiServer } from "./server/app.ts";

async function main(): Promise<void> {
  const env = readEnv();
  const database = await bootstrapDatabase();
  const db = createDb(database.url, { maxConnections: env.RUNBOARD_DB_POOL_SIZE });
  const api = await createApiServer({
    pool: db.pool,
    limits: {
      maxDepth: env.RUNBOARD_MAX_QUERY_DEPTH,
      maxCost: env.RUNBOARD_MAX_QUERY_COST,
      rate: { pointsPerSecond: env.RUNBOARD_RATE_LIMIT_POINTS, queryCostPerSecond: env.RUNBOARD_RATE_LIMIT_QUERY_COST },
    },
    launch: {
      ...(env.RUNBOARD_ARTIFACT_ROOT ? { artifactRoot: env.RUNBOARD_ARTIFACT_ROOT } : {}),
      ...(env.RUNBOARD_SOURCE_ROOTS ? { sourceRoots: env.RUNBOARD_SOURCE_ROOTS } : {}),
      uploadLimits: {
        maxUploadBytes: env.RUNBOARD_UPLOAD_MAX_BYTES,
        maxExtractedBytes: env.RUNBOARD_UPLOAD_MAX_EXTRACTED_BYTES,
        maxFiles: env.RUNBOARD_UPLOAD_MAX_FILES,
      },
    },
  });
  const url = await api.listen(env.PORT, env.HOST);
  console.log(`api: GraphQL on ${url}, subscriptions on ${url.replace(/^http/, "ws")}, health on ${url.replace(/graphql$/, "health")}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`api: ${signal}, shutting down`);
    await api.close();
    await db.close();
    await database.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
