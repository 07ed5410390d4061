/**
 * importArchitecture(catalog:) and modelCatalog against a local HTTP server serving small
 * generated models, through a catalog file of the test's own (never the internet).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSyntheticModel, type CatalogEntry, loadCatalogModel, pullCatalogModel } from "@runboard/trainer/models";
import { startFileServer, type FileServer } from "@runboard/trainer/models/testing/file-server";
import { tarGz } from "@runboard/trainer/models/testing/tar-writer";
import { encodeModel } from "@runboard/trainer/onnx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectAndRun, errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let t: TestApi;
let team: SeededTeam;
let server: FileServer;
let closedPort: number;
// Real path: registered sources are compared as real paths (the machine's tmp may be a symlink).
const tmp = realpathSync(mkdtempSync(join(tmpdir(), "model-catalog-")));
const cacheDir = join(tmp, "cache");
const entries: Record<string, CatalogEntry> = {};

function entry(name: string, bytes: Uint8Array, url: string, archive: boolean): CatalogEntry {
  return {
    name,
    family: `generated ${name}`,
    format: "onnx",
    url,
    sha256: sha256(bytes),
    size: bytes.length,
    inputSize: [32, 32],
    preprocessing: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    pretrainedOn: "generated (random weights)",
    license: "test",
    source: `${url}/page`,
    ...(archive ? { archive: "tar.gz" as const } : {}),
  };
}

beforeAll(async () => {
  // The slow route sends its eight parts 400 ms apart: about 3 s, long enough to watch even on a busy machine.
  server = await startFileServer({ slowPartDelayMs: 400 });
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((done) => probe.close(done));

  const model = (seed: number) =>
    encodeModel(buildSyntheticModel("resnet18", { numClasses: 5, widthMultiplier: 0.125, depthMultiplier: 0.25, resolution: 32, seed }).model);
  const plain = model(1);
  const archived = tarGz([
    { name: "tiny/", type: "5" },
    { name: "tiny/tiny.onnx", data: model(2) },
  ]);
  const slow = model(3);
  const offline = model(4);
  server.put("plain", plain);
  server.put("archived", archived);
  server.put("slow", slow);
  server.put("offline", offline);
  const list = [
    entry("tiny-resnet18", plain, `${server.origin}/redirect/plain`, false),
    entry("tiny-archived", archived, `${server.origin}/files/archived`, true),
    entry("tiny-wrong-hash", plain, `${server.origin}/wrong/plain`, false),
    entry("tiny-slow", slow, `${server.origin}/slow/slow`, false),
    entry("tiny-offline", offline, `http://127.0.0.1:${closedPort}/files/offline`, false),
    entry("tiny-unreachable", offline, `http://127.0.0.1:${closedPort}/files/nothing`, false),
  ];
  for (const e of list) entries[e.name] = e;
  const catalogFile = join(tmp, "catalog.json");
  writeFileSync(catalogFile, JSON.stringify({ schema: 1, version: "test", entries: list }));
  t = await startTestApi({ artifactRoot: join(tmp, "artifacts"), sourceRoots: [join(tmp, "sources")], modelCatalog: { catalogFile, cacheDir } });
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const IMPORT = `mutation($input: ImportArchitectureInput!) {
  importArchitecture(input: $input) { id name family sourceFormat fileUri fileHash inputSize parameterCount pretrainedOn } }`;
const CATALOG = `query($teamId: ID!) { modelCatalog(teamId: $teamId) {
  name family format inputSize mean std license sourceUrl downloadUrl sha256 sizeBytes cached
  architectures { id name } download { state receivedBytes totalBytes error errorCode finishedAt } } }`;

type Listed = {
  name: string;
  cached: boolean;
  sizeBytes: number;
  architectures: { id: string; name: string }[];
  download: { state: string; receivedBytes: number; totalBytes: number; error: string | null; errorCode: string | null; finishedAt: string | null } | null;
};

async function listed(token: string, name: string): Promise<Listed> {
  const { modelCatalog } = await gqlOk(t.url, token, CATALOG, { teamId: team.teamId });
  return (modelCatalog as Listed[]).find((m) => m.name === name)!;
}

const importInput = (name: string, catalog: string) => ({ input: { teamId: team.teamId, name, catalog } });

describe("modelCatalog", () => {
  it("lists every entry with its facts to a viewer, nothing cached or registered yet; other teams' callers get NOT_FOUND", async () => {
    const { modelCatalog } = await gqlOk(t.url, team.viewer.token, CATALOG, { teamId: team.teamId });
    expect(modelCatalog.map((m: Listed) => m.name)).toEqual(Object.keys(entries));
    expect(modelCatalog[1]).toEqual({
      name: "tiny-archived",
      family: "generated tiny-archived",
      format: "ONNX",
      inputSize: [32, 32],
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      license: "test",
      sourceUrl: `${server.origin}/files/archived/page`,
      downloadUrl: `${server.origin}/files/archived`,
      sha256: entries["tiny-archived"]!.sha256,
      sizeBytes: entries["tiny-archived"]!.size,
      cached: false,
      architectures: [],
      download: null,
    });
    const other = await seedTeam(t.db);
    const outsider = await gql(t.url, other.owner.token, CATALOG, { teamId: team.teamId });
    expect(errorCode(outsider)).toBe("NOT_FOUND");
  });
});

describe("importArchitecture with catalog", () => {
  it("downloads (following a redirect), verifies and registers an entry for a member; the catalog then shows it cached and registered", async () => {
    const { importArchitecture } = await gqlOk(t.url, team.member.token, IMPORT, importInput("tiny", "tiny-resnet18"));
    const e = entries["tiny-resnet18"]!;
    expect(importArchitecture).toMatchObject({
      name: "tiny",
      family: "generated tiny-resnet18",
      sourceFormat: "ONNX",
      fileUri: "catalog:tiny-resnet18",
      fileHash: e.sha256,
      inputSize: [3, 32, 32],
      pretrainedOn: "generated (random weights)",
    });
    expect(importArchitecture.parameterCount).toBeGreaterThan(0);
    const after = await listed(team.viewer.token, "tiny-resnet18");
    expect(after.cached).toBe(true);
    expect(after.architectures).toEqual([{ id: importArchitecture.id, name: "tiny" }]);
    expect(after.download).toMatchObject({ state: "DONE", receivedBytes: e.size, totalBytes: e.size, error: null });
    // What a worker loads for fileUri catalog:NAME: the same cache, verified again.
    expect(loadCatalogModel(e, cacheDir).metadata["runboard.catalog_name"]).toBe("tiny-resnet18");
  });

  it("launches a run on a catalog architecture like on any other (catalog:NAME is no server path)", async () => {
    const pets = join(tmp, "sources", "pets");
    mkdirSync(pets, { recursive: true });
    const { projectId } = await createProjectAndRun(t.url, team.member.token, team.teamId);
    const { registerDataset } = await gqlOk(t.url, team.owner.token, `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id } }`, {
      input: { teamId: team.teamId, name: "pets", kind: "IMAGE_FOLDER", sourceUri: pets, classNames: ["cat", "dog"] },
    });
    const { architectures } = await gqlOk(t.url, team.member.token, `query($teamId: ID) { architectures(teamId: $teamId) { id fileUri } }`, {
      teamId: team.teamId,
    });
    const architecture = architectures.find((a: { fileUri: string }) => a.fileUri === "catalog:tiny-resnet18");
    const { launchRun } = await gqlOk(t.url, team.member.token, `mutation($input: LaunchRunInput!) { launchRun(input: $input) { status } }`, {
      input: { projectId, datasetId: registerDataset.id, architectureId: architecture.id },
    });
    expect(launchRun).toEqual({ status: "QUEUED" });
  });

  it("unpacks an archived entry and takes the given family and pretrainedOn", async () => {
    const input = { teamId: team.teamId, name: "tiny-from-tar", catalog: "tiny-archived", family: "Tiny", pretrainedOn: "nothing" };
    const { importArchitecture } = await gqlOk(t.url, team.owner.token, IMPORT, { input });
    expect(importArchitecture).toMatchObject({ family: "Tiny", pretrainedOn: "nothing", fileUri: "catalog:tiny-archived", inputSize: [3, 32, 32] });
  });

  it("refuses a file whose sha256 differs: DOWNLOAD_FAILED, nothing registered, nothing kept in the cache", async () => {
    const result = await gql(t.url, team.member.token, IMPORT, importInput("bad", "tiny-wrong-hash"));
    expect(errorCode(result)).toBe("DOWNLOAD_FAILED");
    expect(result.errors?.[0]?.message).toMatch(
      /^catalog model 'tiny-wrong-hash': .*sha256 [0-9a-f]{64} does not match the catalog's [0-9a-f]{64}; the download was deleted$/,
    );
    const after = await listed(team.member.token, "tiny-wrong-hash");
    expect(after).toMatchObject({ cached: false, architectures: [], download: { state: "FAILED", errorCode: "DOWNLOAD_FAILED" } });
    const folder = join(cacheDir, "tiny-wrong-hash");
    expect(existsSync(folder) ? readdirSync(folder, { recursive: true }).filter((f) => String(f).includes(".")) : []).toEqual([]);
  });

  it("works offline when the entry is in the cache", async () => {
    const e = entries["tiny-offline"]!;
    // Pulled earlier from a server that is gone now (same name and sha256, so the same cache file).
    await pullCatalogModel({ ...e, url: `${server.origin}/files/offline` }, cacheDir);
    expect((await listed(team.member.token, "tiny-offline")).cached).toBe(true);
    const { importArchitecture } = await gqlOk(t.url, team.member.token, IMPORT, importInput("offline", "tiny-offline"));
    expect(importArchitecture).toMatchObject({ fileUri: "catalog:tiny-offline", fileHash: e.sha256 });
  });

  it("says in one line that there is no network when the entry is not cached", async () => {
    const result = await gql(t.url, team.member.token, IMPORT, importInput("unreachable", "tiny-unreachable"));
    expect(errorCode(result)).toBe("NETWORK_UNAVAILABLE");
    expect(result.errors?.[0]?.message).toBe(
      `no network: cannot reach 127.0.0.1:${closedPort} (ECONNREFUSED); catalog model 'tiny-unreachable' is not in the server's model cache`,
    );
    expect((await listed(team.member.token, "tiny-unreachable")).download).toMatchObject({ state: "FAILED", errorCode: "NETWORK_UNAVAILABLE" });
  });

  it("refuses a viewer (FORBIDDEN architecture:write) before downloading anything", async () => {
    const before = server.paths.length;
    const result = await gql(t.url, team.viewer.token, IMPORT, importInput("viewer", "tiny-slow"));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", permission: "architecture:write" });
    expect(server.paths.length).toBe(before);
    expect(existsSync(join(cacheDir, "tiny-slow"))).toBe(false);
  });

  it("shows a long download's progress, and a second import of the same entry waits for it instead of downloading again", async () => {
    const e = entries["tiny-slow"]!;
    const before = server.paths.filter((p) => p === "/slow/slow").length;
    const first = gql(t.url, team.member.token, IMPORT, importInput("slow-1", "tiny-slow"));
    let seen: Listed["download"] = null;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      seen = (await listed(team.viewer.token, "tiny-slow")).download;
      // Not started yet (null), or started with nothing received: look again.
      if (seen !== null && (seen.state !== "DOWNLOADING" || seen.receivedBytes > 0)) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    expect(seen).toMatchObject({ state: "DOWNLOADING", totalBytes: e.size, finishedAt: null });
    expect(seen!.receivedBytes).toBeLessThan(e.size);
    const second = gql(t.url, team.owner.token, IMPORT, importInput("slow-2", "tiny-slow"));
    const [a, b] = await Promise.all([first, second]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(server.paths.filter((p) => p === "/slow/slow").length - before).toBe(1);
    const after = await listed(team.viewer.token, "tiny-slow");
    // Both registered from the one download (in either order: they finish together).
    expect(after.architectures.map((x) => x.name).sort()).toEqual(["slow-1", "slow-2"]);
    expect(after.download).toMatchObject({ state: "DONE", receivedBytes: e.size });
  });

  it("validates the input: the name rule, one source only, a known entry, a free architecture name", async () => {
    const bad = await gql(t.url, team.member.token, IMPORT, importInput("x", "Not A Name"));
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.catalog",
      rule: "must be a catalog entry name: lowercase letters, digits, '.', '_' or '-'",
    });
    const both = await gql(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "x", catalog: "tiny-resnet18", source: "a.onnx" } });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.catalog", rule: "give one of source, uploadId or catalog" });
    const unknown = await gql(t.url, team.member.token, IMPORT, importInput("x", "no-such-model"));
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.catalog" });
    expect(unknown.errors?.[0]?.message).toMatch(/no catalog entry 'no-such-model'; entries: tiny-resnet18, /);
    const taken = await gql(t.url, team.member.token, IMPORT, importInput("tiny", "tiny-resnet18"));
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
  });
});
