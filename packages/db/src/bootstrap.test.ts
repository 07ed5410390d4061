import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "./bootstrap.ts";
import { createDb } from "./client.ts";
import { findFreePort, makeTemporaryDataRoot } from "./embedded.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";
import { hashApiToken, isApiTokenFormat } from "./tokens.ts";

function printedToken(lines: string[]): string | undefined {
  const line = lines.find((text) => text.includes("API token:"));
  return line?.split("API token:")[1]?.trim();
}

describe("bootstrapDatabase with DATABASE_URL", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it("migrates, seeds and prints a working token once", async () => {
    const firstLog: string[] = [];
    const first = await bootstrapDatabase({ env: { DATABASE_URL: testDb.url }, log: (line) => firstLog.push(line) });
    expect(first).toMatchObject({ url: testDb.url, embedded: false });
    const token = printedToken(firstLog);
    expect(token !== undefined && isApiTokenFormat(token)).toBe(true);
    const stored = await testDb.db.prisma.apiToken.findUnique({ where: { tokenHash: hashApiToken(token ?? "") } });
    expect(stored).not.toBeNull();

    const secondLog: string[] = [];
    await bootstrapDatabase({ env: { DATABASE_URL: testDb.url }, log: (line) => secondLog.push(line) });
    expect(printedToken(secondLog)).toBeUndefined();
    expect(await testDb.db.prisma.apiToken.count()).toBe(1);
  });
});

describe("bootstrapDatabase without DATABASE_URL", () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTemporaryDataRoot("runboard-bootstrap-test-");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("starts embedded PostgreSQL, migrates and seeds it, and finds it again on the next start", async () => {
    const env = { RUNBOARD_PG_DATA_DIR: path.join(root, "postgres"), RUNBOARD_PG_PORT: String(await findFreePort()) };
    const firstLog: string[] = [];
    const first = await bootstrapDatabase({ env, log: (line) => firstLog.push(line) });
    try {
      expect(first.embedded).toBe(true);
      expect(first.url).toContain(`:${env.RUNBOARD_PG_PORT}/`);
      expect(printedToken(firstLog)).toBeDefined();
    } finally {
      await first.stop();
    }

    const secondLog: string[] = [];
    const second = await bootstrapDatabase({ env, log: (line) => secondLog.push(line) });
    const db = createDb(second.url);
    try {
      expect(printedToken(secondLog)).toBeUndefined();
      expect(await db.prisma.team.count()).toBe(1);
    } finally {
      await db.close();
      await second.stop();
    }
  });
});
