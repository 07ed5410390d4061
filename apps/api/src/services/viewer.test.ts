import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, gql, gqlOk, openSocket, seedTeam, seedUserWithoutTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
});

describe("API tokens", () => {
  it("shows a new token once, stores only its hash, and revokes it", async () => {
    const { createApiToken } = await gqlOk(
      t.url,
      team.viewer.token,
      `mutation { createApiToken(name: "laptop") { token apiToken { id name prefix revokedAt } } }`,
    );
    const { token, apiToken } = createApiToken;
    expect(token).toMatch(/^rb_/);
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const { rowCount } = await t.db.pool.query(`SELECT 1 FROM api_token t WHERE position($1 in t::text) > 0`, [token]);
    expect(rowCount).toBe(0);

    const me = await gqlOk(t.url, token, `{ me { user { id } apiTokens { name lastUsedAt } } }`);
    expect(me.me.user.id).toBe(team.viewer.userId);
    expect(me.me.apiTokens.find((k: { name: string }) => k.name === "laptop").lastUsedAt).toEqual(expect.any(String));

    const revoked = await gqlOk(t.url, team.viewer.token, `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, { id: apiToken.id });
    expect(revoked.revokeApiToken.revokedAt).toEqual(expect.any(String));
    expect(errorCode(await gql(t.url, token, `{ me { user { id } } }`))).toBe("UNAUTHENTICATED");
  });

  it("cannot revoke another user's token", async () => {
    const { createApiToken } = await gqlOk(t.url, team.owner.token, `mutation { createApiToken(name: "owner's") { apiToken { id } } }`);
    const result = await gql(t.url, team.member.token, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: createApiToken.apiToken.id });
    expect(errorCode(result)).toBe("NOT_FOUND");
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const lastUsed = async () => (await t.db.pool.query(`SELECT last_used_at FROM api_token WHERE user_id = $1`, [team.member.userId])).rows[0].last_used_at;
    await gqlOk(t.url, team.member.token, `{ me { user { id } } }`);
    const first = await lastUsed();
    await gqlOk(t.url, team.member.token, `{ me { user { id } } }`);
    expect(await lastUsed()).toEqual(first);
  });
});

describe("API token expiry", () => {
  const CREATE_TOKEN = `mutation($expiresAt: DateTime) { createApiToken(name: "ci", expiresAt: $expiresAt) { token apiToken { id expiresAt } } }`;

  it("accepts a token until its expiresAt and refuses it after, over HTTP and on an open websocket", async () => {
    const user = await seedUserWithoutTeam(t.db);
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const created = await gqlOk(t.url, user.token, CREATE_TOKEN, { expiresAt });
    const { token, apiToken } = created.createApiToken;
    expect(apiToken.expiresAt).toBe(expiresAt);
    expect((await gqlOk(t.url, token, `{ me { user { id } } }`)).me.user.id).toBe(user.userId);

    const { client, closed } = await openSocket(t.wsUrl, token);
    try {
      await t.db.pool.query(`UPDATE api_token SET expires_at = now() - interval '1 millisecond' WHERE id = $1`, [apiToken.id]);
      const refused = await gql(t.url, token, `{ me { user { id } } }`);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]).toMatchObject({ message: "token is unknown, revoked or expired", extensions: { code: "UNAUTHENTICATED" } });
      expect(await closed).toBe(4401);
    } finally {
      await client.dispose();
    }
  });

  it("refuses an expiresAt in the past, naming the field", async () => {
    const user = await seedUserWithoutTeam(t.db);
    const result = await gql(t.url, user.token, CREATE_TOKEN, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(result.errors?.[0]).toMatchObject({
      message: "expiresAt: must be in the future",
      extensions: { code: "BAD_USER_INPUT", field: "expiresAt", rule: "must be in the future" },
    });
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM api_token WHERE user_id = $1`, [user.userId]);
    expect(rows[0].n).toBe(1);
  });
});
