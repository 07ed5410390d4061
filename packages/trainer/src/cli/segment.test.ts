import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../data/testing/images.ts";
import { mobilenetV2 } from "../models/synthetic/index.ts";
import { saveModel } from "../onnx/serialize.ts";
import { writeScenes } from "../segmentation/testing/scenes.ts";
import { main } from "./main.ts";

const folder = temporaryFolder("runboard-cli-seg-");
const data = join(folder.path, "scenes");
const arch = join(folder.path, "tiny-mobilenet.onnx");

/** Runs the CLI in this process, capturing stdout and stderr. */
async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const [writeOut, writeErr] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

beforeAll(async () => {
  await writeScenes(data, 20, 32, 11, (i) => `scene${i}`);
  saveModel(mobilenetV2({ resolution: 32, widthMultiplier: 0.25, seed: 1 }).model, arch);
}, 60_000);
afterAll(() => folder.remove());

describe("runboard-train segment", () => {
  it("fine-tunes a U-Net on the folder and prints mean IoU per epoch and IoU per class", async () => {
    const result = await run("segment", data, "--arch", arch, "--epochs", "2", "--bs", "4", "--decoder-channels", "16,8,8", "--threads", "1");
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/background/);
    expect(result.stderr).toMatch(/cut at strides 4, 8, 16, 32, U-Net decoder \(16, 8, 8 channels\), 32×32 \(height×width\), 3 classes/);
    const epochs = [
      ...result.stdout.matchAll(/^epoch (\d) \((\w+) (\d)\/(\d)\)\s+train_loss (\S+)\s+valid_loss (\S+)\s+pixel_accuracy (\S+)\s+mean_iou (\S+)/gm),
    ];
    expect(epochs.map((m) => [m[1], m[2], m[3], m[4]])).toEqual([
      ["1", "frozen", "1", "1"],
      ["2", "unfrozen", "1", "2"],
      ["3", "unfrozen", "2", "2"],
    ]);
    for (const m of epochs) {
      for (const value of m.slice(5).map(Number)) expect(Number.isFinite(value)).toBe(true);
      expect(Number(m[8])).toBeGreaterThanOrEqual(0);
      expect(Number(m[8])).toBeLessThanOrEqual(1);
    }
    expect(result.stdout).toMatch(/^valid_loss \d+\.\d{4}\s+pixel_accuracy \d\.\d{4}\s+mean_iou \d\.\d{4}$/m);
    expect([...result.stdout.matchAll(/^ {2}iou (\w+): /gm)].map((m) => m[1])).toEqual(["background", "square", "disc"]);
  }, 300_000);

  it("--out writes a run folder whose model.onnx predict turns into mask and overlay PNGs", async () => {
    const out = join(folder.path, "run");
    const trained = await run(
      "segment",
      data,
      "--arch",
      arch,
      "--epochs",
      "1",
      "--freeze-epochs",
      "0",
      "--bs",
      "4",
      "--decoder-channels",
      "8,8,8",
      "--threads",
      "1",
      "--out",
      out,
      "--interpret",
      "--worst",
      "2",
    );
    expect(trained.stderr).not.toMatch(/error/i);
    expect(trained.status).toBe(0);
    for (const file of ["model.onnx", "checkpoint.safetensors", "history.json", "run.json"]) expect(existsSync(join(out, file))).toBe(true);
    expect(existsSync(join(out, "INCOMPLETE"))).toBe(false);
    const record = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(record).toMatchObject({
      format: "runboard.run/1",
      task: "segmentation",
      classes: ["background", "square", "disc"],
      ignoreIndex: 255,
      inputSize: [32, 32],
    });
    expect(record.arch).toBe(arch);
    expect(record.data).toMatchObject({ path: data, split: "validPct", validPct: 0.2, seed: 42, validCount: 4 });
    expect(record.decoder).toMatchObject({ kind: "unet", channels: [8, 8, 8], strides: [4, 8, 16, 32] });
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.epochs).toHaveLength(1);
    expect(history.epochs[0]).toMatchObject({ epoch: 0, stage: "unfrozen", epochInStage: 0 });
    expect(history.epochs[0].metrics.mean_iou).toBeCloseTo(history.summary.mean_iou, 6);

    // The interpretation: 4 validation images (20 × 0.2) at their own size, judged against their masks.
    const interpretation = JSON.parse(readFileSync(join(out, "interpretation", "interpretation.json"), "utf8"));
    expect(interpretation.images).toBe(4);
    expect(interpretation.files).toEqual(["iou.png", "confusion.png", "worst.png", "interpretation.json"]);
    expect(Object.keys(interpretation.iou)).toEqual(["background", "square", "disc"]);
    // Every non-void pixel once: 32×32 less the one-pixel border (124 pixels), 4 images.
    expect(interpretation.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(4 * (32 * 32 - 124));
    // The images are the model's size, so the file's mean IoU is the Learner's validation one.
    expect(interpretation.meanIou).toBeCloseTo(history.summary.mean_iou, 2);
    expect(interpretation.worst).toHaveLength(2);
    expect(interpretation.worst[0].meanIou).toBeLessThanOrEqual(interpretation.worst[1].meanIou);
    const worstPng = await sharp(join(out, "interpretation", "worst.png")).metadata();
    expect(worstPng.width).toBe(4 * (240 + 8) + 8);
    expect(trained.stderr).toMatch(/interpretation of 4 validation images at their own size: mean IoU \d\.\d{4}/);
    const lonely = await run("segment", data, "--interpret");
    expect(lonely.status).toBe(2);
    expect(lonely.stderr).toMatch(/--interpret needs --out/);

    // Export and interpret take classification runs and say so.
    const exported = await run("export", out);
    expect(exported.status).toBe(2);
    expect(exported.stderr).toMatch(/a segmentation run/);

    const masks = join(folder.path, "masks");
    const predicted = await run("predict", join(out, "model.onnx"), join(data, "images", "scene0.png"), join(data, "images", "scene1.png"), "--out", masks);
    expect(predicted.stderr).not.toMatch(/error|skipped/i);
    expect(predicted.status).toBe(0);
    const lines = predicted.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      const [path, ...shares] = line.split("\t");
      expect(path).toBe(join(data, "images", `scene${i}.png`));
      const percents = shares.map((s) => /^(background|square|disc) (\d+\.\d)%$/.exec(s));
      expect(percents.every((m) => m !== null)).toBe(true);
      expect(percents.reduce((sum, m) => sum + Number(m![2]), 0)).toBeCloseTo(100, 0);
      for (const kind of ["mask", "overlay"]) {
        const meta = await sharp(join(masks, `scene${i}.${kind}.png`)).metadata();
        expect([meta.width, meta.height, meta.channels]).toEqual([32, 32, 3]);
      }
    }
    const top = await run("predict", join(out, "model.onnx"), join(data, "images", "scene0.png"), "--top", "2");
    expect(top.status).toBe(2);
    expect(top.stderr).toMatch(/--top is for classifiers/);
  }, 300_000);

  it("refuses bad usage with the flag's name", async () => {
    const loss = await run("segment", data, "--loss", "focal");
    expect(loss.status).toBe(2);
    expect(loss.stderr).toMatch(/--loss must be one of cross-entropy, dice, cross-entropy\+dice, got 'focal'/);
    const channels = await run("segment", data, "--decoder-channels", "16,x");
    expect(channels.status).toBe(2);
    expect(channels.stderr).toMatch(/--decoder-channels must be a comma-separated list of integers/);
    const decoder = await run("segment", data, "--decoder", "fpn");
    expect(decoder.status).toBe(2);
    expect(decoder.stderr).toMatch(/--decoder must be unet or lraspp, got 'fpn'/);
    const none = await run("segment");
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/segment takes one data set/);
  });
});
