import { rm } from "node:fs/promises";
import path from "node:path";
import { createDb } from "../src/client.ts";
import { findFreePort, makeTemporaryDataRoot, startEmbeddedPostgres } from "../src/embedded.ts";
import { migrateDatabase } from "../src/migrate.ts";
import { createDatabase, dropTestDatabases, newTestRunId } from "../src/testing/databases.ts";
import { resolveTestServer, withDatabase } from "../src/testing/server.ts";

// Prints how long the database pieces of start-up and tests take, and raw SQL against Prisma
// for bulk metric inserts. `npm run bench -w @runboard/db`.

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  console.log(`${label.padEnd(52)} ${(performance.now() - start).toFixed(0).padStart(7)} ms`);
  return result;
}

async function benchEmbedded(): Promise<void> {
  const root = await makeTemporaryDataRoot("runboard-bench-pg-");
  const options = { dataDir: path.join(root, "data"), port: await findFreePort() };
  try {
    const cold = await timed("embedded PostgreSQL: initdb + start", () => startEmbeddedPostgres(options));
    await timed("embedded PostgreSQL: stop", () => cold.stop());
    const warm = await timed("embedded PostgreSQL: start on existing data", () => startEmbeddedPostgres(options));
    await warm.stop();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function benchMetricInserts(url: string, points: number): Promise<void> {
  const db = createDb(url);
  try {
    const team = await db.prisma.team.create({ data: { name: "bench", slug: "bench" } });
    const project = await db.prisma.project.create({ data: { teamId: team.id, name: "bench" } });
    const run = await db.prisma.run.create({ data: { teamId: team.id, projectId: project.id, name: "bench" } });
    const wallTime = new Date();
    const rows = Array.from({ length: points }, (_, step) => ({ runId: run.id, key: "loss", step: BigInt(step), value: 1 / (step + 1), wallTime }));
    await timed(`prisma.metricPoint.createMany, ${points} points`, () => db.prisma.metricPoint.createMany({ data: rows }));
    await timed(`pool: INSERT … SELECT unnest(arrays), ${points} points`, () =>
      db.pool.query(
        `INSERT INTO metric_point (run_id, key, step, value, wall_time)
         SELECT $1, 'acc', s, v, $4 FROM unnest($2::bigint[], $3::float8[]) AS t(s, v)`,
        [run.id, rows.map((row) => row.step.toString()), rows.map((row) => row.value), wallTime],
      ),
    );
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  await benchEmbedded();
  const server = await resolveTestServer();
  console.log(`(databases below on ${server.source})`);
  const runId = newTestRunId();
  try {
    await createDatabase(server.maintenanceUrl, runId);
    await timed("migrateDatabase: empty database (all migrations)", () => migrateDatabase(withDatabase(server.maintenanceUrl, runId)));
    await timed("migrateDatabase: nothing pending", () => migrateDatabase(withDatabase(server.maintenanceUrl, runId)));
    const clone = `${runId}_clone`;
    await timed("test database: clone migrated template", () => createDatabase(server.maintenanceUrl, clone, runId));
    await benchMetricInserts(withDatabase(server.maintenanceUrl, clone), 10_000);
  } finally {
    await dropTestDatabases(server.maintenanceUrl, runId);
    await server.stop();
  }
}

await main();
