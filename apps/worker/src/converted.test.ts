import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, sep } from "node:path";
import { gqlOk, seedTeam, type TestApi } from "@runboard/api/testing/harness";
import { squareWave, tone } from "@runboard/trainer/convert/testing/signals";
import { encodeWav } from "@runboard/trainer/convert/testing/wav-writer";
import { type FilePrediction, predictFiles, readExportMetadata } from "@runboard/trainer/export";
import { loadModel } from "@runboard/trainer/onnx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyBackbone } from "./testing/images.ts";
import { runStatus, startLaunchApi, waitForStatus } from "./testing/fixtures.ts";
import { type RunningWorker, startWorker } from "./worker.ts";

const root = mkdtempSync(join(tmpdir(), "worker-converted-"));
const artifactRoot = join(root, "artifacts");
let t: TestApi;
let worker: RunningWorker;

beforeAll(async () => {
  t = await startLaunchApi(artifactRoot, [join(root, "sources")]);
  worker = await startWorker({
    databaseUrl: t.db.pool.options.connectionString!,
    artifactRoot,
    heartbeatMs: 300,
    flushMs: 100,
    pollIntervalMs: 200,
    device: { device: "cpu", threads: 1 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Tones vs square waves, 8 kHz, a quarter second each. */
function writeClips(folder: string): void {
  for (const [label, make] of [
    ["sine", tone],
    ["square", squareWave],
  ] as const) {
    mkdirSync(join(folder, label), { recursive: true });
    for (let i = 0; i < 6; i++)
      writeFileSync(join(folder, label, `${label}${i}.wav`), encodeWav([make(300 + 60 * i, 8000, 2000)], { sampleRate: 8000, format: "pcm16" }));
  }
}

const RUN = `query($id: ID!) { run(id: $id) { status params { key value } artifacts { kind name } } }`;

describe("a run on an imported audio dataset", () => {
  it("trains on the converted folder and exports a model that carries the conversion and predicts raw .wav files", async () => {
    const clips = join(root, "sources", "clips");
    writeClips(clips);
    const team = await seedTeam(t.db);
    const token = team.member.token;
    const { importDataset } = await gqlOk(t.url, team.owner.token, `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id conversion } }`, {
      input: { teamId: team.teamId, name: "tones", path: clips, kind: "AUDIO", audio: { nFft: 256, hopLength: 64, nMels: 32 } },
    });
    const { importArchitecture } = await gqlOk(
      t.url,
      team.owner.token,
      `mutation($input: ImportArchitectureInput!) { importArchitecture(input: $input) { id } }`,
      {
        input: { teamId: team.teamId, name: "tiny-resnet", source: writeTinyBackbone(join(root, "sources")), pretrainedOn: "random" },
      },
    );
    const { createProject } = await gqlOk(t.url, token, `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, {
      input: { teamId: team.teamId, name: "sounds" },
    });
    const settings = { recipe: "FROZEN_HEAD", epochs: 1, batchSize: 4, lrFind: false, imageSize: 32, augmentation: { enabled: false } };
    const { launchRun } = await gqlOk(t.url, token, `mutation($input: LaunchRunInput!) { launchRun(input: $input) { id } }`, {
      input: { projectId: createProject.id, datasetId: importDataset.id, architectureId: importArchitecture.id, settings },
    });

    await waitForStatus(t.db, launchRun.id, ["SUCCEEDED", "FAILED"], 120_000);
    expect(await runStatus(t.db, launchRun.id)).toMatchObject({ status: "SUCCEEDED", error: null });
    const { run } = await gqlOk(t.url, token, RUN, { id: launchRun.id });
    expect(run.params).toContainEqual({ key: "data.conversion", value: "audio" });
    expect(run.params).toContainEqual({ key: "data.conversion.nMels", value: 32 });
    expect(run.params).toContainEqual({ key: "data.conversion.sampleRate", value: 8000 });
    expect(run.params).toContainEqual({ key: "data.conversion.windowSizes", value: "512,1024,2048" });
    expect(run.params).toContainEqual({ key: "data.input_size", value: "32x32" });
    expect(run.artifacts).toContainEqual({ kind: "model", name: "model.onnx" });

    const modelPath = join(artifactRoot, "runs", launchRun.id, "model.onnx");
    const metadata = readExportMetadata(loadModel(modelPath).metadata, modelPath);
    expect(metadata.conversion).toEqual(importDataset.conversion);
    expect(metadata.classes).toEqual(["sine", "square"]);
    // The model converts raw clips itself, exactly as the training images were made.
    const raw = await predictFiles(modelPath, clips, { topK: 2, session: { intraOpNumThreads: 1 } });
    expect(raw.failures).toEqual([]);
    expect(raw.predictions).toHaveLength(12);
    const images = await predictFiles(modelPath, join(artifactRoot, "datasets", importDataset.id, "sine"), { topK: 2, session: { intraOpNumThreads: 1 } });
    const sineProbability = (p: FilePrediction) => p.top.find((entry) => entry.className === "sine")!.probability;
    const fromImage = new Map(images.predictions.map((p) => [basename(p.path, ".png"), sineProbability(p)]));
    const sineClips = raw.predictions.filter((p) => p.path.includes(`${sep}sine${sep}`));
    expect(sineClips).toHaveLength(6);
    for (const prediction of sineClips)
      expect([prediction.item, sineProbability(prediction)]).toEqual([prediction.item, expect.closeTo(fromImage.get(prediction.item!)!, 6)]);
  }, 180_000);
});
