import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@runboard/db";
import type {} from "@runboard/db/testing/context";
import { buildSyntheticModel } from "@runboard/trainer/models";
import { encodeModel } from "@runboard/trainer/onnx";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gql, gqlOk, seedTeam, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { imageEntries, tarArchive, zipArchive } from "../uploads/testing/archives.ts";
import { createApiServer } from "./app.ts";

const root = mkdtempSync(join(tmpdir(), "uploads-"));
const artifactRoot = join(root, "artifacts");
const limits = { maxUploadBytes: 512 * 1024, maxExtractedBytes: 2 * 1024 ** 2, maxFiles: 20, maxCompressionRatio: 200 };
let t: TestApi;
let uploadsUrl: string;
let team: SeededTeam;
let other: SeededTeam;

beforeAll(async () => {
  const db = createDb(inject("databaseUrl"));
  const api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 }, launch: { artifactRoot, uploadLimits: limits } });
  const url = await api.listen(0, "127.0.0.1");
  t = { url, wsUrl: url.replace(/^http/, "ws"), api, db, close: async () => (await api.close(), await db.close()) };
  uploadsUrl = url.replace(/graphql$/, "uploads");
  [team, other] = [await seedTeam(t.db), await seedTeam(t.db)];
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

async function upload(body: Buffer, contentType: string, options: { token?: string; teamId?: string; filename?: string } = {}) {
  const query = new URLSearchParams({ teamId: options.teamId ?? team.teamId, ...(options.filename ? { filename: options.filename } : {}) });
  const response = await fetch(`${uploadsUrl}?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${options.token ?? team.member.token}`, "content-type": contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Bytes of 0 or 1: about 8× compressible, so a size limit and not the ratio limit is what refuses them. */
const bitNoise = (size: number): Buffer => Buffer.from(randomBytes(size).map((byte) => byte & 1));

const teamUploads = (teamId: string) => join(artifactRoot, "uploads", teamId);
const storedUploads = (teamId = team.teamId) => (existsSync(teamUploads(teamId)) ? readdirSync(teamUploads(teamId)) : []);

const IMPORT = `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id kind sourceUri classNames splitCounts contentHash } }`;
const total = (split: Record<string, number>) => Object.values(split).reduce((a, b) => a + b, 0);

describe("POST /uploads, good archives", () => {
  it("imports a zip (wrapped in one top folder) as a dataset with its class counts", async () => {
    const zip = zipArchive([{ path: "shapes/" }, ...(await imageEntries({ red: 3, blue: 4 }, "shapes/")), { path: "__MACOSX/._x", data: Buffer.from("junk") }]);
    const { status, body } = await upload(zip, "application/zip");
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: "zip", files: 7, bytes: zip.length });
    expect(storedUploads()).toContain(body.uploadId);
    const { importDataset } = await gqlOk(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "zipped", uploadId: body.uploadId } });
    expect(importDataset.kind).toBe("IMAGE_FOLDER");
    expect(importDataset.classNames).toEqual(["blue", "red"]);
    expect(importDataset.sourceUri).toBe(join(teamUploads(team.teamId), body.uploadId, "shapes"));
    const { train, valid } = importDataset.splitCounts;
    expect({ blue: train.blue + valid.blue, red: train.red + valid.red }).toEqual({ blue: 4, red: 3 });
    expect(total(valid)).toBeGreaterThan(0);
  });

  it("imports a tar.gz (classes at the top) with its class counts", async () => {
    const archive = tarArchive([{ path: "cats/", type: "Directory" }, ...(await imageEntries({ cats: 5, dogs: 2 }))], { gzip: true });
    const { status, body } = await upload(archive, "application/gzip");
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: "tar", files: 7 });
    const { importDataset } = await gqlOk(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "tarred", uploadId: body.uploadId } });
    expect(importDataset.classNames).toEqual(["cats", "dogs"]);
    expect(total(importDataset.splitCounts.train) + total(importDataset.splitCounts.valid)).toBe(7);
  });

  it("imports an uploaded .onnx file as an architecture with its parameter count", async () => {
    const model = Buffer.from(encodeModel(buildSyntheticModel("mobilenet-v3-small", { widthMultiplier: 0.1, depthMultiplier: 0.3, numClasses: 2 }).model));
    expect(model.length).toBeLessThan(limits.maxUploadBytes);
    const { status, body } = await upload(model, "application/octet-stream", { filename: "tiny.onnx" });
    expect(status).toBe(201);
    const { importArchitecture } = await gqlOk(
      t.url,
      team.member.token,
      `mutation($input: ImportArchitectureInput!) {
      importArchitecture(input: $input) { sourceFormat fileUri fileHash parameterCount } }`,
      { input: { teamId: team.teamId, name: "uploaded", uploadId: body.uploadId } },
    );
    expect(importArchitecture).toMatchObject({ sourceFormat: "ONNX", fileUri: join(teamUploads(team.teamId), body.uploadId, "tiny.onnx") });
    expect(importArchitecture.parameterCount).toBeGreaterThan(1000);
    expect(importArchitecture.fileHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("POST /uploads, refused archives leave nothing behind", () => {
  const refusals: Array<[string, () => Promise<{ body: Buffer; type: string }>, RegExp]> = [
    [
      "a tar entry with ..",
      async () => ({
        body: tarArchive([...(await imageEntries({ a: 1 })), { path: "a/../../evil.png", data: Buffer.from("x") }], { gzip: true }),
        type: "application/gzip",
      }),
      /must not hold '\.\.'/,
    ],
    [
      "a tar entry with an absolute path",
      async () => ({ body: tarArchive([{ path: "/tmp/evil.png", data: Buffer.from("x") }], { gzip: false }), type: "application/x-tar" }),
      /absolute paths/,
    ],
    [
      "a tar symlink",
      async () => ({
        body: tarArchive([...(await imageEntries({ a: 1 })), { path: "a/link.png", type: "SymbolicLink", linkpath: "/etc/passwd" }], { gzip: true }),
        type: "application/gzip",
      }),
      /links are not allowed/,
    ],
    [
      "a tar hard link",
      async () => ({ body: tarArchive([{ path: "a/hard.png", type: "Link", linkpath: "a/a_0.png" }], { gzip: true }), type: "application/gzip" }),
      /links are not allowed/,
    ],
    [
      "a tar device",
      async () => ({ body: tarArchive([{ path: "a/dev", type: "CharacterDevice" }], { gzip: true }), type: "application/gzip" }),
      /devices and pipes/,
    ],
    [
      "a zip entry with ..",
      async () => ({ body: zipArchive([...(await imageEntries({ a: 1 })), { path: "../evil.png", data: Buffer.from("x") }]), type: "application/zip" }),
      /relative path|must not hold/,
    ],
    [
      "a zip symlink",
      async () => ({
        body: zipArchive([...(await imageEntries({ a: 1 })), { path: "a/link.png", data: Buffer.from("/etc/passwd"), mode: 0o120777 }]),
        type: "application/zip",
      }),
      /links, devices/,
    ],
    ["too many files", async () => ({ body: tarArchive(await imageEntries({ a: 11, b: 10 }), { gzip: true }), type: "application/gzip" }), /at most 20 files/],
    [
      "too large unpacked",
      async () => ({
        body: tarArchive(
          Array.from({ length: 3 }, (_, i) => ({ path: `a/big${i}.bin`, data: bitNoise(800 * 1024) })),
          { gzip: true },
        ),
        type: "application/gzip",
      }),
      /unpack to at most 2 MiB/,
    ],
    [
      "a tar.gz bomb (ratio)",
      async () => ({ body: tarArchive([{ path: "a/zeros.bin", data: Buffer.alloc(1536 * 1024) }], { gzip: true }), type: "application/gzip" }),
      /allowed ratio/,
    ],
    [
      "a zip bomb (ratio)",
      async () => ({ body: zipArchive([{ path: "a/zeros.bin", data: Buffer.alloc(1536 * 1024) }]), type: "application/zip" }),
      /its compressed size/,
    ],
    ["a body that is no archive", async () => ({ body: Buffer.from("not a zip at all"), type: "application/zip" }), /not a readable zip/],
  ];

  it.each(refusals)("refuses %s", async (_, make, rule) => {
    const { body, type } = await make();
    const before = storedUploads();
    const result = await upload(body, type);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: "BAD_USER_INPUT", field: "body" });
    expect(result.body.error.rule).toMatch(rule);
    expect(storedUploads()).toEqual(before);
    expect(existsSync(join(artifactRoot, "uploads", "evil.png")) || existsSync(join(artifactRoot, "evil.png")) || existsSync(join(root, "evil.png"))).toBe(
      false,
    );
  });

  it("refuses a body over the size limit with 413", async () => {
    const before = storedUploads();
    const result = await upload(Buffer.alloc(limits.maxUploadBytes + 1), "application/zip");
    expect(result.status).toBe(413);
    expect(result.body.error).toMatchObject({ field: "body", rule: expect.stringMatching(/an upload may be at most/) });
    expect(storedUploads()).toEqual(before);
  });

  it("refuses an unknown Content-Type and a model name that is not .onnx/.tflite", async () => {
    expect((await upload(Buffer.from("x"), "text/plain")).body.error).toMatchObject({ field: "Content-Type" });
    expect((await upload(Buffer.from("x"), "application/octet-stream", { filename: "../x.onnx" })).body.error).toMatchObject({ field: "filename" });
  });
});

describe("POST /uploads, team scope", () => {
  it("refuses another team's folder, viewers and unknown tokens, storing nothing", async () => {
    const zip = zipArchive(await imageEntries({ a: 1, b: 1 }));
    const wrongTeam = await upload(zip, "application/zip", { teamId: other.teamId });
    expect(wrongTeam.status).toBe(404);
    expect(storedUploads(other.teamId)).toEqual([]);
    const viewer = await upload(zip, "application/zip", { teamId: other.teamId, token: other.viewer.token });
    expect(viewer.status).toBe(403);
    expect((await upload(zip, "application/zip", { token: "rb_unknown" })).status).toBe(401);
    expect(storedUploads(other.teamId)).toEqual([]);
  });

  it("does not let another team import an upload", async () => {
    const { body } = await upload(zipArchive(await imageEntries({ a: 2, b: 2 })), "application/zip");
    const result = await gql(t.url, other.member.token, IMPORT, { input: { teamId: other.teamId, name: "stolen", uploadId: body.uploadId } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.uploadId" });
    const both = await gql(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "both", uploadId: body.uploadId, path: "/tmp" } });
    expect(both.errors?.[0]?.extensions).toMatchObject({ field: "input.uploadId", rule: "give either path or uploadId, not both" });
  });
});

describe("a failed import removes its upload", () => {
  const IMPORT_ARCHITECTURE = `mutation($input: ImportArchitectureInput!) { importArchitecture(input: $input) { id } }`;

  it("removes a dataset upload whose import was refused", async () => {
    const { body } = await upload(
      zipArchive([...(await imageEntries({ only: 3 })), { path: "readme.txt", data: Buffer.from("one class") }]),
      "application/zip",
    );
    expect(storedUploads()).toContain(body.uploadId);
    const result = await gql(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "one-class", uploadId: body.uploadId } });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      field: "input.path",
      rule: `dataset upload ${body.uploadId}: needs at least 2 classes with usable images, found 1 (only)`,
    });
    expect(storedUploads()).not.toContain(body.uploadId);
    expect(existsSync(join(teamUploads(team.teamId), body.uploadId))).toBe(false);
  });

  it("names the upload's files relative to it, not where the server keeps them, and removes it", async () => {
    const { body } = await upload(zipArchive(await imageEntries({ only: 3 })), "application/zip");
    const result = await gql(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "stepped-in", uploadId: body.uploadId } });
    expect(result.errors?.[0]?.message).toMatch(/^input\.path: dataset folder only: no files found/);
    expect(JSON.stringify(result.errors)).not.toContain(artifactRoot);
    expect(storedUploads()).not.toContain(body.uploadId);
  });

  it("removes a model upload that does not load", async () => {
    const { status, body } = await upload(Buffer.from("not a model"), "application/octet-stream", { filename: "broken.onnx" });
    expect(status).toBe(201);
    const result = await gql(t.url, team.member.token, IMPORT_ARCHITECTURE, { input: { teamId: team.teamId, name: "broken", uploadId: body.uploadId } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.source" });
    expect(storedUploads()).not.toContain(body.uploadId);
  });

  it("keeps an upload that an earlier import still reads from", async () => {
    const { body } = await upload(zipArchive(await imageEntries({ a: 2, b: 2 })), "application/zip");
    await gqlOk(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "kept", uploadId: body.uploadId } });
    const again = await gql(t.url, team.member.token, IMPORT, { input: { teamId: team.teamId, name: "kept", uploadId: body.uploadId } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ field: "input.name" });
    expect(storedUploads()).toContain(body.uploadId);
  });
});
