import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;
// Registered paths must lie in a source root: a temporary one, holding the dataset's folder.
const tmp = realpathSync(mkdtempSync(join(tmpdir(), "catalog-")));
const sourceRoot = join(tmp, "sources");
const datasetFolder = join(sourceRoot, "hymenoptera");

beforeAll(async () => {
  mkdirSync(datasetFolder, { recursive: true });
  t = await startTestApi({ artifactRoot: join(tmp, "artifacts"), sourceRoots: [sourceRoot] });
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

const REGISTER_DATASET = `mutation($input: RegisterDatasetInput!) {
  registerDataset(input: $input) { id name kind sourceUri classNames splitCounts contentHash team { id } } }`;
const REGISTER_ARCHITECTURE = `mutation($input: RegisterArchitectureInput!) {
  registerArchitecture(input: $input) { id name family sourceFormat inputSize parameterCount pretrainedOn } }`;

describe("datasets and architectures", () => {
  it("registers and lists datasets", async () => {
    const input = {
      teamId: team.teamId,
      name: "ants-bees",
      kind: "IMAGE_FOLDER",
      sourceUri: datasetFolder,
      classNames: ["ants", "bees"],
      splitCounts: { train: { ants: 124, bees: 121 }, valid: { ants: 70, bees: 83 } },
      contentHash: "ab".repeat(32),
    };
    // A server path: owners only (path:import).
    const byMember = await gql(t.url, team.member.token, REGISTER_DATASET, { input });
    expect(byMember.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission: "path:import" });
    const { registerDataset } = await gqlOk(t.url, team.owner.token, REGISTER_DATASET, { input });
    const { teamId, ...fields } = input;
    expect(registerDataset).toMatchObject({ ...fields, team: { id: teamId } });
    const { datasets } = await gqlOk(t.url, team.viewer.token, `{ datasets { id name classNames } }`);
    expect(datasets).toEqual([{ id: registerDataset.id, name: "ants-bees", classNames: ["ants", "bees"] }]);
  });

  it("registers and lists architectures", async () => {
    const input = {
      teamId: team.teamId,
      name: "mobilenet_v2",
      family: "MobileNetV2",
      sourceFormat: "TFLITE",
      inputSize: [3, 224, 224],
      parameterCount: 3_504_872,
      pretrainedOn: "ImageNet",
    };
    const { registerArchitecture } = await gqlOk(t.url, team.owner.token, REGISTER_ARCHITECTURE, { input });
    const { teamId: _, ...fields } = input;
    expect(registerArchitecture).toMatchObject(fields);
    const { architectures } = await gqlOk(t.url, team.viewer.token, `query($teamId: ID) { architectures(teamId: $teamId) { name team { id } } }`, {
      teamId: team.teamId,
    });
    expect(architectures).toEqual([{ name: "mobilenet_v2", team: { id: team.teamId } }]);
  });

  it("imports zoo backbones by name: the bundled ImageNet MobileNetV2 as TFLITE, an nsfwjs one as TF.js", async () => {
    const IMPORT = `mutation($input: ImportArchitectureInput!) {
      importArchitecture(input: $input) { family sourceFormat fileUri fileHash inputSize parameterCount } }`;
    const imported = async (source: string) =>
      (await gqlOk(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: `zoo ${source}`, source } })).importArchitecture;
    const mobilenet = await imported("mobilenet-v2-imagenet");
    expect(mobilenet).toMatchObject({
      family: "mobilenet-v2-imagenet",
      sourceFormat: "TFLITE",
      fileUri: "mobilenet-v2-imagenet",
      fileHash: null,
      inputSize: [3, 224, 224],
    });
    expect(mobilenet.parameterCount).toBeGreaterThan(3_000_000);
    expect(await imported("nsfwjs-mobilenet-v2-mid")).toMatchObject({
      sourceFormat: "TFJS_GRAPH",
      fileUri: "nsfwjs-mobilenet-v2-mid",
      inputSize: [3, 224, 224],
    });
  });

  it("rejects bad metadata naming the field, and writes nothing", async () => {
    const result = await gql(t.url, team.member.token, REGISTER_ARCHITECTURE, {
      input: { teamId: team.teamId, name: "bad", family: "x", sourceFormat: "ONNX", inputSize: [224, 224] },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.inputSize",
      rule: "must be [channels, height, width]",
    });
    const counts = await gql(t.url, team.member.token, REGISTER_DATASET, {
      input: { teamId: team.teamId, name: "neg", kind: "IMAGE_CSV", sourceUri: "x", classNames: ["a"], splitCounts: { train: { a: -1 } } },
    });
    expect(counts.errors?.[0]?.extensions).toMatchObject({ field: "input.splitCounts.train.a", rule: "must be ≥ 0" });
    const { rowCount } = await t.db.pool.query(`SELECT 1 FROM architecture WHERE name = 'bad' UNION ALL SELECT 1 FROM dataset WHERE name = 'neg'`);
    expect(rowCount).toBe(0);
  });

  it("reads one dataset or architecture by id, NOT_FOUND when missing or of another team", async () => {
    const { registerDataset } = await gqlOk(t.url, team.owner.token, REGISTER_DATASET, {
      input: { teamId: team.teamId, name: "single", kind: "AUDIO", sourceUri: datasetFolder, classNames: ["x", "y"] },
    });
    const { registerArchitecture } = await gqlOk(t.url, team.member.token, REGISTER_ARCHITECTURE, {
      input: { teamId: team.teamId, name: "single", family: "f", sourceFormat: "ONNX", inputSize: [3, 8, 8] },
    });
    const ONE = `query($d: ID!, $a: ID!) { dataset(id: $d) { id name classNames team { id } } architecture(id: $a) { id name inputSize } }`;
    const found = await gqlOk(t.url, team.viewer.token, ONE, { d: registerDataset.id, a: registerArchitecture.id });
    expect(found).toEqual({
      dataset: { id: registerDataset.id, name: "single", classNames: ["x", "y"], team: { id: team.teamId } },
      architecture: { id: registerArchitecture.id, name: "single", inputSize: [3, 8, 8] },
    });
    const other = await seedTeam(t.db);
    for (const field of ["dataset", "architecture"]) {
      const foreign = await gql(t.url, other.owner.token, `query($id: ID!) { ${field}(id: $id) { id } }`, {
        id: field === "dataset" ? registerDataset.id : registerArchitecture.id,
      });
      expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", kind: field });
      expect(foreign.data).toBeNull();
      const missing = await gql(t.url, team.owner.token, `query($id: ID!) { ${field}(id: $id) { id } }`, { id: randomUUID() });
      expect(errorCode(missing)).toBe("NOT_FOUND");
      const bad = await gql(t.url, team.owner.token, `query { ${field}(id: "nope") { id } }`);
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id", rule: "must be a UUID" });
    }
  });

  it("forbids viewers to register", async () => {
    const result = await gql(t.url, team.viewer.token, REGISTER_DATASET, {
      input: { teamId: team.teamId, name: "v", kind: "AUDIO", sourceUri: "x", classNames: [] },
    });
    expect(errorCode(result)).toBe("FORBIDDEN");
  });
});
