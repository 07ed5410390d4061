/**
 * GET /datasets/<id>/files and Dataset.samples over a real folder: team isolation, traversal
 * and symlink escapes refused, thumbnails that decode, folders outside the source roots closed.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { createApiServer, type ApiServer } from "./app.ts";

let t: TestApi;
let a: SeededTeam;
let b: SeededTeam;
let tmp: string;
let root: string;
let datasetId = "";

async function image(path: string, width: number, height: number, format: "png" | "jpeg"): Promise<void> {
  const raw = Buffer.alloc(width * height * 3, 0).map((_, i) => (i * 7) % 251);
  const encoded = sharp(raw, { raw: { width, height, channels: 3 } });
  writeFileSync(path, await (format === "png" ? encoded.png() : encoded.jpeg()).toBuffer());
}

function fileUrl(baseUrl: string, id: string, path: string, size?: number): string {
  const query = new URLSearchParams({ path, ...(size === undefined ? {} : { size: String(size) }) });
  return `${baseUrl.replace(/\/graphql$/, "")}/datasets/${id}/files?${query}`;
}

async function get(url: string, token?: string): Promise<Response> {
  return fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "dataset-files-"));
  root = join(tmp, "pets");
  for (const dir of ["cats/nested", "dogs", "../outside"]) mkdirSync(join(root, dir), { recursive: true });
  await image(join(root, "cats", "a.png"), 64, 48, "png");
  await image(join(root, "cats", "b.png"), 8, 8, "png");
  await image(join(root, "cats", "nested", "c.png"), 8, 8, "png");
  await image(join(root, "dogs", "d.jpg"), 16, 16, "jpeg");
  await image(join(tmp, "outside", "secret.png"), 8, 8, "png");
  writeFileSync(join(root, "cats", "notes.txt"), "not an image");
  writeFileSync(join(root, "cats", ".hidden.png"), "dot file");
  symlinkSync(join(tmp, "outside", "secret.png"), join(root, "cats", "escape.png"));
  t = await startTestApi({ artifactRoot: join(tmp, "artifacts"), sourceRoots: [root] });
  a = await seedTeam(t.db);
  b = await seedTeam(t.db);
  const data = await gqlOk(t.url, a.owner.token, `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id } }`, {
    input: { teamId: a.teamId, name: "pets", kind: "IMAGE_FOLDER", sourceUri: root, classNames: ["cats", "dogs"] },
  });
  datasetId = data.registerDataset.id;
});

afterAll(async () => {
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("GET /datasets/<id>/files", () => {
  it("serves an image of the caller's dataset byte for byte, and a thumbnail that decodes at the asked size", async () => {
    const full = await get(fileUrl(t.url, datasetId, "cats/a.png"), a.viewer.token);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await full.arrayBuffer()).equals(readFileSync(join(root, "cats", "a.png")))).toBe(true);
    const thumb = await get(fileUrl(t.url, datasetId, "cats/a.png", 32), a.viewer.token);
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 32, 24]);
    const small = await get(fileUrl(t.url, datasetId, "dogs/d.jpg", 128), a.viewer.token);
    expect((await sharp(Buffer.from(await small.arrayBuffer())).metadata()).width).toBe(16); // never enlarged
  });

  it("answers another team and a missing token as if the dataset did not exist", async () => {
    expect((await get(fileUrl(t.url, datasetId, "cats/a.png"), b.owner.token)).status).toBe(404);
    expect((await get(fileUrl(t.url, datasetId, "cats/a.png"))).status).toBe(401);
    expect((await get(fileUrl(t.url, "not-a-uuid", "cats/a.png"), a.owner.token)).status).toBe(404);
  });

  it("refuses traversal, absolute paths, symlinks out of the folder and non-images, naming the field", async () => {
    const refused: Array<[string, number]> = [
      ["../outside/secret.png", 400],
      ["cats/../../outside/secret.png", 400],
      [join(tmp, "outside", "secret.png"), 400],
      ["cats\\..\\..\\outside\\secret.png", 400],
      ["cats/escape.png", 403],
      ["cats/notes.txt", 400],
      ["cats/missing.png", 404],
      ["", 400],
    ];
    for (const [path, status] of refused) {
      const response = await get(fileUrl(t.url, datasetId, path), a.owner.token);
      expect([path, response.status]).toEqual([path, status]);
      expect(((await response.json()) as { error: string }).error).toMatch(/^path: /);
    }
    const badSize = await get(fileUrl(t.url, datasetId, "cats/a.png", 4096), a.owner.token);
    expect([badSize.status, ((await badSize.json()) as { error: string }).error]).toEqual([400, "size: must be a whole number from 16 to 512"]);
  });
});

describe("Dataset.samples", () => {
  const query = `query($id: ID!, $perClass: Int) { dataset(id: $id) { samples(perClass: $perClass) { className path } } }`;

  it("lists the first images per class (nested folders, no dot files, no symlinks, no other files)", async () => {
    const two = await gqlOk(t.url, a.viewer.token, query, { id: datasetId, perClass: 2 });
    expect(two.dataset.samples).toEqual([
      { className: "cats", path: "cats/a.png" },
      { className: "cats", path: "cats/b.png" },
      { className: "dogs", path: "dogs/d.jpg" },
    ]);
    const all = await gqlOk(t.url, a.viewer.token, query, { id: datasetId, perClass: 8 });
    expect(all.dataset.samples.map((s: { path: string }) => s.path)).toEqual(["cats/a.png", "cats/b.png", "cats/nested/c.png", "dogs/d.jpg"]);
  });

  it("checks perClass and keeps other teams out", async () => {
    const tooMany = await gql(t.url, a.owner.token, query, { id: datasetId, perClass: 33 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "perClass" });
    const other = await gql(t.url, b.owner.token, query, { id: datasetId, perClass: 2 });
    expect(other.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("with source roots configured", () => {
  let api: ApiServer;
  let url = "";
  beforeAll(async () => {
    api = await createApiServer({
      pool: t.db.pool,
      limits: { maxDepth: 12, maxCost: 50_000 },
      launch: { artifactRoot: join(tmp, "artifacts"), sourceRoots: [join(tmp, "outside")] },
    });
    url = await api.listen(0, "127.0.0.1");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("opens nothing of a dataset whose folder lies outside them", async () => {
    const response = await get(fileUrl(url, datasetId, "cats/a.png"), a.owner.token);
    expect(response.status).toBe(403);
    const samples = await gql(url, a.owner.token, `query($id: ID!) { dataset(id: $id) { samples { path } } }`, { id: datasetId });
    expect(samples.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "sourceUri" });
  });
});
