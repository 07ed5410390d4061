import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
});

describe("server", () => {
  it("answers /health", async () => {
    const response = await fetch(t.url.replace("/graphql", "/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("refuses requests without a valid bearer token", async () => {
    const missing = await gql(t.url, null, `{ me { user { id } } }`);
    expect(missing.status).toBe(401);
    expect(errorCode(missing)).toBe("UNAUTHENTICATED");
    const unknown = await gql(t.url, `rb_${"x".repeat(43)}`, `{ me { user { id } } }`);
    expect(errorCode(unknown)).toBe("UNAUTHENTICATED");
  });

  it("resolves me and teams for the caller", async () => {
    const data = await gqlOk(t.url, team.viewer.token, `{ me { user { id name } teams { id role } } teams { id slug role } }`);
    expect(data.me.user).toEqual({ id: team.viewer.userId, name: "VIEWER" });
    expect(data.me.teams).toEqual([{ id: team.teamId, role: "VIEWER" }]);
    expect(data.teams).toHaveLength(1);
  });

  it("rejects queries deeper than the depth limit", async () => {
    const deep = `{ runs { nodes { parentRun { parentRun { parentRun { parentRun { parentRun { parentRun { parentRun { parentRun { parentRun { parentRun { id } } } } } } } } } } } } }`;
    const result = await gql(t.url, team.owner.token, deep);
    expect(result.status).toBe(400);
    expect(errorCode(result)).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.extensions).toMatchObject({ limit: "depth", measured: 13, maximum: 12 });
    expect(result.errors?.[0]?.message).toMatch(/depth 13 exceeds the limit of 12/);
  });

  it("rejects queries costlier than the cost limit", async () => {
    // 500 runs × 5,000 log lines × 2 fields.
    const costly = `{ runs(first: 500) { nodes { logs(limit: 5000) { seq message } } } }`;
    const result = await gql(t.url, team.owner.token, costly);
    expect(result.status).toBe(400);
    expect(errorCode(result)).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.extensions?.field).toBe("query");
    expect(result.errors?.[0]?.message).toMatch(/cost \d+ exceeds/);
  });
});
