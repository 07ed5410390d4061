/** Run.attempts: each time a worker took the run, as the worker recorded it, read with the run's permissions. */
import { endAttempt, poolQueryable, recordAttemptProcess, recordAttemptResume, startAttempt } from "@runboard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;
let other: SeededTeam;

const ATTEMPTS = `query($id: ID!) { run(id: $id) { status startedAt error
  attempts { number startedAt endedAt outcome error resumedFromStep resumedFromEpoch workerId } } }`;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
  other = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
});

/** A run that a worker took twice: the first attempt's training process was killed, the second resumed after epoch 2 (step 6). */
async function runWithTwoAttempts(): Promise<string> {
  const { runId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
  const q = poolQueryable(t.db.pool);
  await t.db.pool.query(`UPDATE run SET attempt = 2, started_at = now() - interval '1 minute' WHERE id = $1`, [runId]);
  await startAttempt(q, { runId, number: 1, workerId: "host-a:11:x", host: "host-a" });
  await recordAttemptProcess(q, runId, 1, 12);
  expect(await endAttempt(q, runId, 1, "LOST", "the training process of attempt 1 was killed (SIGKILL); queued again as attempt 2 of 3")).toBe(true);
  // An attempt ends once: a later end (the dead worker's sweep, say) changes nothing.
  expect(await endAttempt(q, runId, 1, "REQUEUED", "late")).toBe(false);
  await startAttempt(q, { runId, number: 2, workerId: "host-b:21:y", host: "host-b" });
  await recordAttemptResume(q, runId, 2, { step: 6, epoch: 2 });
  return runId;
}

describe("Run.attempts", () => {
  it("lists each attempt, first to last, with how it ended and where it resumed from", async () => {
    const runId = await runWithTwoAttempts();
    const { run } = await gqlOk(t.url, team.viewer.token, ATTEMPTS, { id: runId });
    expect(run.attempts).toEqual([
      {
        number: 1,
        startedAt: expect.any(String),
        endedAt: expect.any(String),
        outcome: "LOST",
        error: "the training process of attempt 1 was killed (SIGKILL); queued again as attempt 2 of 3",
        resumedFromStep: null,
        resumedFromEpoch: null,
        workerId: "host-a:11:x",
      },
      {
        number: 2,
        startedAt: expect.any(String),
        endedAt: null,
        outcome: null,
        error: null,
        resumedFromStep: 6,
        resumedFromEpoch: 2,
        workerId: "host-b:21:y",
      },
    ]);
    const [first, second] = run.attempts;
    expect(Date.parse(first.startedAt)).toBeLessThanOrEqual(Date.parse(first.endedAt));
    expect(Date.parse(first.endedAt)).toBeLessThanOrEqual(Date.parse(second.startedAt));
  });

  it("ends the attempt in flight when the run is canceled, with who canceled it", async () => {
    const runId = await runWithTwoAttempts();
    await gqlOk(t.url, team.member.token, `mutation($id: ID!) { cancelRun(runId: $id) { id } }`, { id: runId });
    const { run } = await gqlOk(t.url, team.viewer.token, ATTEMPTS, { id: runId });
    expect(run.status).toBe("CANCELED");
    expect(run.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["LOST", "CANCELED"]);
    expect(run.attempts[1].error).toBe(run.error);
    expect(run.attempts[1].error).toMatch(/^canceled by /);
    expect(run.attempts[1].endedAt).not.toBeNull();
  });

  it("is empty for a run no worker took, and shows nothing to another team", async () => {
    const { runId: logged } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    expect((await gqlOk(t.url, team.viewer.token, ATTEMPTS, { id: logged })).run.attempts).toEqual([]);
    const runId = await runWithTwoAttempts();
    const outsider = await gql(t.url, other.owner.token, ATTEMPTS, { id: runId });
    expect(JSON.stringify(outsider)).not.toContain("host-");
    expect(outsider.data?.run ?? null).toBeNull();
  });

  it("loads the attempts of a page of runs in one statement", async () => {
    const ids = [await runWithTwoAttempts(), await runWithTwoAttempts(), await runWithTwoAttempts()];
    const before = t.api.db.queryCount;
    const { runs } = await gqlOk(t.url, team.viewer.token, `query($ids: [ID!]) { runs(filter: { ids: $ids }) { nodes { id attempts { number } } } }`, {
      ids,
    });
    expect(runs.nodes).toHaveLength(3);
    for (const node of runs.nodes) expect(node.attempts).toEqual([{ number: 1 }, { number: 2 }]);
    // Authentication, the page, the attempts.
    expect(t.api.db.queryCount - before).toBeLessThanOrEqual(3);
  });
});
