import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createDb, type Db } from "./client.ts";
import { repoRoot } from "./env.ts";
import { Prisma } from "./generated/prisma/client.ts";
import type {} from "./testing/context.ts";

// The globalSetup migrated this run's database with migrateDatabase (prisma migrate deploy).

describe("migrations", () => {
  let db: Db;
  beforeAll(() => {
    db = createDb(inject("databaseUrl"), { maxConnections: 2 });
  });
  afterAll(async () => {
    await db.close();
  });

  it("applies every migration folder of prisma/migrations", async () => {
    const entries = await readdir(path.join(repoRoot, "prisma", "migrations"), { withFileTypes: true });
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const applied = await db.pool.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    expect(folders.length).toBeGreaterThan(0);
    expect(applied.rows.map((row) => row.migration_name).sort()).toEqual(folders.sort());
  });

  // A schema.prisma edit without its migration fails here: the client selects every column.
  it("create every table and column the generated client reads", async () => {
    const delegates = db.prisma as unknown as Record<string, { findFirst(): Promise<unknown> }>;
    for (const model of Object.values(Prisma.ModelName)) {
      const delegate = delegates[model.charAt(0).toLowerCase() + model.slice(1)];
      if (delegate === undefined) throw new Error(`no client delegate for model ${model}`);
      await expect(delegate.findFirst(), model).resolves.not.toBeUndefined();
    }
  });
});
