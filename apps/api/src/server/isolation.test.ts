/**
 * Team isolation: the owner of team A can neither read nor write anything of team B through
 * any query, mutation or subscription; B's records answer as if they did not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, gql, gqlOk, seedTeam, startTestApi, wsClient, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let a: SeededTeam;
let b: SeededTeam;
const ofB = { projectId: "", runId: "", experimentId: "", datasetId: "", architectureId: "", tokenId: "" };
let projectOfA = "";

async function snapshotOfB(): Promise<unknown> {
  const { rows } = await t.db.pool.query(
    `SELECT (SELECT count(*) FROM project WHERE team_id = $1) AS projects,
            (SELECT count(*) FROM run WHERE team_id = $1) AS runs,
            (SELECT count(*) FROM dataset WHERE team_id = $1) AS datasets,
            (SELECT count(*) FROM architecture WHERE team_id = $1) AS architectures,
            (SELECT count(*) FROM experiment e JOIN project p ON p.id = e.project_id WHERE p.team_id = $1) AS experiments,
            (SELECT count(*) FROM metric_point WHERE run_id = $2) AS points,
            (SELECT count(*) FROM run_param WHERE run_id = $2) AS params,
            (SELECT row_to_json(r) FROM (SELECT status, tags, note FROM run WHERE id = $2) r) AS run,
            (SELECT revoked_at FROM api_token WHERE id = $3) AS revoked`,
    [b.teamId, ofB.runId, ofB.tokenId],
  );
  return rows[0];
}

beforeAll(async () => {
  t = await startTestApi();
  a = await seedTeam(t.db);
  b = await seedTeam(t.db);
  ({ projectId: projectOfA } = await createProjectAndRun(t.url, a.owner.token, a.teamId));
  const created = await createProjectAndRun(t.url, b.owner.token, b.teamId);
  Object.assign(ofB, created);
  const token = b.owner.token;
  const data = await gqlOk(
    t.url,
    token,
    `mutation($teamId: ID!, $projectId: ID!, $runId: ID!) {
      createExperiment(input: { projectId: $projectId, name: "e" }) { id }
      registerDataset(input: { teamId: $teamId, name: "d", kind: IMAGE_FOLDER, sourceUri: "s", classNames: ["x"] }) { id }
      registerArchitecture(input: { teamId: $teamId, name: "a", family: "f", sourceFormat: ONNX, inputSize: [3, 8, 8] }) { id }
      createApiToken(name: "b") { apiToken { id } }
      logParams(runId: $runId, params: [{ key: "lr", value: 0.1 }]) { key }
      logMetrics(runId: $runId, points: [{ key: "loss", step: 0, value: 1 }]) { inserted } }`,
    { teamId: b.teamId, projectId: ofB.projectId, runId: ofB.runId },
  );
  Object.assign(ofB, {
    experimentId: data.createExperiment.id,
    datasetId: data.registerDataset.id,
    architectureId: data.registerArchitecture.id,
    tokenId: data.createApiToken.apiToken.id,
  });
});
afterAll(async () => {
  await t.close();
});

const attempts: Array<[string, () => [string, Record<string, unknown>]]> = [
  ["projects(teamId)", () => [`query($id: ID) { projects(teamId: $id) { id } }`, { id: b.teamId }]],
  ["experiments", () => [`query($id: ID!) { experiments(projectId: $id) { id } }`, { id: ofB.projectId }]],
  ["datasets(teamId)", () => [`query($id: ID) { datasets(teamId: $id) { id } }`, { id: b.teamId }]],
  ["architectures(teamId)", () => [`query($id: ID) { architectures(teamId: $id) { id } }`, { id: b.teamId }]],
  ["dataset(id)", () => [`query($id: ID!) { dataset(id: $id) { id } }`, { id: ofB.datasetId }]],
  ["architecture(id)", () => [`query($id: ID!) { architecture(id: $id) { id } }`, { id: ofB.architectureId }]],
  ["runs(teamId)", () => [`query($id: ID) { runs(filter: { teamId: $id }) { nodes { id } } }`, { id: b.teamId }]],
  ["metricHistory", () => [`query($id: ID!) { metricHistory(runId: $id, key: "loss") { points { step } } }`, { id: ofB.runId }]],
  ["compareRuns", () => [`query($id: ID!) { compareRuns(runIds: [$id], keys: ["loss"]) { runs { id } } }`, { id: ofB.runId }]],
  ["metricKeys(teamId)", () => [`query($id: ID) { metricKeys(teamId: $id) }`, { id: b.teamId }]],
  ["paramKeys(datasetId)", () => [`query($id: ID) { paramKeys(datasetId: $id) }`, { id: ofB.datasetId }]],
  ["leaderboard", () => [`query($id: ID!) { leaderboard(datasetId: $id, metric: "loss") { metric } }`, { id: ofB.datasetId }]],
  ["createProject", () => [`mutation($id: ID!) { createProject(input: { teamId: $id, name: "intruder" }) { id } }`, { id: b.teamId }]],
  ["createExperiment", () => [`mutation($id: ID!) { createExperiment(input: { projectId: $id, name: "intruder" }) { id } }`, { id: ofB.projectId }]],
  ["registerDataset", () => [`mutation($id: ID!) { registerDataset(input: { teamId: $id, name: "i", kind: AUDIO, sourceUri: "s", classNames: [] }) { id } }`, { id: b.teamId }]],
  ["registerArchitecture", () => [`mutation($id: ID!) { registerArchitecture(input: { teamId: $id, name: "i", family: "f", sourceFormat: ONNX, inputSize: [3, 1, 1] }) { id } }`, { id: b.teamId }]],
  ["createRun in B's project", () => [`mutation($id: ID!) { createRun(input: { projectId: $id, name: "intruder" }) { id } }`, { id: ofB.projectId }]],
  ["createRun with B's dataset", () => [`mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", datasetId: $d }) { id } }`, { p: projectOfA, d: ofB.datasetId }]],
  ["createRun with B's architecture", () => [`mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", architectureId: $d }) { id } }`, { p: projectOfA, d: ofB.architectureId }]],
  ["createRun with B's experiment", () => [`mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", experimentId: $d }) { id } }`, { p: projectOfA, d: ofB.experimentId }]],
  ["createRun with B's parent run", () => [`mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", parentRunId: $d }) { id } }`, { p: projectOfA, d: ofB.runId }]],
  ["logMetrics", () => [`mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "loss", step: 1, value: 0 }]) { inserted } }`, { id: ofB.runId }]],
  ["logParams", () => [`mutation($id: ID!) { logParams(runId: $id, params: [{ key: "x", value: 1 }]) { key } }`, { id: ofB.runId }]],
  ["setTags", () => [`mutation($id: ID!) { setTags(runId: $id, tags: ["x"]) { id } }`, { id: ofB.runId }]],
  ["setNote", () => [`mutation($id: ID!) { setNote(runId: $id, note: "x") { id } }`, { id: ofB.runId }]],
  ["finishRun", () => [`mutation($id: ID!) { finishRun(runId: $id, status: CANCELED) { id } }`, { id: ofB.runId }]],
  ["revokeApiToken", () => [`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: ofB.tokenId }]],
];

describe("team isolation", () => {
  it.each(attempts)("%s on team B answers NOT_FOUND and changes nothing", async (_, operation) => {
    const before = await snapshotOfB();
    const [query, variables] = operation();
    const result = await gql(t.url, a.owner.token, query, variables);
    expect(result.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(result.data ?? null).toBeNull();
    expect(await snapshotOfB()).toEqual(before);
  });

  it("lists only team A's records and reads B's run as absent", async () => {
    const data = await gqlOk(
      t.url,
      a.owner.token,
      `query($runId: ID!, $projectId: ID) { teams { id } projects { id } datasets { id } architectures { id }
        runs(filter: { projectId: $projectId }) { nodes { id } } run(id: $runId) { id } }`,
      { runId: ofB.runId, projectId: ofB.projectId },
    );
    expect(data.teams).toEqual([{ id: a.teamId }]);
    expect(data.projects).toEqual([{ id: projectOfA }]);
    expect(data.datasets).toEqual([]);
    expect(data.architectures).toEqual([]);
    const keys = await gqlOk(t.url, a.owner.token, `{ metricKeys paramKeys }`);
    expect(keys).toEqual({ metricKeys: [], paramKeys: [] });
    expect(data.runs.nodes).toEqual([]);
    expect(data.run).toBeNull();
  });

  it.each([
    ["runUpdated", `subscription($id: ID!) { runUpdated(runId: $id) { id } }`],
    ["metricsAppended", `subscription($id: ID!) { metricsAppended(runId: $id) { keys } }`],
  ])("refuses a %s subscription to B's run", async (_, query) => {
    const client = wsClient(t.wsUrl, a.owner.token);
    try {
      const events = client.iterate({ query, variables: { id: ofB.runId } });
      const first = await events.next();
      expect(first.value?.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect(t.api.events.listenerCount(ofB.runId)).toBe(0);
    } finally {
      await client.dispose();
    }
  });
});
