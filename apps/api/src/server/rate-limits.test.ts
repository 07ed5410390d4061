import { createDb, type Db } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createProjectAndRun, seedTeam, wsClient, type SeededTeam } from "../testing/harness.ts";
import { createApiServer, type ApiServer } from "./app.ts";
import { RateLimiter, TokenBucket } from "./rate-limits.ts";

describe("TokenBucket", () => {
  it("takes while it holds enough, then says how long until it would", () => {
    const bucket = new TokenBucket(100, 200, 0);
    expect(bucket.take(150, 0)).toBe(0);
    expect(bucket.take(100, 0)).toBeCloseTo(0.5); // 50 left, 50 more at 100/s
    expect(bucket.take(100, 250)).toBeCloseTo(0.25); // refused takes nothing: 75 now
    expect(bucket.take(100, 500)).toBe(0);
    // Never more than its capacity, however long it sat idle; a larger amount needs all of it.
    expect(bucket.take(1_000, 60_000)).toBe(0);
    expect(bucket.take(1, 60_000)).toBeCloseTo(0.01);
    expect(bucket.take(1_000, 61_000)).toBeCloseTo(1);
  });
});

describe("RateLimiter", () => {
  it("keeps one bucket per token and kind, turns a limit off at 0, and holds a largest request", () => {
    let now = 0;
    const limiter = new RateLimiter({ pointsPerSecond: 1_000, queryCostPerSecond: 0 }, 50_000, () => now);
    // A full logMetrics batch (10,000 points) passes on an idle token although the rate is lower.
    limiter.charge("points", "a", 10_000);
    expect(() => limiter.charge("points", "a", 1_000)).toThrow(/retry after 1 s/);
    limiter.charge("points", "b", 10_000);
    limiter.charge("queryCost", "a", 1e9);
    now = 1_000;
    limiter.charge("points", "a", 1_000);
    try {
      limiter.charge("points", "a", 10_000);
      expect.unreachable();
    } catch (error) {
      expect((error as { extensions: Record<string, unknown> }).extensions).toMatchObject({ code: "RATE_LIMITED", limit: "points", retryAfter: 10 });
    }
  });
});

