import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROBE_FEATURE_DESCRIPTIONS, PROBE_FEATURES, RECIPE_DESCRIPTIONS, RECIPES, trainingSettingsSchema } from "@runboard/queue";
import { TRAINING_DEFAULTS } from "@runboard/trainer/recipes/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;
let projectId: string;
let datasetId: string;
let architectureId: string;
// Registered paths must lie in a source root: a temporary one, holding the dataset's folder.
const tmp = realpathSync(mkdtempSync(join(tmpdir(), "launch-")));
const sourceRoot = join(tmp, "sources");
const petsFolder = join(sourceRoot, "pets");

const LAUNCH = `mutation($input: LaunchRunInput!) { launchRun(input: $input) { id name status priority maxAttempts hyperparameters params { key value } } }`;
const SWEEP = `mutation($input: LaunchSweepInput!) { launchSweep(input: $input) { groupKey runs { id name groupKey hyperparameters } } }`;
const KFOLD = `mutation($input: LaunchKFoldInput!) { launchKFold(input: $input) { groupKey runs { id fold groupKey hyperparameters } } }`;

beforeAll(async () => {
  mkdirSync(petsFolder, { recursive: true });
  t = await startTestApi({ artifactRoot: join(tmp, "artifacts"), sourceRoots: [sourceRoot] });
  team = await seedTeam(t.db);
  ({ projectId } = await createProjectAndRun(t.url, team.member.token, team.teamId));
  // Naming a server path is an owner's (path:import); members launch on what owners registered.
  const dataset = await gqlOk(t.url, team.owner.token, `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "pets", kind: "IMAGE_FOLDER", sourceUri: petsFolder, classNames: ["cat", "dog"] },
  });
  const architecture = await gqlOk(t.url, team.member.token, `mutation($input: RegisterArchitectureInput!) { registerArchitecture(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "resnet", family: "resnet", sourceFormat: "ONNX", inputSize: [3, 16, 16] },
  });
  datasetId = dataset.registerDataset.id;
  architectureId = architecture.registerArchitecture.id;
});
afterAll(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function jobsOf(runIds: string[]): Promise<Array<{ key: string; priority: number }>> {
  const { rows } = await t.db.pool.query(`SELECT key, priority FROM graphile_worker.jobs WHERE key = ANY($1::text[]) ORDER BY key`, [
    runIds.map((id) => `run:${id}:1`),
  ]);
  return rows;
}

describe("launchRun", () => {
  it("writes a QUEUED run with every setting's default frozen, and its job", async () => {
    const { launchRun } = await gqlOk(t.url, team.member.token, LAUNCH, {
      input: { projectId, datasetId, architectureId, settings: { epochs: 3 }, priority: 5 },
    });
    expect(launchRun).toMatchObject({ name: "resnet on pets", status: "QUEUED", priority: 5, maxAttempts: 3 });
    expect(launchRun.hyperparameters).toMatchObject({
      recipe: "AUTO",
      budgetSeconds: TRAINING_DEFAULTS.budgetSeconds,
      epochs: 3,
      freezeEpochs: 1,
      learningRate: null,
      views: 1,
      batchSize: 64,
      seed: 42,
      validPct: 0.2,
      imageSize: null,
      metrics: ["accuracy"],
      augmentation: { maxRotate: 10 },
    });
    expect(launchRun.params).toContainEqual({ key: "augmentation.maxZoom", value: 1.1 });
    expect(launchRun.params).toContainEqual({ key: "recipe", value: "AUTO" });
    expect(launchRun.params).toContainEqual({ key: "budgetSeconds", value: TRAINING_DEFAULTS.budgetSeconds });
    expect(await jobsOf([launchRun.id])).toEqual([{ key: `run:${launchRun.id}:1`, priority: -5 }]);
  });

  it("names the field of an unknown dataset or architecture and of an out-of-range value, writing nothing", async () => {
    const before = Number((await t.db.pool.query(`SELECT count(*) FROM run WHERE project_id = $1`, [projectId])).rows[0].count);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ datasetId: architectureId }, "input.datasetId"],
      [{ architectureId: datasetId }, "input.architectureId"],
      [{ settings: { learningRate: -1 } }, "input.settings.learningRate"],
      [{ settings: { batchSize: 0 } }, "input.settings.batchSize"],
      [{ settings: { augmentation: { pAffine: 2 } } }, "input.settings.augmentation.pAffine"],
      [{ settings: { views: 0 } }, "input.settings.views"],
      [{ settings: { budgetSeconds: 0 } }, "input.settings.budgetSeconds"],
      [{ settings: { pctStart: 1 } }, "input.settings.pctStart"],
      [{ settings: { metrics: ["recall@5"] } }, "input.settings.metrics.0"],
    ];
    for (const [change, field] of cases) {
      const result = await gql(t.url, team.member.token, LAUNCH, { input: { projectId, datasetId, architectureId, ...change } });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect(Number((await t.db.pool.query(`SELECT count(*) FROM run WHERE project_id = $1`, [projectId])).rows[0].count)).toBe(before);
    const viewer = await gql(t.url, team.viewer.token, LAUNCH, { input: { projectId, datasetId, architectureId } });
    expect(viewer.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission: "run:launch" });
  });

  it("agrees with the SDL's defaults", async () => {
    const { __type } = await gqlOk(t.url, team.member.token, `{ __type(name: "TrainingSettingsInput") { inputFields { name defaultValue } } }`);
    const { launchRun } = await gqlOk(t.url, team.member.token, LAUNCH, { input: { projectId, datasetId, architectureId, settings: {} } });
    const fields = __type.inputFields as Array<{ name: string; defaultValue: string }>;
    expect(fields.map((f) => f.name)).toEqual(Object.keys(trainingSettingsSchema.shape));
    for (const field of fields) {
      if (field.name === "augmentation") continue;
      const sdl = field.defaultValue === "null" ? null : field.name === "recipe" ? field.defaultValue : JSON.parse(field.defaultValue);
      expect([field.name, launchRun.hyperparameters[field.name]]).toEqual([field.name, sdl]);
    }
    const augmentation = await gqlOk(t.url, team.member.token, `{ __type(name: "AugmentationInput") { inputFields { name defaultValue } } }`);
    const sdlAugmentation = Object.fromEntries(
      (augmentation.__type.inputFields as Array<{ name: string; defaultValue: string }>).map((f) => [f.name, JSON.parse(f.defaultValue)]),
    );
    expect(launchRun.hyperparameters.augmentation).toEqual(sdlAugmentation);
  });

  it("lists the trainer's recipes in the SDL, in order, each with the trainer's description", async () => {
    const { __type } = await gqlOk(t.url, team.member.token, `{ __type(name: "Recipe") { enumValues { name description } } }`);
    expect(__type.enumValues).toEqual(RECIPES.map((name) => ({ name, description: RECIPE_DESCRIPTIONS[name] })));
  });

  it("lists the trainer's probe features in the SDL, in order, each with the trainer's description", async () => {
    const { __type } = await gqlOk(t.url, team.member.token, `{ __type(name: "ProbeFeatures") { enumValues { name description } } }`);
    expect(__type.enumValues).toEqual(PROBE_FEATURES.map((name) => ({ name, description: PROBE_FEATURE_DESCRIPTIONS[name] })));
  });

  it("freezes a pinned recipe's settings as given, and null where the recipe's own apply", async () => {
    const { launchRun } = await gqlOk(t.url, team.member.token, LAUNCH, {
      input: {
        projectId,
        datasetId,
        architectureId,
        settings: { recipe: "LP_FT", learningRate: 0.0003, budgetSeconds: 60, views: 2, features: "STAGES", pctStart: 0.2 },
      },
    });
    expect(launchRun.hyperparameters).toMatchObject({
      recipe: "LP_FT",
      learningRate: 0.0003,
      budgetSeconds: 60,
      views: 2,
      features: "STAGES",
      pctStart: 0.2,
      lrMult: null,
      div: null,
    });
    expect(launchRun.params).toContainEqual({ key: "learningRate", value: 0.0003 });
  });
});

