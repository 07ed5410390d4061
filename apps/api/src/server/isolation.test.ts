/**
 * Team isolation: the owner of team A can neither read nor write anything of team B through
 * any query, mutation or subscription; B's records answer as if they did not exist. Nor through
 * server paths: the other team's run files, uploads and converted datasets cannot be imported
 * or registered and read, however the path is spelled.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runArtifactDir } from "@runboard/queue";
import { writeClassFolders } from "@runboard/trainer/data/testing/images";
import { buildSyntheticModel } from "@runboard/trainer/models";
import { encodeModel } from "@runboard/trainer/onnx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAUNCH_PATH_RULE } from "../services/launch.ts";
import { SOURCE_PATH_RULE } from "../services/source-paths.ts";
import { createProjectAndRun, gql, gqlOk, seedTeam, startTestApi, wsClient, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { imageEntries, zipArchive } from "../uploads/testing/archives.ts";

let t: TestApi;
let a: SeededTeam;
let b: SeededTeam;
const ofB = { projectId: "", runId: "", experimentId: "", datasetId: "", architectureId: "", tokenId: "" };
let projectOfA = "";
const tmp = realpathSync(mkdtempSync(join(tmpdir(), "isolation-")));
const sourceRoot = join(tmp, "sources");
// The worst configuration: a source root that holds the artifact root (as `.data` would).
const artifactRoot = join(sourceRoot, "artifacts");

async function snapshotOfB(): Promise<unknown> {
  const { rows } = await t.db.pool.query(
    `SELECT (SELECT count(*) FROM project WHERE team_id = $1) AS projects,
            (SELECT array_agg(name ORDER BY id) FROM project WHERE team_id = $1) AS project_names,
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
  mkdirSync(join(sourceRoot, "b-data"), { recursive: true });
  t = await startTestApi({ artifactRoot, sourceRoots: [sourceRoot] });
  a = await seedTeam(t.db);
  b = await seedTeam(t.db);
  ({ projectId: projectOfA } = await createProjectAndRun(t.url, a.owner.token, a.teamId));
  const created = await createProjectAndRun(t.url, b.owner.token, b.teamId);
  Object.assign(ofB, created);
  const token = b.owner.token;
  const data = await gqlOk(
    t.url,
    token,
    `mutation($teamId: ID!, $projectId: ID!, $runId: ID!, $sourceUri: String!) {
      createExperiment(input: { projectId: $projectId, name: "e" }) { id }
      registerDataset(input: { teamId: $teamId, name: "d", kind: IMAGE_FOLDER, sourceUri: $sourceUri, classNames: ["x"] }) { id }
      registerArchitecture(input: { teamId: $teamId, name: "a", family: "f", sourceFormat: ONNX, inputSize: [3, 8, 8] }) { id }
      createApiToken(name: "b") { apiToken { id } }
      logParams(runId: $runId, params: [{ key: "lr", value: 0.1 }]) { key }
      logMetrics(runId: $runId, points: [{ key: "loss", step: 0, value: 1 }]) { inserted } }`,
    { teamId: b.teamId, projectId: ofB.projectId, runId: ofB.runId, sourceUri: join(sourceRoot, "b-data") },
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
  rmSync(tmp, { recursive: true, force: true });
});

const attempts: Array<[string, () => [string, Record<string, unknown>]]> = [
  ["projects(teamId)", () => [`query($id: ID) { projects(teamId: $id) { id } }`, { id: b.teamId }]],
  ["experiments", () => [`query($id: ID!) { experiments(projectId: $id) { id } }`, { id: ofB.projectId }]],
  ["datasets(teamId)", () => [`query($id: ID) { datasets(teamId: $id) { id } }`, { id: b.teamId }]],
  ["architectures(teamId)", () => [`query($id: ID) { architectures(teamId: $id) { id } }`, { id: b.teamId }]],
  ["dataset(id)", () => [`query($id: ID!) { dataset(id: $id) { id } }`, { id: ofB.datasetId }]],
  ["architecture(id)", () => [`query($id: ID!) { architecture(id: $id) { id } }`, { id: ofB.architectureId }]],
  ["runs(teamId)", () => [`query($id: ID) { runs(filter: { teamId: $id }) { nodes { id } } }`, { id: b.teamId }]],
  ["runGroups(teamId)", () => [`query($id: ID) { runGroups(filter: { teamId: $id }, groupBy: { field: STATUS }) { count } }`, { id: b.teamId }]],
  ["metricHistory", () => [`query($id: ID!) { metricHistory(runId: $id, key: "loss") { points { step } } }`, { id: ofB.runId }]],
  ["compareRuns", () => [`query($id: ID!) { compareRuns(runIds: [$id], keys: ["loss"]) { runs { id } } }`, { id: ofB.runId }]],
  ["metricKeys(teamId)", () => [`query($id: ID) { metricKeys(teamId: $id) }`, { id: b.teamId }]],
  ["paramKeys(datasetId)", () => [`query($id: ID) { paramKeys(datasetId: $id) }`, { id: ofB.datasetId }]],
  ["leaderboard", () => [`query($id: ID!) { leaderboard(datasetId: $id, metric: "loss") { metric } }`, { id: ofB.datasetId }]],
  ["createProject", () => [`mutation($id: ID!) { createProject(input: { teamId: $id, name: "intruder" }) { id } }`, { id: b.teamId }]],
  ["renameProject", () => [`mutation($id: ID!) { renameProject(input: { projectId: $id, name: "intruder" }) { id } }`, { id: ofB.projectId }]],
  ["createExperiment", () => [`mutation($id: ID!) { createExperiment(input: { projectId: $id, name: "intruder" }) { id } }`, { id: ofB.projectId }]],
  [
    "registerDataset",
    () => [`mutation($id: ID!) { registerDataset(input: { teamId: $id, name: "i", kind: AUDIO, sourceUri: "s", classNames: [] }) { id } }`, { id: b.teamId }],
  ],
  [
    "registerArchitecture",
    () => [
      `mutation($id: ID!) { registerArchitecture(input: { teamId: $id, name: "i", family: "f", sourceFormat: ONNX, inputSize: [3, 1, 1] }) { id } }`,
      { id: b.teamId },
    ],
  ],
  ["createRun in B's project", () => [`mutation($id: ID!) { createRun(input: { projectId: $id, name: "intruder" }) { id } }`, { id: ofB.projectId }]],
  [
    "createRun with B's dataset",
    () => [`mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", datasetId: $d }) { id } }`, { p: projectOfA, d: ofB.datasetId }],
  ],
  [
    "createRun with B's architecture",
    () => [
      `mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", architectureId: $d }) { id } }`,
      { p: projectOfA, d: ofB.architectureId },
    ],
  ],
  [
    "createRun with B's experiment",
    () => [`mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", experimentId: $d }) { id } }`, { p: projectOfA, d: ofB.experimentId }],
  ],
  [
    "createRun with B's parent run",
    () => [`mutation($p: ID!, $d: ID!) { createRun(input: { projectId: $p, name: "i", parentRunId: $d }) { id } }`, { p: projectOfA, d: ofB.runId }],
  ],
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

describe("server paths", () => {
  const IMPORT_DATASET = `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id sourceUri } }`;
  const IMPORT_ARCHITECTURE = `mutation($input: ImportArchitectureInput!) { importArchitecture(input: $input) { id fileUri } }`;
  const runFolderOfA = () => join(artifactRoot, runArtifactDir(ofA.runId));
  const ofA = { runId: "", uploadFolder: "", convertedFolder: join(artifactRoot, "datasets", randomUUID()) };
  const model = () => Buffer.from(encodeModel(buildSyntheticModel("mobilenet-v3-small", { widthMultiplier: 0.1, depthMultiplier: 0.3, numClasses: 2 }).model));

  beforeAll(async () => {
    // What the server offers: an image folder and a model, and a symlink that stays inside.
    await writeClassFolders(join(sourceRoot, "shapes"), { red: 3, blue: 3 });
    writeFileSync(join(sourceRoot, "tiny.onnx"), model());
    symlinkSync(join(sourceRoot, "shapes"), join(sourceRoot, "shapes-link"));
    // Team A's files: a run's artifacts (Grad-CAM images, the fine-tuned model), an upload it
    // imported, a converted dataset; and a folder of the server outside every root.
    ({ runId: ofA.runId } = await createProjectAndRun(t.url, a.owner.token, a.teamId, "a-run"));
    await writeClassFolders(join(runFolderOfA(), "gradcam"), { cats: 3, dogs: 3 });
    writeFileSync(join(runFolderOfA(), "model.onnx"), model());
    await writeClassFolders(ofA.convertedFolder, { sine: 3, square: 3 });
    await writeClassFolders(join(tmp, "outside"), { x: 3, y: 3 });
    const uploaded = await fetch(`${t.url.replace(/graphql$/, "uploads")}?teamId=${a.teamId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.owner.token}`, "content-type": "application/zip" },
      body: zipArchive(await imageEntries({ ants: 3, bees: 3 })),
    });
    const { uploadId } = (await uploaded.json()) as { uploadId: string };
    const imported = await gqlOk(t.url, a.owner.token, IMPORT_DATASET, { input: { teamId: a.teamId, name: "a-upload", uploadId } });
    ofA.uploadFolder = imported.importDataset.sourceUri;
    symlinkSync(runFolderOfA(), join(sourceRoot, "link-to-a-run"));
    symlinkSync(join(tmp, "outside"), join(sourceRoot, "link-outside"));
    symlinkSync(join(runFolderOfA(), "model.onnx"), join(sourceRoot, "link-to-a-model.onnx"));
  });

  const refusedPaths: Array<[string, () => string]> = [
    ["A's run artifact folder", () => join(runFolderOfA(), "gradcam")],
    ["A's uploaded dataset folder", () => ofA.uploadFolder],
    ["A's converted dataset folder", () => ofA.convertedFolder],
    ["the artifact root", () => artifactRoot],
    ["a symlink in the source root to A's run folder", () => join(sourceRoot, "link-to-a-run", "gradcam")],
    ["a symlink in the source root to a folder outside", () => join(sourceRoot, "link-outside")],
    ["'..' into the artifact root", () => `${sourceRoot}/shapes/../artifacts/${runArtifactDir(ofA.runId)}/gradcam`],
    ["'..' out of the source root", () => `${sourceRoot}/shapes/../../outside`],
    ["a folder outside every root", () => join(tmp, "outside")],
    ["a missing folder in the source root", () => join(sourceRoot, "missing")],
    ["a relative path", () => "shapes"],
    ["the file system root", () => "/"],
  ];

  it.each(refusedPaths)("importDataset refuses %s with the one message, writing nothing", async (_, path) => {
    const before = await t.db.pool.query(`SELECT count(*) FROM dataset WHERE team_id = $1`, [b.teamId]);
    const result = await gql(t.url, b.owner.token, IMPORT_DATASET, { input: { teamId: b.teamId, name: `probe-${randomUUID()}`, path: path() } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.path", rule: SOURCE_PATH_RULE });
    expect(result.errors?.[0]?.message).toBe(`input.path: ${SOURCE_PATH_RULE}`);
    expect(await t.db.pool.query(`SELECT count(*) FROM dataset WHERE team_id = $1`, [b.teamId])).toMatchObject({ rows: before.rows });
  });

  it.each([
    ["A's fine-tuned model", () => join(runFolderOfA(), "model.onnx")],
    ["a symlink in the source root to A's model", () => join(sourceRoot, "link-to-a-model.onnx")],
    ["'..' to A's model", () => `${sourceRoot}/shapes/../artifacts/${runArtifactDir(ofA.runId)}/model.onnx`],
    ["a missing model", () => join(sourceRoot, "missing.onnx")],
  ])("importArchitecture refuses %s with the one message", async (_, source) => {
    const result = await gql(t.url, b.owner.token, IMPORT_ARCHITECTURE, { input: { teamId: b.teamId, name: `probe-${randomUUID()}`, source: source() } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.source", rule: SOURCE_PATH_RULE });
    expect(result.data ?? null).toBeNull();
  });

  it("imports what lies in the source root (symlinks that stay inside too), by real path", async () => {
    const shapes = await gqlOk(t.url, b.owner.token, IMPORT_DATASET, { input: { teamId: b.teamId, name: "shapes", path: join(sourceRoot, "shapes") } });
    expect(shapes.importDataset.sourceUri).toBe(join(sourceRoot, "shapes"));
    const linked = await gqlOk(t.url, b.owner.token, IMPORT_DATASET, {
      input: { teamId: b.teamId, name: "shapes-link", path: join(sourceRoot, "shapes-link") },
    });
    expect(linked.importDataset.sourceUri).toBe(join(sourceRoot, "shapes"));
    const tiny = await gqlOk(t.url, b.owner.token, IMPORT_ARCHITECTURE, { input: { teamId: b.teamId, name: "tiny", source: join(sourceRoot, "tiny.onnx") } });
    expect(tiny.importArchitecture.fileUri).toBe(join(sourceRoot, "tiny.onnx"));
  });

  it("leaves path imports to owners: members and viewers are refused before the path is looked at", async () => {
    for (const [token, permission] of [
      [b.member.token, "path:import"],
      [b.viewer.token, "dataset:write"],
    ] as const) {
      for (const path of [join(sourceRoot, "shapes"), join(runFolderOfA(), "gradcam")]) {
        const result = await gql(t.url, token, IMPORT_DATASET, { input: { teamId: b.teamId, name: `by-${permission}`, path } });
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission });
      }
    }
    const model = await gql(t.url, b.member.token, IMPORT_ARCHITECTURE, { input: { teamId: b.teamId, name: "m", source: join(sourceRoot, "tiny.onnx") } });
    expect(model.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission: "path:import" });
  });

  const REGISTER_DATASET = `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id sourceUri } }`;
  const REGISTER_ARCHITECTURE = `mutation($input: RegisterArchitectureInput!) { registerArchitecture(input: $input) { id fileUri } }`;
  const datasetsOfB = async () => (await t.db.pool.query(`SELECT count(*) FROM dataset WHERE team_id = $1`, [b.teamId])).rows;
  const architecturesOfB = async () => (await t.db.pool.query(`SELECT count(*) FROM architecture WHERE team_id = $1`, [b.teamId])).rows;

  it.each(refusedPaths)("registerDataset refuses %s with the one message, writing nothing", async (_, path) => {
    const before = await datasetsOfB();
    const result = await gql(t.url, b.owner.token, REGISTER_DATASET, {
      input: { teamId: b.teamId, name: `by-hand-${randomUUID()}`, kind: "IMAGE_FOLDER", sourceUri: path(), classNames: ["a", "b"] },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.sourceUri", rule: SOURCE_PATH_RULE });
    expect(result.errors?.[0]?.message).toBe(`input.sourceUri: ${SOURCE_PATH_RULE}`);
    expect(await datasetsOfB()).toEqual(before);
  });

  it.each([
    ["A's fine-tuned model", () => join(runFolderOfA(), "model.onnx")],
    ["a symlink in the source root to A's model", () => join(sourceRoot, "link-to-a-model.onnx")],
    ["'..' to A's model", () => `${sourceRoot}/shapes/../artifacts/${runArtifactDir(ofA.runId)}/model.onnx`],
    ["a missing model", () => join(sourceRoot, "missing.onnx")],
    ["a relative model path", () => "tiny.onnx"],
  ])("registerArchitecture refuses %s with the one message, as fileUri or as the name the worker would load", async (_, source) => {
    const before = await architecturesOfB();
    const asFile = await gql(t.url, b.owner.token, REGISTER_ARCHITECTURE, {
      input: { teamId: b.teamId, name: `probe-${randomUUID()}`, family: "f", sourceFormat: "ONNX", fileUri: source(), inputSize: [3, 8, 8] },
    });
    expect(asFile.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.fileUri", rule: SOURCE_PATH_RULE });
    const asName = await gql(t.url, b.owner.token, REGISTER_ARCHITECTURE, {
      input: { teamId: b.teamId, name: source(), family: "f", sourceFormat: "ONNX", inputSize: [3, 8, 8] },
    });
    expect(asName.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name", rule: SOURCE_PATH_RULE });
    expect(await architecturesOfB()).toEqual(before);
  });

  it("registers what lies in the source root by real path, and leaves that to owners", async () => {
    const linked = await gqlOk(t.url, b.owner.token, REGISTER_DATASET, {
      input: { teamId: b.teamId, name: "shapes-by-hand", kind: "IMAGE_FOLDER", sourceUri: join(sourceRoot, "shapes-link"), classNames: ["blue", "red"] },
    });
    expect(linked.registerDataset.sourceUri).toBe(join(sourceRoot, "shapes"));
    const tiny = await gqlOk(t.url, b.owner.token, REGISTER_ARCHITECTURE, {
      input: { teamId: b.teamId, name: "tiny-by-hand", family: "f", sourceFormat: "ONNX", fileUri: join(sourceRoot, "tiny.onnx"), inputSize: [3, 8, 8] },
    });
    expect(tiny.registerArchitecture.fileUri).toBe(join(sourceRoot, "tiny.onnx"));
    // A zoo name is no server path: members may register one.
    const zoo = await gqlOk(t.url, b.member.token, REGISTER_ARCHITECTURE, {
      input: { teamId: b.teamId, name: "zoo", family: "mobilenet", sourceFormat: "TFLITE", fileUri: "mobilenet-v2-imagenet", inputSize: [3, 224, 224] },
    });
    expect(zoo.registerArchitecture.fileUri).toBe("mobilenet-v2-imagenet");
    for (const [token, permission] of [
      [b.member.token, "path:import"],
      [b.viewer.token, "dataset:write"],
    ] as const) {
      for (const sourceUri of [join(sourceRoot, "shapes"), join(runFolderOfA(), "gradcam")]) {
        const result = await gql(t.url, token, REGISTER_DATASET, {
          input: { teamId: b.teamId, name: `by-${permission}`, kind: "IMAGE_FOLDER", sourceUri, classNames: ["a"] },
        });
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission });
      }
    }
    const model = await gql(t.url, b.member.token, REGISTER_ARCHITECTURE, {
      input: { teamId: b.teamId, name: "m", family: "f", sourceFormat: "ONNX", fileUri: join(sourceRoot, "tiny.onnx"), inputSize: [3, 8, 8] },
    });
    expect(model.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission: "path:import" });
  });

  /** A record of `teamId` written as if registered before these rules: the path is set by SQL. */
  async function legacyDataset(teamId: string, sourceUri: string): Promise<string> {
    const { rows } = await t.db.pool.query(
      `INSERT INTO dataset (id, team_id, name, kind, source_uri, class_names, split_counts)
       VALUES (gen_random_uuid(), $1, $2, 'IMAGE_FOLDER', $3, ARRAY['a', 'b'], '{}') RETURNING id`,
      [teamId, `legacy-${randomUUID()}`, sourceUri],
    );
    return rows[0].id;
  }

  it("opens none of A's files through a dataset of B that points at them; A reads its own upload", async () => {
    const fileUrl = (datasetId: string, path: string) => `${t.url.replace(/\/graphql$/, "")}/datasets/${datasetId}/files?path=${encodeURIComponent(path)}`;
    const targets: Array<[string, string]> = [
      [join(runFolderOfA(), "gradcam"), "cats/cats_000.png"],
      [ofA.uploadFolder, "ants/ants_0.png"],
      [ofA.convertedFolder, "sine/sine_000.png"],
      [join(sourceRoot, "link-to-a-run", "gradcam"), "cats/cats_000.png"],
    ];
    for (const [sourceUri, image] of targets) {
      const response = await fetch(fileUrl(await legacyDataset(b.teamId, sourceUri), image), { headers: { authorization: `Bearer ${b.owner.token}` } });
      expect([sourceUri, response.status]).toEqual([sourceUri, 403]);
    }
    const own = await gqlOk(t.url, a.owner.token, `{ datasets { id name } }`);
    const upload = own.datasets.find((dataset: { name: string }) => dataset.name === "a-upload");
    const response = await fetch(fileUrl(upload.id, "ants/ants_0.png"), { headers: { authorization: `Bearer ${a.owner.token}` } });
    expect(response.status).toBe(200);
    // A converted dataset reads its own folder (`datasets/<its id>`), and only that one.
    const converted = await gqlOk(t.url, a.owner.token, REGISTER_DATASET, {
      input: { teamId: a.teamId, name: "converted", kind: "AUDIO", sourceUri: join(sourceRoot, "shapes"), classNames: ["sine", "square"] },
    });
    const folder = join(artifactRoot, "datasets", converted.registerDataset.id);
    await writeClassFolders(folder, { sine: 1, square: 1 });
    await t.db.pool.query(`UPDATE dataset SET source_uri = $1 WHERE id = $2`, [folder, converted.registerDataset.id]);
    const image = await fetch(fileUrl(converted.registerDataset.id, "sine/sine_000.png"), { headers: { authorization: `Bearer ${a.owner.token}` } });
    expect(image.status).toBe(200);
  });

  describe("launching", () => {
    const LAUNCH = `mutation($input: LaunchRunInput!) { launchRun(input: $input) { id } }`;
    const runsOf = async (teamId: string) => (await t.db.pool.query(`SELECT count(*) FROM run WHERE team_id = $1`, [teamId])).rows;
    let shapesOfB = "";
    let tinyOfB = "";

    beforeAll(async () => {
      shapesOfB = (
        await gqlOk(t.url, b.owner.token, REGISTER_DATASET, {
          input: { teamId: b.teamId, name: "shapes-to-launch", kind: "IMAGE_FOLDER", sourceUri: join(sourceRoot, "shapes"), classNames: ["blue", "red"] },
        })
      ).registerDataset.id;
      tinyOfB = (
        await gqlOk(t.url, b.owner.token, REGISTER_ARCHITECTURE, {
          input: { teamId: b.teamId, name: "tiny-to-launch", family: "f", sourceFormat: "ONNX", fileUri: join(sourceRoot, "tiny.onnx"), inputSize: [3, 8, 8] },
        })
      ).registerArchitecture.id;
    });

    it("launches a run whose dataset and model lie in the source roots", async () => {
      const launched = await gqlOk(t.url, b.member.token, LAUNCH, { input: { projectId: ofB.projectId, datasetId: shapesOfB, architectureId: tinyOfB } });
      expect(launched.launchRun.id).toBeTruthy();
    });

    it.each([
      ["A's run artifact folder", () => join(runFolderOfA(), "gradcam")],
      ["A's uploaded dataset folder", () => ofA.uploadFolder],
      ["A's converted dataset folder", () => ofA.convertedFolder],
      ["a symlink in the source root to A's run folder", () => join(sourceRoot, "link-to-a-run", "gradcam")],
      ["a folder outside every root", () => join(tmp, "outside")],
      ["a relative path", () => "shapes"],
    ])("refuses a launch whose dataset points at %s, writing no run", async (_, path) => {
      const datasetId = await legacyDataset(b.teamId, path());
      const before = await runsOf(b.teamId);
      const result = await gql(t.url, b.member.token, LAUNCH, { input: { projectId: ofB.projectId, datasetId, architectureId: tinyOfB } });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.datasetId", rule: LAUNCH_PATH_RULE });
      expect(result.data ?? null).toBeNull();
      expect(await runsOf(b.teamId)).toEqual(before);
    });

    it("refuses a launch and a sweep whose architecture points at A's model, writing no run", async () => {
      const { rows } = await t.db.pool.query(
        `INSERT INTO architecture (id, team_id, name, family, source_format, file_uri, input_size)
         VALUES (gen_random_uuid(), $1, $2, 'f', 'ONNX', $3, ARRAY[3, 8, 8]) RETURNING id`,
        [b.teamId, `legacy-${randomUUID()}`, join(runFolderOfA(), "model.onnx")],
      );
      const base = { projectId: ofB.projectId, datasetId: shapesOfB, architectureId: rows[0].id };
      const before = await runsOf(b.teamId);
      const launch = await gql(t.url, b.member.token, LAUNCH, { input: base });
      expect(launch.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.architectureId", rule: LAUNCH_PATH_RULE });
      const sweep = await gql(t.url, b.member.token, `mutation($input: LaunchSweepInput!) { launchSweep(input: $input) { groupKey } }`, {
        input: { base, parameters: [{ key: "learningRate", values: [0.001, 0.01] }] },
      });
      expect(sweep.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.base.architectureId", rule: LAUNCH_PATH_RULE });
      expect(await runsOf(b.teamId)).toEqual(before);
    });

    it("launches A's run on A's own upload, which B cannot", async () => {
      const own = await gqlOk(t.url, a.owner.token, `{ datasets { id name } }`);
      const upload = own.datasets.find((dataset: { name: string }) => dataset.name === "a-upload");
      const zoo = await gqlOk(t.url, a.owner.token, REGISTER_ARCHITECTURE, {
        input: { teamId: a.teamId, name: "synthetic-tiny", family: "f", sourceFormat: "ONNX", inputSize: [3, 8, 8] },
      });
      const launched = await gqlOk(t.url, a.member.token, LAUNCH, {
        input: { projectId: projectOfA, datasetId: upload.id, architectureId: zoo.registerArchitecture.id },
      });
      expect(launched.launchRun.id).toBeTruthy();
    });
  });
});
