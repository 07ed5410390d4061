import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiServer, type ApiServer } from "@runboard/api/server/app";
import { gqlOk, seedTeam, type SeededTeam } from "@runboard/api/testing/harness";
import { imageEntries, zipArchive } from "@runboard/api/uploads/testing/archives";
import type { Db } from "@runboard/db";
import { createTestDatabase, type TestDatabase } from "@runboard/db/testing/test-database";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../../lib/session-cookies.ts";
import { POST } from "./route.ts";

const artifactRoot = mkdtempSync(join(tmpdir(), "web-uploads-"));
// A database of its own: the shared one is the dashboard e2e test's, which needs it empty.
let testDb: TestDatabase;
let db: Db;
let api: ApiServer;
let apiUrl: string;
let team: SeededTeam;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 }, launch: { artifactRoot } });
  apiUrl = await api.listen(0, "127.0.0.1");
  process.env.API_URL = apiUrl;
  team = await seedTeam(db);
});
afterAll(async () => {
  await api?.close();
  await testDb?.drop();
  rmSync(artifactRoot, { recursive: true, force: true });
});

/** The archive as a stream of small chunks, as a browser sends a large file. */
function chunked(bytes: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 1024));
      offset += 1024;
    },
  });
}

function uploadRequest(body: Buffer, cookie: string | null): NextRequest {
  const headers: Record<string, string> = { "content-type": "application/zip" };
  if (cookie !== null) headers.cookie = `${SESSION_COOKIE}=${cookie}`;
  return new NextRequest(`http://web.test/api/uploads?teamId=${team.teamId}`, {
    method: "POST",
    headers,
    body: chunked(body),
    duplex: "half",
  } as ConstructorParameters<typeof NextRequest>[1]);
}

describe("POST /api/uploads", () => {
  it("streams the body to the API with the session's token; the upload imports", async () => {
    const zip = zipArchive(await imageEntries({ left: 2, right: 2 }, "pairs/"));
    const response = await POST(uploadRequest(zip, team.member.token));
    expect(response.status).toBe(201);
    const answer = (await response.json()) as { uploadId: string; bytes: number; files: number };
    expect(answer).toMatchObject({ bytes: zip.length, files: 4 });
    expect(readdirSync(join(artifactRoot, "uploads", team.teamId))).toEqual([answer.uploadId]);
    const { importDataset } = await gqlOk(apiUrl, team.member.token, `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { classNames } }`, {
      input: { teamId: team.teamId, name: "streamed", uploadId: answer.uploadId },
    });
    expect(importDataset.classNames).toEqual(["left", "right"]);
  });

  it("answers 401 without a session and passes the API's refusal through", async () => {
    const stored = () => readdirSync(join(artifactRoot, "uploads", team.teamId)).length;
    const before = stored();
    expect((await POST(uploadRequest(Buffer.from("x"), null))).status).toBe(401);
    const refused = await POST(uploadRequest(Buffer.from("not a zip"), team.member.token));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { field: "body", rule: expect.stringMatching(/not a readable zip/) } });
    expect(stored()).toBe(before);
  });
});
