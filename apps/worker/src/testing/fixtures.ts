/**
 * Test fixtures: a generated two-class image folder, a tiny synthetic backbone saved as an
 * ONNX file, both registered through the API, and a launch helper. Nothing is downloaded.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiServer } from "@runboard/api";
import { gqlOk, seedTeam, type SeededTeam, type TestApi } from "@runboard/api/testing/harness";
import { createDb, type Db } from "@runboard/db";
import type {} from "@runboard/db/testing/context";
import { inject } from "vitest";
import { writeImageFolder, writeTinyBackbone } from "./images.ts";

export interface Catalog {
  team: SeededTeam;
  token: string;
  projectId: string;
  datasetId: string;
  architectureId: string;
  folder: string;
}

/** The API on the run's test database, serving artifacts from the workers' artifact root. */
export async function startLaunchApi(artifactRoot: string): Promise<TestApi> {
  const db = createDb(inject("databaseUrl"));
  const api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 }, launch: { artifactRoot } });
  const url = await api.listen(0, "127.0.0.1");
  return {
    url, wsUrl: url.replace(/^http/, "ws"), api, db,
    async close() {
      await api.close();
      await db.close();
    },
  };
}

export async function registerCatalog(url: string, db: Db, perClass = 8): Promise<Catalog> {
  const root = mkdtempSync(join(tmpdir(), "worker-test-"));
  const team = await seedTeam(db);
  const token = team.member.token;
  const folder = await writeImageFolder(root, perClass);
  const { importDataset } = await gqlOk(url, token, `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "shapes", path: folder },
  });
  const { importArchitecture } = await gqlOk(url, token, `mutation($input: ImportArchitectureInput!) { importArchitecture(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "tiny-resnet", source: writeTinyBackbone(root), pretrainedOn: "random" },
  });
  const { createProject } = await gqlOk(url, token, `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "launches" },
  });
  return { team, token, projectId: createProject.id, datasetId: importDataset.id, architectureId: importArchitecture.id, folder };
}

/** Fast settings: fastai's fine_tune pinned (tests count its epochs), tiny batches, no lr_find unless asked, no augmentation work to speak of. */
export const FAST_SETTINGS = { recipe: "FINE_TUNE", epochs: 1, freezeEpochs: 1, batchSize: 4, lrFind: false, augmentation: { enabled: false } };

export async function launch(url: string, catalog: Catalog, settings: Record<string, unknown> = FAST_SETTINGS, extra: Record<string, unknown> = {}): Promise<string> {
  const { launchRun } = await gqlOk(url, catalog.token, `mutation($input: LaunchRunInput!) { launchRun(input: $input) { id status } }`, {
    input: { projectId: catalog.projectId, datasetId: catalog.datasetId, architectureId: catalog.architectureId, settings, ...extra },
  });
  return launchRun.id;
}

export async function runStatus(db: Db, runId: string): Promise<{ status: string; attempt: number; error: string | null; workerId: string | null }> {
  const { rows } = await db.pool.query(`SELECT status, attempt, error, worker_id AS "workerId" FROM run WHERE id = $1`, [runId]);
  return rows[0];
}

export async function waitForStatus(db: Db, runId: string, statuses: string[], timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, error } = await runStatus(db, runId);
    if (statuses.includes(status)) return status;
    if (Date.now() > deadline) throw new Error(`run ${runId} is ${status} (${error ?? "no error"}), expected ${statuses.join(" or ")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
