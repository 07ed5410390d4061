import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureDefaultTeam } from "./seed.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";
import { hashApiToken, isApiTokenFormat } from "./tokens.ts";

describe("ensureDefaultTeam", () => {
  let testDb: TestDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase();
  });
  afterEach(async () => {
    await testDb.drop();
  });

  it("creates team, owner and token on an empty database, storing only the token's hash", async () => {
    const { prisma, pool } = testDb.db;
    const result = await ensureDefaultTeam(prisma);
    if (!result.created) throw new Error("expected the first call to seed");
    expect(isApiTokenFormat(result.token)).toBe(true);

    const team = await prisma.team.findUniqueOrThrow({ where: { id: result.teamId } });
    expect(team.slug).toBe("default");
    const membership = await prisma.membership.findUniqueOrThrow({
      where: { teamId_userId: { teamId: result.teamId, userId: result.userId } },
    });
    expect(membership.role).toBe("OWNER");
    const stored = await prisma.apiToken.findUniqueOrThrow({ where: { id: result.tokenId } });
    expect(stored.userId).toBe(result.userId);
    expect(stored.tokenHash).toBe(hashApiToken(result.token));

    // The plain token appears in no column of any row.
    const leaks = await pool.query("SELECT 1 FROM api_token t WHERE position($1 in t::text) > 0", [result.token]);
    expect(leaks.rowCount).toBe(0);
  });

  it("changes nothing on later starts", async () => {
    const { prisma } = testDb.db;
    expect((await ensureDefaultTeam(prisma)).created).toBe(true);
    expect(await ensureDefaultTeam(prisma)).toEqual({ created: false });
    expect(await prisma.team.count()).toBe(1);
    expect(await prisma.user.count()).toBe(1);
    expect(await prisma.apiToken.count()).toBe(1);
  });

  it("seeds exactly once when several processes start at the same time", async () => {
    const { prisma } = testDb.db;
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureDefaultTeam(prisma)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await prisma.user.count()).toBe(1);
  });

  it("does not seed a database that already has users", async () => {
    const { prisma } = testDb.db;
    await prisma.user.create({ data: { email: "someone@example.com", name: "Someone" } });
    expect(await ensureDefaultTeam(prisma)).toEqual({ created: false });
    expect(await prisma.team.count()).toBe(0);
  });

  it("uses the names it is given", async () => {
    const { prisma } = testDb.db;
    const result = await ensureDefaultTeam(prisma, { teamName: "Vision lab", teamSlug: "vision", userEmail: "lab@example.com" });
    if (!result.created) throw new Error("expected the first call to seed");
    const team = await prisma.team.findUniqueOrThrow({ where: { id: result.teamId } });
    expect([team.name, team.slug]).toEqual(["Vision lab", "vision"]);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user.email).toBe("lab@example.com");
  });
});
