import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;
let datasetId: string;
// Registered paths must lie in a source root: a temporary one, holding the dataset's folder.
const tmp = realpathSync(mkdtempSync(join(tmpdir(), "leaderboard-")));
const sourceRoot = join(tmp, "sources");
const datasetFolder = join(sourceRoot, "flowers");

const LEADERBOARD = `query($datasetId: ID!, $direction: Direction, $groupBy: LeaderboardGroupBy, $summary: SummaryField) {
  leaderboard(datasetId: $datasetId, metric: "val_acc", direction: $direction, groupBy: $groupBy, summary: $summary) {
    metric direction dataset { name }
    entries { rank group best mean std runCount bestRun { name } runs { name } } } }`;

async function finishedRun(projectId: string, name: string, acc: number, extra: Record<string, unknown>) {
  const { createRun } = await gqlOk(t.url, team.member.token, `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`, {
    input: { projectId, name, datasetId, ...extra },
  });
  await gqlOk(t.url, team.member.token, `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { inserted } }`, {
    runId: createRun.id,
    points: [
      { key: "val_acc", step: 0, value: acc + 0.05 },
      { key: "val_acc", step: 1, value: acc },
    ],
  });
  await gqlOk(t.url, team.member.token, `mutation($runId: ID!) { finishRun(runId: $runId, status: SUCCEEDED) { id } }`, { runId: createRun.id });
}

beforeAll(async () => {
  mkdirSync(datasetFolder, { recursive: true });
  t = await startTestApi({ artifactRoot: join(tmp, "artifacts"), sourceRoots: [sourceRoot] });
  team = await seedTeam(t.db);
  // Naming a server path is an owner's (path:import).
  const { registerDataset } = await gqlOk(t.url, team.owner.token, `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "flowers", kind: "IMAGE_FOLDER", sourceUri: datasetFolder, classNames: ["daisy", "rose"] },
  });
  datasetId = registerDataset.id;
  const { projectId } = await createProjectAndRun(t.url, team.member.token, team.teamId, "no dataset");
  for (const [fold, acc] of [0.8, 0.9, 0.7].entries()) await finishedRun(projectId, `kfold-${fold}`, acc, { groupKey: "resnet-kfold", fold });
  await finishedRun(projectId, "single", 0.85, {});
  // Running runs do not compete.
  await gqlOk(t.url, team.member.token, `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`, {
    input: { projectId, name: "running", datasetId },
  });
});
afterAll(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("leaderboard", () => {
  it("ranks groups by their best run, with mean ± std over k-fold runs", async () => {
    const { leaderboard } = await gqlOk(t.url, team.viewer.token, LEADERBOARD, { datasetId });
    expect(leaderboard).toMatchObject({ metric: "val_acc", direction: "MAX", dataset: { name: "flowers" } });
    const [first, second] = leaderboard.entries;
    expect(leaderboard.entries).toHaveLength(2);
    expect(first).toMatchObject({ rank: 1, group: "resnet-kfold", best: 0.9, runCount: 3, bestRun: { name: "kfold-1" } });
    expect(first.mean).toBeCloseTo(0.8, 10);
    expect(first.std).toBeCloseTo(0.1, 10);
    expect(first.runs.map((r: { name: string }) => r.name).sort()).toEqual(["kfold-0", "kfold-1", "kfold-2"]);
    expect(second).toMatchObject({ rank: 2, best: 0.85, mean: 0.85, std: 0, runCount: 1, bestRun: { name: "single" } });
  });

  it("ranks single runs, by another summary, in either direction", async () => {
    const { leaderboard } = await gqlOk(t.url, team.viewer.token, LEADERBOARD, { datasetId, groupBy: "RUN", summary: "MAX", direction: "MIN" });
    const entries = leaderboard.entries as Array<{ bestRun: { name: string }; best: number }>;
    expect(entries.map((e) => e.bestRun.name)).toEqual(["kfold-2", "kfold-0", "single", "kfold-1"]);
    for (const [index, best] of [0.75, 0.85, 0.9, 0.95].entries()) expect(entries[index]?.best).toBeCloseTo(best, 12);
  });

  it("answers NOT_FOUND for an unknown dataset", async () => {
    const result = await gql(t.url, team.viewer.token, LEADERBOARD, { datasetId: "00000000-0000-0000-0000-000000000000" });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", kind: "dataset" });
  });
});
