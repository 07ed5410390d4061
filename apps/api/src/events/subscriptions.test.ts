import { Database, ingestPoints } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, gqlOk, seedTeam, startTestApi, waitFor, wsClient, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
});

const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`;

async function firstEvent<T>(iterator: AsyncIterableIterator<T>, runId: string, trigger: () => Promise<unknown>): Promise<T> {
  const next = iterator.next();
  await waitFor(() => t.api.events.listenerCount(runId) > 0);
  await trigger();
  const result = await next;
  if (result.done) throw new Error("subscription ended");
  return result.value;
}

describe("subscriptions over graphql-ws", () => {
  it("runUpdated delivers the run as it is after each committed change", async () => {
    const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const client = wsClient(t.wsUrl, team.viewer.token);
    try {
      const events = client.iterate<{ runUpdated: { id: string; tags: string[]; status: string } }>({
        query: `subscription($runId: ID!) { runUpdated(runId: $runId) { id tags status } }`,
        variables: { runId },
      });
      const event = await firstEvent(events, runId, () =>
        gqlOk(t.url, team.member.token, `mutation($runId: ID!) { setTags(runId: $runId, tags: ["live"]) { id } }`, { runId }),
      );
      expect(event.data?.runUpdated).toEqual({ id: runId, tags: ["live"], status: "RUNNING" });
      await events.return?.();
      await waitFor(() => t.api.events.listenerCount(runId) === 0);
    } finally {
      await client.dispose();
    }
  });

  it("metricsAppended delivers the subscribed keys' new points, from any writer, never from a rolled-back one", async () => {
    const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const client = wsClient(t.wsUrl, team.viewer.token);
    try {
      const events = client.iterate<{
        metricsAppended: { keys: string[]; fromStep: number; toStep: number; points: Array<{ key: string; step: number; value: number }> };
      }>({
        query: `subscription($runId: ID!) { metricsAppended(runId: $runId, keys: ["loss"]) { keys fromStep toStep points { key step value } } }`,
        variables: { runId },
      });
      const viaApi = await firstEvent(events, runId, () =>
        gqlOk(t.url, team.member.token, LOG, {
          runId,
          points: [
            { key: "loss", step: 1, value: 0.9 },
            { key: "acc", step: 1, value: 0.1 },
            { key: "loss", step: 2, value: 0.8 },
          ],
        }),
      );
      expect(viaApi.data?.metricsAppended).toEqual({
        keys: ["loss"],
        fromStep: 1,
        toStep: 2,
        points: [
          { key: "loss", step: 1, value: 0.9 },
          { key: "loss", step: 2, value: 0.8 },
        ],
      });

      // Another writer (the worker, say) writing straight to the database, first rolling back.
      const writer = new Database(t.db.pool);
      const run = { id: runId, teamId: team.teamId };
      await writer
        .transaction(async (tx) => {
          await ingestPoints(tx, run, [{ key: "loss", step: 3, value: 123 }]);
          throw new Error("rolled back on purpose");
        })
        .catch(() => undefined);
      await ingestPoints(writer, run, [{ key: "loss", step: 4, value: 0.7 }]);
      const next = await events.next();
      expect(next.value?.data?.metricsAppended.points).toEqual([{ key: "loss", step: 4, value: 0.7 }]);
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });

  it("refuses a websocket without a valid token", async () => {
    const client = wsClient(t.wsUrl, `rb_${"y".repeat(43)}`);
    try {
      const events = client.iterate({ query: `subscription { runUpdated(runId: "00000000-0000-0000-0000-000000000000") { id } }` });
      await expect(events.next()).rejects.toMatchObject({ code: 4403 });
    } finally {
      await client.dispose();
    }
  });
});
