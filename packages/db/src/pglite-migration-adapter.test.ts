import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./env.ts";
import { pgliteMigrationAdapter } from "./pglite-migration-adapter.ts";

const migrationsDir = path.join(repoRoot, "prisma", "migrations");

async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(folders.map((folder) => readFile(path.join(migrationsDir, folder, "migration.sql"), "utf8")));
}

// One PGlite instance (its WASM start-up takes seconds): the path `migrate dev` takes on its
// shadow database, which the unpatched adapter fails on as soon as one migration is committed.
describe("pgliteMigrationAdapter", () => {
  it("replays committed migration files through executeRaw and fails scripts loudly", { timeout: 120_000 }, async () => {
    const shadow = await pgliteMigrationAdapter().connectToShadowDb();
    for (const sql of await committedMigrations()) await shadow.executeRaw({ sql, args: [], argTypes: [] });
    const tables = await shadow.queryRaw({
      sql: "SELECT tablename FROM pg_tables WHERE schemaname = $1",
      args: ["public"],
      argTypes: ["Text"],
    });
    expect(tables.rows.map((row) => row[0])).toEqual(expect.arrayContaining(["team", "run", "metric_point"]));
    await expect(shadow.executeScript("INSERT INTO missing_table VALUES (1);")).rejects.toThrow(/missing_table/);
  });
});
