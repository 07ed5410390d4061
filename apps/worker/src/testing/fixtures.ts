/**
 * Test fixtures: a generated two-class image folder, a tiny synthetic backbone saved as an
 * ONNX file, both registered through the API (path imports: the team owner, from the API's
 * source folder), and a launch helper. Nothing is downloaded.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

/** The folder path imports of these tests read from (the API's source root). */
export const SOURCE_ROOT = mkdtempSync(join(tmpdir(), "worker-sources-"));

/** The API on the run's test database, serving artifacts from the workers' artifact root. */
export async function startLaunchApi(artifactRoot: string, sourceRoots: string[] = [SOURCE_ROOT]): Promise<TestApi> {
  const db = createDb(inject("databaseUrl"));
  const api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 }, launch: { artifactRoot, sourceRoots } });
  const url = await api.listen(0, "127.0.0.1");
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    api,
    db,
    async close() {
      await api.close();
      await db.close();
    },
  };
}

export async function registerCatalog(url: string, db: Db, perClass = 8): Promise<Catalog> {
  const root = mkdtempSync(join(SOURCE_ROOT, "catalog-"));
  const team = await seedTeam(db);
  const token = team.member.token;
  const folder = await writeImageFolder(root, perClass);
  const { importDataset } = await gqlOk(url, team.owner.token, `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "shapes", path: folder },
  });
  const { importArchitecture } = await gqlOk(url, team.owner.token, `mutation($input: ImportArchitectureInput!) { importArchitecture(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "tiny-resnet", source: writeTinyBackbone(root), pretrainedOn: "random" },
  });
  const { createProject } = await gqlOk(url, token, `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, {
    input: { teamId: team.teamId, name: "launches" },
  });
  return { team, token, projectId: createProject.id, datasetId: importDataset.id, architectureId: importArchitecture.id, folder };
}

/** Fast settings: fastai's fine_tune pinned (tests count its epochs), tiny batches, no lr_find unless asked, no augmentation work to speak of. */
export const FAST_SETTINGS = { recipe: "FINE_TUNE", epochs: 1, freezeEpochs: 1, batchSize: 4, lrFind: false, augmentation: { enabled: false } };

export async function launch(
  url: string,
  catalog: Catalog,
  settings: Record<string, unknown> = FAST_SETTINGS,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { launchRun } = await gqlOk(url, catalog.token, `mutation($input: LaunchRunInput!) { launchRun(input: $input) { id status } }`, {
    input: { projectId: catalog.projectId, datasetId: catalog.datasetId, architectureId: catalog.architectureId, settings, ...extra },
  });
  return launchRun.id;
}

export async function runStatus(db: Db, runId: string): Promise<{ status: string; attempt: number; error: string | null; workerId: string | null }> {
  const { rows } = await db.pool.query(`SELECT status, attempt, error, worker_id AS "workerId" FROM run WHERE id = $1`, [runId]);
  return rows[0];
}

export interface AttemptRow {
  number: number;
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  error: string | null;
  resumedFromStep: number | null;
  resumedFromEpoch: number | null;
  workerId: string;
}

/** The run's attempts as the API shows them (Run.attempts, with the catalog team's token). */
export async function runAttempts(url: string, catalog: Catalog, runId: string): Promise<AttemptRow[]> {
  const { run } = await gqlOk(
    url,
    catalog.token,
    `query($id: ID!) { run(id: $id) { attempts { number startedAt endedAt outcome error resumedFromStep resumedFromEpoch workerId } } }`,
    { id: runId },
  );
  return run.attempts;
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

export async function runLogs(db: Db, runId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ message: string }>(`SELECT message FROM run_log WHERE run_id = $1 ORDER BY seq`, [runId]);
  return rows.map((row) => row.message);
}

export async function pointCount(db: Db, runId: string, key: string, distinctSteps = false): Promise<number> {
  const { rows } = await db.pool.query(
    `SELECT count(${distinctSteps ? "DISTINCT step" : "*"})::int AS count FROM metric_point WHERE run_id = $1 AND key = $2`,
    [runId, key],
  );
  return rows[0].count;
}

export async function waitForEpochs(db: Db, runId: string, epochs: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await pointCount(db, runId, "valid_loss")) < epochs) {
    if (Date.now() > deadline) throw new Error(`run ${runId} did not reach ${epochs} epochs`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The process id of the run's current training process, from its log ("training in process 1234"). */
export async function trainingProcessId(db: Db, runId: string): Promise<number> {
  const line = (await runLogs(db, runId)).findLast((message) => message.startsWith("training in process "));
  const pid = Number(line?.slice("training in process ".length));
  if (!Number.isInteger(pid)) throw new Error(`run ${runId} names no training process`);
  return pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A worker process (`npm run worker`) on the test database, its output piped to the test; `detached`: in a process group of its own. */
export function spawnWorkerProcess(
  databaseUrl: string,
  artifactRoot: string,
  timing: { heartbeatMs: number; staleAfterMs: number },
  detached = false,
): ChildProcess {
  const main = fileURLToPath(new URL("../main.ts", import.meta.url));
  return spawn(process.execPath, ["--import", "tsx", main], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      RUNBOARD_ARTIFACT_ROOT: artifactRoot,
      RUNBOARD_WORKER_THREADS: "1",
      RUNBOARD_HEARTBEAT_MS: String(timing.heartbeatMs),
      RUNBOARD_STALE_AFTER_MS: String(timing.staleAfterMs),
      RUNBOARD_METRIC_FLUSH_MS: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached,
  });
}
