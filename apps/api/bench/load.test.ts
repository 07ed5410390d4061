import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../src/testing/harness.ts";
import { runLoadPhase, storedExactly, type LoadTarget } from "./load.ts";
import { countStored, seedLoadTeam } from "./load-seed.ts";

const BATCH = 1000;

describe("load bench", () => {
  let api: TestApi;
  let target: LoadTarget;

  beforeAll(async () => {
    api = await startTestApi();
    target = { endpoint: api.url, db: api.db, team: await seedLoadTeam(api.db, 30) };
  });
  afterAll(() => api.close());

  it.each(["rest", "graphql"] as const)("stores exactly the points the API acknowledged (%s, 2 loggers, 1 reader)", async (way) => {
    const result = await runLoadPhase(target, { way, loggers: 2, readers: 1, seconds: 1, batchSize: BATCH });

    // The warm-up batch of each logger, then every timed batch: all acknowledged, all stored once.
    expect(result.writes.count).toBeGreaterThan(0);
    expect(result.acknowledged).toBe((2 + result.writes.count) * BATCH);
    expect(result.stored).toEqual({ rows: result.acknowledged, summarized: result.acknowledged });
    expect(storedExactly(result)).toBe(true);
    expect(result.pointsPerSecond).toBeGreaterThan(0);
    expect(result.reads.get("all reads")?.count).toBeGreaterThan(0);
    expect([...result.reads.keys()]).toContain("runs page");
    expect(result.rateLimited + result.failed).toBe(0);
  });

  it("sees a point that went missing after it was acknowledged", async () => {
    const result = await runLoadPhase(target, { way: "rest", loggers: 2, readers: 0, seconds: 0.2, batchSize: BATCH });
    expect(storedExactly(result)).toBe(true);

    await api.db.pool.query(`DELETE FROM metric_point WHERE ctid = (SELECT ctid FROM metric_point WHERE run_id = $1 LIMIT 1)`, [result.runIds[0]]);
    const stored = await countStored(api.db, result.runIds);

    expect(stored.rows).toBe(result.acknowledged - 1);
    expect(storedExactly({ acknowledged: result.acknowledged, stored })).toBe(false);
  });
});
