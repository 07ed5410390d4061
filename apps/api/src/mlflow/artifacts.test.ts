import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { mlflowClient } from "../testing/mlflow.ts";

let t: TestApi;
let team: SeededTeam;
let otherTeam: SeededTeam;
let root: string;

const MAX_BYTES = 4096;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mlflow-artifacts-"));
  t = await startTestApi({ artifactRoot: root, uploadLimits: { maxUploadBytes: MAX_BYTES } });
  team = await seedTeam(t.db);
  otherTeam = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
  await rm(root, { recursive: true, force: true });
});

/** A run created the MLflow way, and the proxy path of its artifact_uri (`mlflow-artifacts:/…`). */
async function mlflowRun() {
  const client = mlflowClient(t.url, team.member.token);
  const experimentId = (await client.post("experiments/create", { name: `artifacts-${randomUUID()}` })).body.experiment_id;
  const run = (await client.post("runs/create", { experiment_id: experimentId })).body.run.info;
  const base = run.artifact_uri.replace(/^mlflow-artifacts:\//, "");
  return { runId: run.run_id as string, experimentId: experimentId as string, base: base as string };
}

function artifactsUrl(path: string): string {
  return t.url.replace(/\/graphql$/, `/api/2.0/mlflow-artifacts/artifacts${path}`);
}

async function call(method: string, path: string, token: string | null, body?: string | Buffer) {
  const response = await fetch(artifactsUrl(path), {
    method,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
  const type = response.headers.get("content-type") ?? "";
  // Downloads come back as text, everything else as MLflow's JSON.
  return { status: response.status, body: (type.includes("json") ? await response.json() : await response.text()) as any };
}

async function list(path: string, token = team.member.token) {
  return call("GET", `?path=${encodeURIComponent(path)}`, token);
}

describe("the mlflow-artifacts proxy", () => {
  it("stores log_artifact's PUTs in the run's artifacts, lists folders, serves and deletes files", async () => {
    const { runId, base } = await mlflowRun();
    const token = team.member.token;
    expect(await call("PUT", `/${base}/notes.txt`, token, "hello")).toEqual({ status: 200, body: {} });
    expect(await call("PUT", `/${base}/model/weights.bin`, token, Buffer.from([0, 1, 2, 3]))).toEqual({ status: 200, body: {} });
    expect(await call("PUT", `/${base}/empty.log`, token, "")).toEqual({ status: 200, body: {} });

    expect(await list(base)).toEqual({
      status: 200,
      body: {
        files: [
          { path: "empty.log", is_dir: false, file_size: 0 },
          { path: "model", is_dir: true },
          { path: "notes.txt", is_dir: false, file_size: 5 },
        ],
      },
    });
    expect((await list(`${base}/model`)).body).toEqual({ files: [{ path: "weights.bin", is_dir: false, file_size: 4 }] });
    expect(await call("GET", `/${base}/notes.txt`, token)).toEqual({ status: 200, body: "hello" });

    // The dashboard sees them as the run's artifacts and serves them through its own route.
    const { run } = await gqlOk(t.url, team.viewer.token, `query($id: ID!) { run(id: $id) { artifacts { kind name bytes downloadPath } } }`, { id: runId });
    const notes = run.artifacts.find((artifact: { name: string }) => artifact.name === "notes.txt");
    expect(notes).toMatchObject({ kind: "mlflow", bytes: 5 });
    const served = await fetch(t.url.replace(/\/graphql$/, notes.downloadPath), { headers: { authorization: `Bearer ${team.viewer.token}` } });
    expect(await served.text()).toBe("hello");

    expect((await call("PUT", `/${base}/notes.txt`, token, "bye")).status).toBe(200);
    expect((await call("GET", `/${base}/notes.txt`, token)).body).toBe("bye");
    expect(await call("DELETE", `/${base}/notes.txt`, token)).toEqual({ status: 200, body: {} });
    expect(await call("GET", `/${base}/notes.txt`, token)).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect((await list(base)).body.files.map((file: { path: string }) => file.path)).toEqual(["empty.log", "model"]);
  });

  it("keeps other teams out (RESOURCE_DOES_NOT_EXIST) and viewers from writing (PERMISSION_DENIED)", async () => {
    const { base } = await mlflowRun();
    await call("PUT", `/${base}/secret.txt`, team.member.token, "ours");
    const notFound = { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } };
    expect(await call("GET", `/${base}/secret.txt`, otherTeam.owner.token)).toMatchObject(notFound);
    expect(await call("PUT", `/${base}/theirs.txt`, otherTeam.owner.token, "x")).toMatchObject(notFound);
    expect(await call("DELETE", `/${base}/secret.txt`, otherTeam.owner.token)).toMatchObject(notFound);
    expect(await list(base, otherTeam.owner.token)).toMatchObject(notFound);
    expect(await call("PUT", `/${base}/viewer.txt`, team.viewer.token, "x")).toMatchObject({ status: 403, body: { error_code: "PERMISSION_DENIED" } });
    expect(await call("GET", `/${base}/secret.txt`, null)).toMatchObject({ status: 401, body: { error_code: "UNAUTHENTICATED" } });
    expect((await list(base)).body.files).toEqual([{ path: "secret.txt", is_dir: false, file_size: 4 }]);
  });

  it("refuses bad paths and oversized files, leaving nothing behind", async () => {
    const { runId, experimentId, base } = await mlflowRun();
    const token = team.member.token;
    const invalid = { status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } };
    expect(await call("PUT", `/${base}/a%2F..%2F..%2Fescape.txt`, token, "x")).toMatchObject(invalid);
    expect(await call("PUT", `/${experimentId}/${runId}/elsewhere/x.txt`, token, "x")).toMatchObject(invalid);
    expect(await call("PUT", `/${base}`, token, "x")).toMatchObject(invalid);
    expect(await call("PUT", `/${randomUUID()}/${runId}/artifacts/x.txt`, token, "x")).toMatchObject({ status: 404 });
    const tooBig = await call("PUT", `/${base}/big.bin`, token, Buffer.alloc(MAX_BYTES * 256));
    expect(tooBig).toMatchObject(invalid);
    expect((await list(base)).body).toEqual({ files: [] });
    expect(await readdir(join(root, "runs", runId, "mlflow")).catch(() => [])).toEqual([]);
  });
});
