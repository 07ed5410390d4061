import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readImageFolder, splitTrainValid } from "../data/index.ts";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { Predictor } from "../export/index.ts";
import type { InterpretationSummary } from "../interpret/index.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { decodeModel, saveModel } from "../onnx/serialize.ts";
import { FEATURE_KEY } from "./export-model.ts";
import { main } from "./main.ts";

const folder = temporaryFolder("runboard-interpret-");
const data = join(folder.path, "shapes");
const arch = join(folder.path, "tiny.onnx");
const run = join(folder.path, "run");
let trainOutput = { status: -1, stdout: "", stderr: "" };

/** Runs the CLI in this process, capturing stdout and stderr. */
async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const captured = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string) => ((captured.stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((captured.stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { status: await main(args), ...captured };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

function summaryOf(dir: string): InterpretationSummary {
  return JSON.parse(readFileSync(join(dir, "interpretation.json"), "utf8")) as InterpretationSummary;
}

async function pngSize(path: string): Promise<[string | undefined, number | undefined, number | undefined]> {
  const meta = await sharp(path).metadata();
  return [meta.format, meta.width, meta.height];
}

beforeAll(async () => {
  await writeClassFolders(data, { circle: 12, square: 12, stripe: 12 });
  saveModel(resnet18({ resolution: 16, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 1 }).model, arch);
  trainOutput = await cli(
    "train",
    data,
    "--arch",
    arch,
    "--epochs",
    "1",
    "--bs",
    "8",
    "--lr",
    "1e-2",
    "--workers",
    "0",
    "--threads",
    "1",
    "--quiet",
    "--out",
    run,
    "--interpret",
  );
}, 120_000);
afterAll(() => folder.remove());

describe("train --out --interpret", () => {
  it("records the run and writes an interpretation consistent with the learner's own validation", async () => {
    expect(trainOutput.stderr).not.toMatch(/error/);
    expect(trainOutput.status).toBe(0);
    const record = JSON.parse(readFileSync(join(run, "run.json"), "utf8"));
    expect(record).toMatchObject({
      format: "runboard.run/1",
      arch,
      classes: ["circle", "square", "stripe"],
      inputSize: [16, 16],
      data: { path: data, validPct: 0.2, seed: 42 },
    });
    expect(typeof record.head.feature).toBe("string");
    const dir = join(run, "interpretation");
    const summary = summaryOf(dir);
    const dataset = await readImageFolder(data);
    const valid = splitTrainValid(dataset.items, { validPct: 0.2, seed: 42 }).valid;
    expect(summary.count).toBe(valid.length);
    expect(record.data.validCount).toBe(valid.length);
    // The exported model on the recomputed split scores what the learner reported at the end of training.
    const learnerAccuracy = Number(/accuracy (\S+)/.exec(trainOutput.stdout)![1]);
    expect(summary.accuracy).toBeCloseTo(learnerAccuracy, 4);
    expect(await pngSize(join(dir, "confusion.png"))).toEqual(["png", expect.any(Number), expect.any(Number)]);
    expect((await pngSize(join(dir, "top-losses.png")))[0]).toBe("png");
    expect(summary.gradCam).toHaveLength(4);
    for (const entry of summary.gradCam) expect(await pngSize(join(dir, entry.file))).toEqual(["png", 16, 16]);
  });
});

describe("interpret", () => {
  it("reuses the recorded split, prints the matrix, and its JSON agrees with the matrix", async () => {
    const out = join(folder.path, "interp");
    const result = await cli("interpret", run, "--out", out, "--top", "4", "--gradcam", "2", "--threads", "1");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const summary = summaryOf(out);
    expect(summary.confusion).toEqual(summaryOf(join(run, "interpretation")).confusion);
    const k = summary.classes.length;
    const total = summary.confusion.flat().reduce((a, b) => a + b, 0);
    const diagonal = summary.confusion.reduce((sum, row, c) => sum + row[c]!, 0);
    expect(total).toBe(summary.count);
    expect(summary.accuracy).toBeCloseTo(diagonal / total, 12);
    const offDiagonal = summary.confusion.flatMap((row, a) =>
      row.flatMap((count, p) => (a !== p && count > 0 ? [{ actual: summary.classes[a], predicted: summary.classes[p], count }] : [])),
    );
    expect([...summary.mostConfused].sort((x, y) => `${x.actual}${x.predicted}`.localeCompare(`${y.actual}${y.predicted}`))).toEqual(offDiagonal);
    summary.perClass.forEach((metrics, c) => expect(metrics.support).toBe(summary.confusion[c]!.reduce((a, b) => a + b, 0)));
    expect(summary.topLosses).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(summary.topLosses[i]!.loss).toBeLessThanOrEqual(summary.topLosses[i - 1]!.loss);
    expect(summary.topLosses[0]!.loss).toBeCloseTo(-Math.log(summary.topLosses[0]!.actualProbability), 5);
    expect(summary.gradCam.map((g) => g.path)).toEqual(summary.topLosses.slice(0, 2).map((t) => t.path));
    // Printed rows are the JSON counts.
    summary.classes.forEach((name, r) => {
      const line = result.stdout.split("\n").find((l) => l.startsWith(`${r + 1} ${name} `))!;
      expect(line.trim().split(/\s+/).slice(2).map(Number)).toEqual(summary.confusion[r]);
    });
    expect(result.stdout).toMatch(/most confused/);
    expect(k).toBe(3);
  });

  it("takes a model file, a data set and other split settings", async () => {
    const out = join(folder.path, "interp-half");
    const result = await cli("interpret", join(run, "model.onnx"), data, "--valid-pct", "0.5", "--seed", "7", "--gradcam", "0", "--out", out, "--threads", "1");
    expect(result.status).toBe(0);
    const summary = summaryOf(out);
    expect(summary.count).toBe(18);
    expect(summary.gradCam).toEqual([]);
    expect(existsSync(join(out, "grad-cam"))).toBe(false);
  });
});

describe("export", () => {
  it("re-exports from the checkpoint, checks it in a fresh session, and predicts as the trained model does", async () => {
    const out = join(folder.path, "again.onnx");
    const result = await cli("export", run, "--out", out, "--check", "6", "--threads", "1");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /checked in a fresh ONNX Runtime session on 6 validation images: same class for \d, largest probability difference \d\.\d\de-\d+/,
    );
    expect(decodeModel(readFileSync(out)).metadata[FEATURE_KEY]).toBe(JSON.parse(readFileSync(join(run, "run.json"), "utf8")).head.feature);
    const files = (await readImageFolder(data)).items.map((item) => item.path);
    const [original, again] = await Promise.all([join(run, "model.onnx"), out].map((path) => Predictor.load(path, { intraOpNumThreads: 1 })));
    try {
      const [a, b] = await Promise.all([original!.predict(files, { topK: 3 }), again!.predict(files, { topK: 3 })]);
      expect(b.predictions.map((p) => p.className)).toEqual(a.predictions.map((p) => p.className));
      a.predictions.forEach((p, i) => expect(b.predictions[i]!.probability).toBeCloseTo(p.probability, 5));
    } finally {
      await Promise.all([original!.release(), again!.release()]);
    }
  });

  it("checks on random inputs when the training data is gone", async () => {
    const moved = join(folder.path, "moved-run");
    cpSync(run, moved, { recursive: true });
    const record = JSON.parse(readFileSync(join(moved, "run.json"), "utf8"));
    writeFileSync(join(moved, "run.json"), JSON.stringify({ ...record, data: { ...record.data, path: join(folder.path, "gone") } }));
    const result = await cli("export", moved, "--check", "3", "--threads", "1");
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/training data .*gone is gone; checking the export on 3 random inputs/);
    expect(result.stdout).toMatch(/on 3 random inputs: same class for 3/);
  });
});

describe("errors", () => {
  it("names the missing run, model or flag", async () => {
    const missing = await cli("interpret", join(folder.path, "nope"), data);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringMatching(/model: no such file or folder '.*nope'/)]);
    const notExported = await cli("interpret", arch, data, "--threads", "1");
    expect(notExported.status).toBe(1);
    expect(notExported.stderr).toMatch(/tiny\.onnx: metadata 'runboard\.format' is missing .*re-export it with 'runboard-train export <run-folder>'/);
    const noRecord = await cli("export", data);
    expect([noRecord.status, noRecord.stderr]).toEqual([2, expect.stringMatching(/run folder: '.*shapes' has no run\.json/)]);
    const noFolder = await cli("export", join(folder.path, "nope"));
    expect(noFolder.stderr).toMatch(/run folder: no such folder '.*nope'/);
    const lower = await cli("export", run, "--opset", "13", "--out", join(folder.path, "low.onnx"));
    expect([lower.status, lower.stderr]).toEqual([2, expect.stringMatching(/--opset 13: the model is at opset 17; lowering it is not supported/)]);
    expect(existsSync(join(folder.path, "low.onnx"))).toBe(false);
    const interpretWithoutOut = await cli("train", data, "--arch", arch, "--interpret");
    expect(interpretWithoutOut.stderr).toMatch(/--interpret needs --out/);
    const badProvider = await cli("predict", join(run, "model.onnx"), data, "--provider", "tpu");
    expect([badProvider.status, badProvider.stderr]).toEqual([2, expect.stringMatching(/--provider must be one of cpu, cuda, webgpu, got 'tpu'/)]);
    const badTop = await cli("interpret", run, "--top", "0");
    expect(badTop.stderr).toMatch(/--top must be an integer from 1 to 100, got '0'/);
  });
});