describe("rate limits over HTTP", () => {
  let db: Db;
  let api: ApiServer;
  let url: string;
  let team: SeededTeam;
  let runId: string;

  beforeAll(async () => {
    db = createDb(inject("databaseUrl"));
    // A bucket holds at least a full batch (10,000 points) and one query at the cost limit (5,000).
    api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 5_000, rate: { pointsPerSecond: 100, queryCostPerSecond: 10 } } });
    url = await api.listen(0, "127.0.0.1");
    team = await seedTeam(db);
    ({ runId } = await createProjectAndRun(url, team.owner.token, team.teamId));
  });
  afterAll(async () => {
    await api.close();
    await db.close();
  });

  const batch = (from: number, count: number) => ({
    keys: Array.from({ length: count }, () => "loss"),
    steps: Array.from({ length: count }, (_, i) => from + i),
    values: Array.from({ length: count }, (_, i) => i / count),
  });

  async function postColumns(token: string, body: unknown) {
    const response = await fetch(url.replace("/graphql", `/api/v1/runs/${runId}/metrics`), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as Record<string, any> };
  }

  async function graphql(token: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    return { status: response.status, retryAfter: response.headers.get("retry-after"), ...body };
  }

  async function storedPoints(): Promise<number> {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1`, [runId]);
    return rows[0].n;
  }

  it("answers ingestion over the rate with 429 and Retry-After, on REST and GraphQL alike, storing nothing", async () => {
    expect((await postColumns(team.owner.token, batch(0, 10_000))).status).toBe(200);
    const refused = await postColumns(team.owner.token, batch(10_000, 5_000));
    expect(refused.status).toBe(429);
    // 5,000 points at 100/s, less what flowed back since the first batch.
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(30);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(50);
    expect(refused.body.error).toMatchObject({ code: "RATE_LIMITED", retryAfter: Number(refused.retryAfter) });

    const log = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`;
    const points = Array.from({ length: 2_000 }, (_, i) => ({ key: "loss", step: 20_000 + i, value: 1 }));
    const overGraphQL = await graphql(team.owner.token, log, { runId, points });
    expect(overGraphQL.status).toBe(429);
    expect(Number(overGraphQL.retryAfter)).toBeGreaterThanOrEqual(5);
    expect(overGraphQL.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", limit: "points" });
    expect(overGraphQL.data).toBeUndefined();
    expect(await storedPoints()).toBe(10_000);

    // Another token (here the member's) has its own bucket.
    const member = await graphql(team.member.token, log, { runId, points });
    expect(member.status).toBe(200);
    expect(member.data.logMetrics.inserted).toBe(2_000);
  });

  it("answers reads over the rate with 429 and Retry-After, by query cost", async () => {
    // 2,002 each: metricHistory, points and 1,000 × (step, value); the bucket holds 5,000 and refills 10/s.
    const read = `query($runId: ID!) { metricHistory(runId: $runId, key: "loss", maxPoints: 1000) { points { step value } } }`;
    expect((await graphql(team.viewer.token, read, { runId })).status).toBe(200);
    expect((await graphql(team.viewer.token, read, { runId })).status).toBe(200);
    const refused = await graphql(team.viewer.token, read, { runId });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", limit: "queryCost" });
    // (2,002 − about 1,000 left) at 10/s.
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(60);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(101);
    expect(refused.data).toBeUndefined();
    expect((await graphql(team.member.token, read, { runId })).status).toBe(200);
  });

  it("charges operations sent over the websocket to the socket's token, like HTTP ones", async () => {
    // A team of its own, so its tokens start with full buckets.
    const fresh = await seedTeam(db);
    const { runId: wsRun } = await createProjectAndRun(url, fresh.owner.token, fresh.teamId);
    const stored = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1`, [wsRun])).rows[0].n;
    /** One operation's result; a refusal before execution comes as the rejected list of errors. */
    const overSocket = async (token: string, query: string, variables: Record<string, unknown>) => {
      const client = wsClient(url.replace(/^http/, "ws"), token);
      try {
        const { value } = await client.iterate({ query, variables }).next();
        return { data: value?.data ?? null, errors: (value?.errors ?? []) as Array<{ extensions?: Record<string, unknown> }> };
      } catch (error) {
        return { data: null, errors: error as Array<{ extensions?: Record<string, unknown> }> };
      } finally {
        await client.dispose();
      }
    };
    const log = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`;
    const points = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ key: "loss", step: from + i, value: 1 }));
    expect((await overSocket(fresh.owner.token, log, { runId: wsRun, points: points(0, 10_000) })).data).toEqual({ logMetrics: { inserted: 10_000 } });
    const refused = await overSocket(fresh.owner.token, log, { runId: wsRun, points: points(10_000, 2_000) });
    expect(refused.errors[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", limit: "points" });
    expect(refused.data).toBeNull();
    expect(await stored()).toBe(10_000);
    // The socket and HTTP share the token's bucket: the same token is refused over HTTP too.
    expect((await graphql(fresh.owner.token, log, { runId: wsRun, points: points(10_000, 2_000) })).status).toBe(429);

    // Reads by query cost: 2,002 each against a bucket of 5,000.
    const read = `query($runId: ID!) { metricHistory(runId: $runId, key: "loss", maxPoints: 1000) { points { step value } } }`;
    expect((await overSocket(fresh.viewer.token, read, { runId: wsRun })).errors).toEqual([]);
    expect((await overSocket(fresh.viewer.token, read, { runId: wsRun })).errors).toEqual([]);
    const overCost = await overSocket(fresh.viewer.token, read, { runId: wsRun });
    expect(overCost.errors[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", limit: "queryCost" });
  });
});
