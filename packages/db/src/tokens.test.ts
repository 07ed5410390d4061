import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";
import { generateApiToken, generateInviteToken, hashApiToken, isApiTokenFormat, isInviteTokenFormat, tokenDisplayPrefix } from "./tokens.ts";

describe("API token helpers", () => {
  it("generates rb_ + 32 random bytes in base64url", () => {
    const { token } = generateApiToken();
    expect(token.startsWith("rb_")).toBe(true);
    expect(Buffer.from(token.slice(3), "base64url")).toHaveLength(32);
    expect(isApiTokenFormat(token)).toBe(true);
  });

  it("never repeats a token", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateApiToken().token));
    expect(tokens.size).toBe(1000);
  });

  it("hashes with SHA-256 in hex (FIPS 180-2 test vector)", () => {
    expect(hashApiToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("returns the hash and display prefix of the token it returns", () => {
    const created = generateApiToken();
    expect(created.tokenHash).toBe(hashApiToken(created.token));
    expect(created.prefix).toBe(tokenDisplayPrefix(created.token));
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(created.token.length / 4);
  });

  it("rejects strings that are not tokens", () => {
    const { token } = generateApiToken();
    for (const bad of ["", "rb_", token.slice(0, -1), `${token}x`, `xx_${token.slice(3)}`, `${token.slice(0, -1)}=`]) {
      expect(isApiTokenFormat(bad), bad).toBe(false);
    }
  });
});

describe("team invite tokens", () => {
  it("are rbi_ + 32 random bytes, hashed like API tokens, and never taken for one", () => {
    const invite = generateInviteToken();
    expect(invite.token.startsWith("rbi_")).toBe(true);
    expect(Buffer.from(invite.token.slice(4), "base64url")).toHaveLength(32);
    expect(invite.tokenHash).toBe(hashApiToken(invite.token));
    expect(invite.token.startsWith(invite.prefix)).toBe(true);
    expect(isInviteTokenFormat(invite.token)).toBe(true);
    expect(isApiTokenFormat(invite.token)).toBe(false);
    expect(isInviteTokenFormat(generateApiToken().token)).toBe(false);
    expect(isInviteTokenFormat(invite.token.slice(0, -1))).toBe(false);
  });
});

describe("API tokens in PostgreSQL", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it("finds a token's row by the hash of the token a client presents", async () => {
    const { prisma } = testDb.db;
    const user = await prisma.user.create({ data: { email: "token-owner@example.com", name: "Owner" } });
    const created = generateApiToken();
    await prisma.apiToken.create({
      data: { userId: user.id, name: "ci", tokenHash: created.tokenHash, prefix: created.prefix },
    });
    const found = await prisma.apiToken.findUnique({ where: { tokenHash: hashApiToken(created.token) } });
    expect(found?.userId).toBe(user.id);
    const other = await prisma.apiToken.findUnique({ where: { tokenHash: hashApiToken(generateApiToken().token) } });
    expect(other).toBeNull();
  });

  it("refuses two tokens with the same hash", async () => {
    const { prisma } = testDb.db;
    const user = await prisma.user.create({ data: { email: "dup@example.com", name: "Dup" } });
    const created = generateApiToken();
    const row = { userId: user.id, name: "a", tokenHash: created.tokenHash, prefix: created.prefix };
    await prisma.apiToken.create({ data: row });
    await expect(prisma.apiToken.create({ data: { ...row, name: "b" } })).rejects.toThrow(/Unique constraint/);
  });
});
