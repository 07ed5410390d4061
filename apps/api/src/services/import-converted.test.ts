import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@runboard/db";
import type {} from "@runboard/db/testing/context";
import { defaultPdfRenderOptions, defaultSeriesImageOptions, defaultSpectrogramOptions } from "@runboard/trainer/convert";
import { squareWave, tone } from "@runboard/trainer/convert/testing/signals";
import { writePdf } from "@runboard/trainer/convert/testing/pdf-writer";
import { encodeWav } from "@runboard/trainer/convert/testing/wav-writer";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiServer } from "../server/app.ts";
import { gql, gqlOk, seedTeam, type SeededTeam, type TestApi } from "../testing/harness.ts";

const root = mkdtempSync(join(tmpdir(), "import-converted-"));
const artifactRoot = join(root, "artifacts");
const datasetsDir = join(artifactRoot, "datasets");
let t: TestApi;
let team: SeededTeam;

const IMPORT = `mutation($input: ImportDatasetInput!) { importDataset(input: $input) {
  id kind sourceUri classNames splitCounts contentHash conversion
  conversionSummary { sourcePath labels inputs converted failed images failures { file reason } seconds imageShape suggestedImageSize } } }`;

beforeAll(async () => {
  const db = createDb(inject("databaseUrl"));
  const api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 50_000 }, launch: { artifactRoot, sourceRoots: [root] } });
  const url = await api.listen(0, "127.0.0.1");
  t = { url, wsUrl: url.replace(/^http/, "ws"), api, db, close: async () => (await api.close(), await db.close()) };
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Tones vs square waves, 8 kHz, a quarter second each, plus one truncated file. */
function writeClips(): string {
  const folder = join(root, "clips");
  for (const [label, make] of [
    ["sine", tone],
    ["square", squareWave],
  ] as const) {
    mkdirSync(join(folder, label), { recursive: true });
    for (let i = 0; i < 4; i++)
      writeFileSync(join(folder, label, `${label}${i}.wav`), encodeWav([make(300 + 80 * i, 8000, 2000)], { sampleRate: 8000, format: "pcm16" }));
  }
  writeFileSync(join(folder, "sine", "truncated.wav"), encodeWav([tone(300, 8000, 2000)], { sampleRate: 8000, format: "pcm16" }).subarray(0, 600));
  return folder;
}

