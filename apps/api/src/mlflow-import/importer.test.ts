import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";
import { mlflowClient } from "../testing/mlflow.ts";
import { importCli } from "./cli.ts";
import { readFlatYaml, readMlruns } from "./file-store.ts";
import { COMPLETE_TAG, importMlflowStore, SOURCE_RUN_TAG } from "./importer.ts";

let t: TestApi;
let team: SeededTeam;
const root = join(tmpdir(), `runboard-mlruns-${randomUUID()}`);
const T0 = 1_767_225_600_000;

function write(path: string, text: string | Buffer): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

/** An mlruns folder as MLflow's file store writes it: two experiments, three runs, one deleted. */
function writeMlruns(folder: string, experimentName: string): void {
  write(
    join(folder, "0", "meta.yaml"),
    `artifact_location: file:///tmp/mlruns/0\ncreation_time: ${T0}\nexperiment_id: '0'\nlast_update_time: ${T0}\nlifecycle_stage: active\nname: ${experimentName}\n`,
  );
  const run = (experiment: string, id: string, meta: Record<string, string | number>, body: (dir: string) => void) => {
    const dir = join(folder, experiment, id);
    const lines = Object.entries({
      artifact_uri: `file:///tmp/mlruns/${experiment}/${id}/artifacts`,
      experiment_id: `'${experiment}'`,
      run_id: id,
      run_uuid: id,
      source_type: 4,
      tags: "[]",
      ...meta,
    });
    write(join(dir, "meta.yaml"), lines.map(([k, v]) => `${k}: ${v}`).join("\n") + "\n");
    body(dir);
  };
  run(
    "0",
    "a1b2c3d4e5f60000000000000000aaaa",
    { run_name: "bright-owl-1", status: 3, start_time: T0, end_time: T0 + 60_000, user_id: "alice", lifecycle_stage: "active" },
    (dir) => {
      write(join(dir, "params", "lr"), "0.001");
      write(join(dir, "params", "optimizer"), "adam");
      write(join(dir, "params", "data", "split"), "0.2");
      write(join(dir, "metrics", "loss"), [0, 1, 2].map((s) => `${T0 + s * 1000} ${1 / (s + 1)} ${s}`).join("\n") + "\n");
      write(join(dir, "metrics", "val", "acc"), `${T0} 0.5 0\n${T0 + 1000} nan 1\n${T0 + 2000} 0.75 2\n`);
      write(join(dir, "tags", "mlflow.runName"), "bright-owl-1");
      write(join(dir, "tags", "mlflow.source.name"), "train.py");
      write(join(dir, "tags", "stage"), "baseline");
      write(join(dir, "artifacts", "notes.txt"), "hello");
      write(join(dir, "artifacts", "model", "weights.bin"), Buffer.from([0, 1, 2, 3]));
    },
  );
  run(
    "0",
    "ffff0000000000000000000000000bbb",
    { run_name: "'quiet-fox-2'", status: 4, start_time: T0 + 5000, end_time: "null", lifecycle_stage: "active" },
    (dir) => {
      write(join(dir, "metrics", "loss"), `${T0 + 5000} 2.5 0\n`);
    },
  );
  run("0", "dddd0000000000000000000000000ddd", { run_name: "gone", status: 3, start_time: T0, lifecycle_stage: "deleted" }, () => undefined);
  write(join(folder, "7", "meta.yaml"), `experiment_id: '7'\nlifecycle_stage: active\nname: ${experimentName}-second\n`);
  run("7", "cccc0000000000000000000000000ccc", { run_name: "third", status: 3, start_time: T0, lifecycle_stage: "active" }, (dir) => {
    write(join(dir, "params", "bs"), "32");
  });
  // Deleted experiments go to .trash; never imported.
  write(join(folder, ".trash", "9", "meta.yaml"), "experiment_id: '9'\nname: trashed\n");
}

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

describe("reading MLflow's file store", () => {
  it("reads the flat meta.yaml MLflow writes", () => {
    expect(readFlatYaml("name: 'it''s'\nexperiment_id: '0'\nstart_time: 1700000000000\nend_time: null\ntags: []\nartifact_uri: file:///x/y\n")).toEqual({
      name: "it's",
      experiment_id: "0",
      start_time: 1_700_000_000_000,
      end_time: null,
      tags: null,
      artifact_uri: "file:///x/y",
    });
  });

  it("finds experiments, runs, nested keys, metric lines and artifacts", () => {
    const folder = join(root, "read");
    writeMlruns(folder, "pets");
    const experiments = readMlruns(folder);
    expect(experiments.map((e) => [e.experimentId, e.name, e.runs.length])).toEqual([
      ["0", "pets", 3],
      ["7", "pets-second", 1],
    ]);
    const run = experiments[0]!.runs.find((r) => r.runId.startsWith("a1b2"))!;
    expect(run).toMatchObject({
      name: "bright-owl-1",
      status: "FINISHED",
      startTime: T0,
      endTime: T0 + 60_000,
      userId: "alice",
      deleted: false,
      nonFinitePoints: 1,
    });
    expect(run.params).toEqual([
      { key: "data/split", value: "0.2" },
      { key: "lr", value: "0.001" },
      { key: "optimizer", value: "adam" },
    ]);
    expect(run.metrics.filter((m) => m.key === "val/acc")).toEqual([
      { key: "val/acc", value: 0.5, timestamp: T0, step: 0 },
      { key: "val/acc", value: 0.75, timestamp: T0 + 2000, step: 2 },
    ]);
    expect(run.artifacts.map((a) => a.path)).toEqual(["model/weights.bin", "notes.txt"]);
    expect(experiments[0]!.runs.find((r) => r.name === "quiet-fox-2")?.status).toBe("FAILED");
  });
});