describe("sweeps, k-fold, clone, cancel", () => {
  it("launches a grid, a random search and k folds as groups, in one transaction each", async () => {
    const base = { projectId, datasetId, architectureId };
    const grid = await gqlOk(t.url, team.member.token, SWEEP, {
      input: {
        base,
        parameters: [
          { key: "learningRate", values: [0.001, 0.01] },
          { key: "batchSize", values: [16, 32, 64] },
        ],
      },
    });
    expect(grid.launchSweep.runs).toHaveLength(6);
    expect(
      new Set(
        grid.launchSweep.runs.map(
          (r: { hyperparameters: { learningRate: number; batchSize: number } }) => `${r.hyperparameters.learningRate}/${r.hyperparameters.batchSize}`,
        ),
      ).size,
    ).toBe(6);
    const random = await gqlOk(t.url, team.member.token, SWEEP, {
      input: {
        base,
        method: "RANDOM",
        trials: 5,
        seed: 7,
        parameters: [
          { key: "learningRate", min: 1e-4, max: 1e-1, log: true },
          { key: "augmentation.maxRotate", min: 0, max: 30, integer: true },
        ],
      },
    });
    for (const run of random.launchSweep.runs) {
      expect(run.hyperparameters.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(run.hyperparameters.learningRate).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(run.hyperparameters.augmentation.maxRotate)).toBe(true);
    }
    const recipes = await gqlOk(t.url, team.member.token, SWEEP, {
      input: { base, parameters: [{ key: "recipe", values: ["AUTO", "LINEAR_PROBE", "FINE_TUNE"] }] },
    });
    expect(recipes.launchSweep.runs.map((r: { hyperparameters: { recipe: string } }) => r.hyperparameters.recipe)).toEqual([
      "AUTO",
      "LINEAR_PROBE",
      "FINE_TUNE",
    ]);
    const bad = await gql(t.url, team.member.token, SWEEP, { input: { base, parameters: [{ key: "batchSize", values: [8, 0] }] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.parameters (run 2).batchSize" });
    const kfold = await gqlOk(t.url, team.member.token, KFOLD, { input: { base, folds: 3 } });
    expect(kfold.launchKFold.runs.map((r: { fold: number }) => r.fold)).toEqual([0, 1, 2]);
    expect(
      kfold.launchKFold.runs.every(
        (r: { groupKey: string; hyperparameters: { folds: number } }) => r.groupKey === kfold.launchKFold.groupKey && r.hyperparameters.folds === 3,
      ),
    ).toBe(true);
    expect(await jobsOf(kfold.launchKFold.runs.map((r: { id: string }) => r.id))).toHaveLength(3);
  });

  it("clones a run with changed settings, and cancels a queued run and its job", async () => {
    const { launchRun } = await gqlOk(t.url, team.member.token, LAUNCH, {
      input: { projectId, datasetId, architectureId, settings: { recipe: "FINE_TUNE", epochs: 2, budgetSeconds: 90, augmentation: { maxRotate: 5 } } },
    });
    const { cloneRun } = await gqlOk(
      t.url,
      team.member.token,
      `mutation($input: CloneRunInput!) { cloneRun(input: $input) { id parentRun { id } hyperparameters } }`,
      {
        input: { runId: launchRun.id, settings: { learningRate: 0.01, augmentation: { flip: false } } },
      },
    );
    expect(cloneRun.parentRun.id).toBe(launchRun.id);
    expect(cloneRun.hyperparameters).toMatchObject({
      recipe: "FINE_TUNE",
      epochs: 2,
      budgetSeconds: 90,
      learningRate: 0.01,
      augmentation: { maxRotate: 5, flip: false },
    });
    const { cancelRun } = await gqlOk(t.url, team.member.token, `mutation($id: ID!) { cancelRun(runId: $id) { status error } }`, { id: cloneRun.id });
    expect(cancelRun.status).toBe("CANCELED");
    expect(await jobsOf([cloneRun.id])).toEqual([]);
    const again = await gql(t.url, team.member.token, `mutation($id: ID!) { cancelRun(runId: $id) { status } }`, { id: cloneRun.id });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "runId" });
  });
});