/** A UCR file: 5 sines (class 1) and 5 ramps (class 2) of 40 points, and one ragged line. */
function writeUcr(): string {
  const lines: string[] = [];
  for (let i = 0; i < 5; i++) lines.push(["1", ...Array.from({ length: 40 }, (_, k) => Math.sin((k + i) / 4).toFixed(4))].join("\t"));
  for (let i = 0; i < 5; i++) lines.push(["2", ...Array.from({ length: 40 }, (_, k) => ((k * (i + 1)) / 40).toFixed(4))].join("\t"));
  lines.push("1\t0.5\tnot-a-number");
  const path = join(root, "Shapes_TRAIN.tsv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const datasetCount = async () => Number((await t.db.pool.query(`SELECT count(*) FROM dataset WHERE team_id = $1`, [team.teamId])).rows[0].count);
const datasetFolders = () => (existsSync(datasetsDir) ? readdirSync(datasetsDir).sort() : []);
const total = (counts: Record<string, Record<string, number>>) =>
  Object.values(counts)
    .flatMap((split) => Object.values(split))
    .reduce((a, b) => a + b, 0);

describe("importDataset of raw audio, time series and documents", () => {
  it("converts a WAV folder into a dataset folder under the artifact root, storing kind, conversion, counts and failures", async () => {
    const source = writeClips();
    const { importDataset } = await gqlOk(t.url, team.owner.token, IMPORT, {
      input: { teamId: team.teamId, name: "tones", path: source, kind: "AUDIO", audio: { nFft: 256, hopLength: 64, nMels: 32 } },
    });
    expect(importDataset).toMatchObject({ kind: "AUDIO", sourceUri: join(artifactRoot, "datasets", importDataset.id), classNames: ["sine", "square"] });
    expect(importDataset.contentHash).toMatch(/^[0-9a-f]{16,}$/);
    expect(total(importDataset.splitCounts)).toBe(8);
    // The record the worker and exported models replay: every option resolved (rate and length from the clips).
    expect(importDataset.conversion).toEqual({
      kind: "audio",
      options: { ...defaultSpectrogramOptions, nFft: 256, hopLength: 64, nMels: 32, sampleRate: 8000, durationSeconds: 0.25 },
    });
    const summary = importDataset.conversionSummary;
    expect(summary).toMatchObject({
      sourcePath: source,
      labels: "FOLDERS",
      inputs: 9,
      converted: 8,
      failed: 1,
      images: 8,
      imageShape: [1, 32, 32],
      suggestedImageSize: 32,
    });
    expect(summary.failures).toEqual([{ file: join("sine", "truncated.wav"), reason: expect.stringContaining("truncated.wav") }]);
    // 2000 samples, hop 64, centered frames: 1 + 2000/64 = 32 columns; 32 mel rows.
    const folder = importDataset.sourceUri as string;
    expect(readdirSync(join(folder, "sine")).sort()).toEqual(["sine0.png", "sine1.png", "sine2.png", "sine3.png"]);
    expect(JSON.parse(readFileSync(join(folder, "conversion.json"), "utf8")).conversion).toEqual(importDataset.conversion);
    const { rows } = await t.db.pool.query(`SELECT kind, conversion FROM dataset WHERE id = $1`, [importDataset.id]);
    expect(rows[0]).toMatchObject({ kind: "AUDIO", conversion: { kind: "audio", summary: { failed: 1, images: 8 } } });
  });

  it("converts a UCR file into one image per series, with the format detected and the ragged line reported", async () => {
    const source = writeUcr();
    const { importDataset } = await gqlOk(t.url, team.owner.token, IMPORT, {
      input: { teamId: team.teamId, name: "shapes", path: source, kind: "TIME_SERIES", timeSeries: { imageSize: 16, encodings: ["GASF", "MTF"] } },
    });
    expect(importDataset).toMatchObject({ kind: "TIME_SERIES", classNames: ["1", "2"] });
    expect(importDataset.conversion).toEqual({
      kind: "timeseries",
      format: "ucr",
      options: { ...defaultSeriesImageOptions, imageSize: 16, encodings: ["gasf", "mtf"] },
    });
    // Two encodings are two image channels, written as an RGB PNG with a zero third channel.
    expect(importDataset.conversionSummary).toMatchObject({
      labels: "SERIES",
      inputs: 11,
      converted: 10,
      failed: 1,
      images: 10,
      imageShape: [3, 16, 16],
      suggestedImageSize: 32,
    });
    expect(importDataset.conversionSummary.failures[0].file).toBe("Shapes_TRAIN.tsv:11");
    expect(total(importDataset.splitCounts)).toBe(10);
  });

  it("renders a PDF folder's first pages, reporting the encrypted file", async () => {
    const folder = join(root, "forms");
    const page = (content: string) => writePdf([{ width: 200, height: 100, content }]);
    for (const [label, content] of [
      ["invoice", "0 0 0 rg 10 10 80 30 re f"],
      ["letter", "0 0 0 rg 100 60 90 30 re f"],
    ] as const) {
      mkdirSync(join(folder, label), { recursive: true });
      for (let i = 0; i < 3; i++) writeFileSync(join(folder, label, `${label}${i}.pdf`), page(content));
    }
    writeFileSync(join(folder, "letter", "locked.pdf"), writePdf([{ width: 200, height: 100, content: "" }], { userPassword: "secret" }));
    const { importDataset } = await gqlOk(t.url, team.owner.token, IMPORT, {
      input: { teamId: team.teamId, name: "forms", path: folder, kind: "DOCUMENT", document: { width: 64 } },
    });
    expect(importDataset).toMatchObject({
      kind: "DOCUMENT",
      classNames: ["invoice", "letter"],
      conversion: { kind: "document", options: { pages: "first", width: 64, color: "gray" } },
    });
    // 200 × 100 pt pages at 64 px wide: 32 px high.
    expect(importDataset.conversionSummary).toMatchObject({ inputs: 7, converted: 6, failed: 1, images: 6, imageShape: [1, 32, 64], suggestedImageSize: 64 });
    expect(importDataset.conversionSummary.failures[0].file).toBe(join("letter", "locked.pdf"));
  });

  it("is launched like an image folder: a run at the suggested size, a sweep and a k-fold", async () => {
    const { datasets } = await gqlOk(
      t.url,
      team.member.token,
      `query($teamId: ID) { datasets(teamId: $teamId) { id name conversionSummary { suggestedImageSize } } }`,
      { teamId: team.teamId },
    );
    const tones = datasets.find((d: { name: string }) => d.name === "tones");
    const { registerArchitecture } = await gqlOk(
      t.url,
      team.member.token,
      `mutation($input: RegisterArchitectureInput!) { registerArchitecture(input: $input) { id } }`,
      {
        input: { teamId: team.teamId, name: "resnet", family: "resnet", sourceFormat: "ONNX", inputSize: [3, 224, 224] },
      },
    );
    const { createProject } = await gqlOk(t.url, team.member.token, `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, {
      input: { teamId: team.teamId, name: "sounds" },
    });
    const base = {
      projectId: createProject.id,
      datasetId: tones.id,
      architectureId: registerArchitecture.id,
      settings: { imageSize: tones.conversionSummary.suggestedImageSize },
    };
    const { launchRun } = await gqlOk(
      t.url,
      team.member.token,
      `mutation($input: LaunchRunInput!) { launchRun(input: $input) { name status hyperparameters } }`,
      { input: base },
    );
    expect(launchRun).toMatchObject({ name: "resnet on tones", status: "QUEUED", hyperparameters: { imageSize: 32 } });
    const sweep = await gqlOk(t.url, team.member.token, `mutation($input: LaunchSweepInput!) { launchSweep(input: $input) { runs { id } } }`, {
      input: { base, parameters: [{ key: "learningRate", values: [0.001, 0.01] }] },
    });
    const folds = await gqlOk(t.url, team.member.token, `mutation($input: LaunchKFoldInput!) { launchKFold(input: $input) { runs { fold } } }`, {
      input: { base, folds: 2 },
    });
    expect([sweep.launchSweep.runs.length, folds.launchKFold.runs.map((r: { fold: number }) => r.fold)]).toEqual([2, [0, 1]]);
  });

  it("names the option or path of a bad request and writes nothing", async () => {
    const clips = join(root, "clips");
    const series = join(root, "Shapes_TRAIN.tsv");
    const rowsBefore = await datasetCount();
    const foldersBefore = datasetFolders();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ path: clips, kind: "AUDIO", audio: { nFft: 1000 } }, "input.audio.nFft"],
      [{ path: clips, kind: "AUDIO", audio: { hopLength: 0 } }, "input.audio.hopLength"],
      [{ path: clips, kind: "AUDIO", audio: { nMels: 4096 } }, "input.audio.nMels"],
      [{ path: clips, kind: "AUDIO", audio: { fmin: 500, fmax: 400 } }, "input.audio.fmax"],
      [{ path: clips, kind: "AUDIO", audio: { channels: "WINDOWS", windowSizes: [512, 1000, 2048] } }, "input.audio.windowSizes"],
      [{ path: clips, kind: "AUDIO", timeSeries: { imageSize: 8 } }, "input.timeSeries"],
      [{ path: series, kind: "TIME_SERIES", timeSeries: { imageSize: 1 } }, "input.timeSeries.imageSize"],
      [{ path: series, kind: "TIME_SERIES", timeSeries: { encodings: [] } }, "input.timeSeries.encodings"],
      [{ path: series, kind: "TIME_SERIES", timeSeries: { recurrenceThreshold: { distance: 1, fractionOfMax: 0.5 } } }, "input.timeSeries.recurrenceThreshold"],
      [{ path: series, kind: "TIME_SERIES", labels: "FOLDERS" }, "input.labels"],
      [{ path: clips, kind: "DOCUMENT", document: { width: 4 } }, "input.document.width"],
      [{ path: series, kind: "AUDIO" }, "input.path"],
      [{ path: clips, kind: "TIME_SERIES" }, "input.path"],
      [{ path: clips, kind: "DOCUMENT" }, "input.path"],
      [{ path: clips, kind: "AUDIO", name: "tones" }, "input.name"],
    ];
    for (const [change, field] of cases) {
      const result = await gql(t.url, team.owner.token, IMPORT, { input: { teamId: team.teamId, name: "bad", ...change } });
      expect([field, result.errors?.[0]?.extensions]).toEqual([field, expect.objectContaining({ code: "BAD_USER_INPUT", field })]);
    }
    expect(await datasetCount()).toBe(rowsBefore);
    expect(datasetFolders()).toEqual(foldersBefore);
  });

  it("has the SDL defaults of the trainer's conversions", async () => {
    const query = `query($name: String!) { __type(name: $name) { inputFields { name defaultValue } } }`;
    const fromEnum = (value: string) => value.toLowerCase().replace(/_/g, "-");
    const sdlValue = (text: string): unknown => {
      if (text.startsWith("["))
        return text
          .slice(1, -1)
          .split(",")
          .map((part) => sdlValue(part.trim()));
      return /^[A-Z_]+$/.test(text) ? fromEnum(text) : JSON.parse(text);
    };
    const expected: Array<[string, Record<string, unknown>, string[]]> = [
      ["AudioConversionInput", defaultSpectrogramOptions as unknown as Record<string, unknown>, []],
      ["TimeSeriesConversionInput", defaultSeriesImageOptions as unknown as Record<string, unknown>, ["format"]],
      ["DocumentConversionInput", defaultPdfRenderOptions as unknown as Record<string, unknown>, []],
    ];
    for (const [type, defaults, apiOnly] of expected) {
      const { __type } = await gqlOk(t.url, team.member.token, query, { name: type });
      const fields = (__type.inputFields as Array<{ name: string; defaultValue: string }>).filter((f) => !apiOnly.includes(f.name));
      expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(defaults).sort());
      for (const field of fields) expect([type, field.name, sdlValue(field.defaultValue)]).toEqual([type, field.name, defaults[field.name]]);
    }
  });
});