describe("importing into a running API", () => {
  it("imports a sample mlruns folder, and a second import adds nothing", async () => {
    const name = `pets-${randomUUID()}`;
    const folder = join(root, "twice");
    writeMlruns(folder, name);
    const options = { apiUrl: t.url, token: team.member.token };
    const first = await importMlflowStore(readMlruns(folder), options);
    expect(first).toEqual({
      experiments: 2,
      projectsCreated: 2,
      runsImported: 3,
      runsAlreadyThere: 0,
      runsRedone: 0,
      deletedRunsSkipped: 1,
      params: 4,
      metricPoints: 6,
      nonFinitePointsSkipped: 1,
      tags: 3,
      artifactFiles: 2,
      artifactBytes: 9,
    });
    const second = await importMlflowStore(readMlruns(folder), options);
    expect(second).toMatchObject({ experiments: 2, projectsCreated: 0, runsImported: 0, runsAlreadyThere: 3, params: 0, metricPoints: 0, artifactFiles: 0 });

    const mlflow = mlflowClient(t.url, team.member.token);
    const experiment = (await mlflow.get("experiments/get-by-name", { experiment_name: name })).body.experiment;
    const runs = (await mlflow.post("runs/search", { experiment_ids: [experiment.experiment_id] })).body.runs as any[];
    expect(runs).toHaveLength(2);
    const owl = runs.find((r) => r.info.run_name === "bright-owl-1");
    expect(owl.info).toMatchObject({ status: "FINISHED", start_time: T0, end_time: T0 + 60_000, user_id: "alice" });
    const tags = Object.fromEntries(owl.data.tags.map((tag: { key: string; value: string }) => [tag.key, tag.value]));
    expect(tags).toMatchObject({
      [SOURCE_RUN_TAG]: "a1b2c3d4e5f60000000000000000aaaa",
      [COMPLETE_TAG]: "true",
      stage: "baseline",
      "mlflow.source.name": "train.py",
    });
    expect(Object.fromEntries(owl.data.params.map((p: { key: string; value: string }) => [p.key, p.value]))).toEqual({
      "data/split": "0.2",
      lr: "0.001",
      optimizer: "adam",
    });
    const history = await mlflow.get("metrics/get-history", { run_id: owl.info.run_id, metric_key: "loss" });
    expect(history.body.metrics.map((m: { step: number; value: number; timestamp: number }) => [m.step, m.value, m.timestamp])).toEqual([
      [0, 1, T0],
      [1, 0.5, T0 + 1000],
      [2, 1 / 3, T0 + 2000],
    ]);
    const listing = await fetch(
      `${t.url.replace(/\/graphql$/, "")}/api/2.0/mlflow-artifacts/artifacts?path=${experiment.experiment_id}/${owl.info.run_id}/artifacts`,
      { headers: { authorization: `Bearer ${team.member.token}` } },
    );
    expect(((await listing.json()) as { files: { path: string }[] }).files.map((f) => f.path).sort()).toEqual(["model", "notes.txt"]);
    // The runs are ordinary runs: the GraphQL API sees them with their metrics.
    const data = await gqlOk<{ run: { name: string; status: string } }>(t.url, team.member.token, `query($id: ID!) { run(id: $id) { name status } }`, {
      id: owl.info.run_id,
    });
    expect(data.run).toEqual({ name: "bright-owl-1", status: "SUCCEEDED" });
  });

  it("redoes a run an interrupted import left incomplete, into one given project, from the command line", async () => {
    const folder = join(root, "cli");
    writeMlruns(folder, `cli-${randomUUID()}`);
    const mlflow = mlflowClient(t.url, team.member.token);
    const project = (await mlflow.post("experiments/create", { name: `target-${randomUUID()}` })).body.experiment_id as string;
    // What an import killed after runs/create leaves: the source tag, no completion mark.
    await mlflow.post("runs/create", { experiment_id: project, run_name: "half", tags: [{ key: SOURCE_RUN_TAG, value: "cccc0000000000000000000000000ccc" }] });
    const out = {
      text: "",
      write(chunk: string) {
        this.text += chunk;
        return true;
      },
    };
    const err = {
      text: "",
      write(chunk: string) {
        this.text += chunk;
        return true;
      },
    };
    const args = ["mlflow", folder, "--api", t.url.replace(/\/graphql$/, ""), "--token", team.member.token, "--project", project];
    expect(await importCli(args, out as never, err as never)).toBe(0);
    expect(err.text).toMatch(/import \[#{30}\] 4\/4 runs/);
    expect(out.text).toContain("runs imported 3 (1 left incomplete by an earlier import, redone), already there 0, deleted in MLflow and skipped 1");
    const runs = (await mlflow.post("runs/search", { experiment_ids: [project] })).body.runs as any[];
    expect(runs.map((r) => r.info.run_name).sort()).toEqual(["bright-owl-1", "quiet-fox-2", "third"]);
    out.text = "";
    expect(await importCli(args, out as never, err as never)).toBe(0);
    expect(out.text).toContain("runs imported 0, already there 3");
    expect(await importCli(["mlflow", folder], out as never, err as never)).toBe(2);
  });
});
