/**
 * The tests' training side: a worker process (`node --import tsx apps/worker/src/main.ts`) on
 * the test database with a temporary artifact root, and a tiny catalog it can train on quickly
 * (a generated two-class image folder and a small synthetic backbone, imported through GraphQL).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { writeImageFolder, writeTinyBackbone } from "@runboard/worker/testing/images";
import { gql, type ApiStack } from "./stack.ts";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  close(): Promise<void>;
}

export async function startWorkerProcess(databaseUrl: string, artifactRoot: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      RUNBOARD_ARTIFACT_ROOT: artifactRoot,
      RUNBOARD_WORKER_THREADS: "1",
      RUNBOARD_WORKER_DECODE_THREADS: "1",
      RUNBOARD_METRIC_FLUSH_MS: "100",
      RUNBOARD_HEARTBEAT_MS: "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const deadline = Date.now() + 120_000;
  while (!output.includes(": ready")) {
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the worker did not get ready within 120 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    output: () => output,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => (clearTimeout(kill), resolve()));
        child.kill("SIGTERM");
      }),
  };
}

/** Imports the tiny "shapes" dataset and "tiny-resnet" architecture from files under root. */
export async function importTinyCatalog(
  stack: Pick<ApiStack, "apiUrl" | "token" | "teamId">,
  root: string,
): Promise<{ datasetId: string; architectureId: string }> {
  const folder = await writeImageFolder(root, 8);
  const { importDataset } = await gql<{ importDataset: { id: string } }>(stack, `mutation($i: ImportDatasetInput!) { importDataset(input: $i) { id } }`, {
    i: { teamId: stack.teamId, name: "shapes", path: folder },
  });
  const { importArchitecture } = await gql<{ importArchitecture: { id: string } }>(
    stack,
    `mutation($i: ImportArchitectureInput!) { importArchitecture(input: $i) { id } }`,
    {
      i: { teamId: stack.teamId, name: "tiny-resnet", source: writeTinyBackbone(root), pretrainedOn: "random" },
    },
  );
  return { datasetId: importDataset.id, architectureId: importArchitecture.id };
}
