import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { saveModel } from "../onnx/serialize.ts";
import { main } from "./main.ts";

const BIN = fileURLToPath(new URL("../../bin/runboard-train.js", import.meta.url));
const folder = temporaryFolder("runboard-cli-");
const data = join(folder.path, "shapes");
const arch = join(folder.path, "tiny.onnx");

/** Runs the CLI in this process, capturing what it writes to stderr. */
async function inProcess(...args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = "";
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { status: await main(args), stderr };
  } finally {
    process.stderr.write = write;
  }
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: folder.path, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  await writeClassFolders(data, { circle: 12, square: 12, stripe: 12 });
  saveModel(resnet18({ resolution: 16, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 1 }).model, arch);
});
afterAll(() => folder.remove());

describe("runboard-train", () => {
  it("train fine-tunes, reports metrics, writes model, checkpoint and history; predict runs the model", () => {
    const out = join(folder.path, "run");
    const train = cli(
      "train",
      data,
      "--arch",
      arch,
      "--recipe",
      "fine-tune",
      "--epochs",
      "2",
      "--bs",
      "8",
      "--lr",
      "1e-2",
      "--metrics",
      "accuracy,error_rate",
      "--workers",
      "0",
      "--threads",
      "1",
      "--out",
      out,
    );
    expect(train.stderr).toMatch(/epoch 2\/2 train \[#+\] 3\/3 100% loss \d\.\d+ eta/);
    expect(train.status).toBe(0);
    const summary = /valid_loss (\S+)\s+accuracy (\S+)\s+error_rate (\S+)/.exec(train.stdout);
    expect(summary).not.toBeNull();
    expect(Number(summary![2]) + Number(summary![3])).toBeCloseTo(1, 3);
    for (const file of ["model.onnx", "checkpoint.safetensors", "history.json"]) expect(existsSync(join(out, file))).toBe(true);
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.classes).toEqual(["circle", "square", "stripe"]);
    expect(history.epochs).toHaveLength(3); // 1 frozen (on cached features) + 2 unfrozen
    expect(history.summary.accuracy).toBeCloseTo(Number(summary![2]), 3);
    expect(history.training.recipe).toBe("FINE_TUNE");
    expect(train.stdout).toMatch(/probe_accuracy \d\.\d{4}\s+\(FINE_TUNE, /);

    const predict = cli("predict", join(out, "model.onnx"), join(data, "square"), "--top", "2");
    expect(predict.status).toBe(0);
    const lines = predict.stdout
      .trim()
      .split("\n")
      .map((line) => line.split("\t"));
    expect(lines).toHaveLength(2 * 12);
    for (const [file, label, probability] of lines) {
      expect(file).toMatch(/square_\d+\.png$/);
      expect(["circle", "square", "stripe"]).toContain(label);
      expect(Number(probability)).toBeGreaterThanOrEqual(0);
    }
  });

  it("train runs AUTO by default: says what it tried and why it chose, records it, prints the probe beside", () => {
    const out = join(folder.path, "auto");
    const train = cli("train", data, "--arch", arch, "--bs", "8", "--budget", "20s", "--workers", "0", "--threads", "1", "--out", out);
    expect(train.status).toBe(0);
    expect(train.stderr).toMatch(/AUTO: choosing on the training split only: 5-fold cross-validation on its \d+ images \(each fit on about \d+\); budget 20 s/);
    expect(train.stderr).toMatch(/AUTO: probe reads (LAST|STAGES|STAGES_GRID) features: /);
    expect(train.stderr).toMatch(/AUTO: LINEAR_PROBE \(views 1(, (STAGES|STAGES_GRID) features)?\): 5-fold accuracy \d+\.\d\d%/);
    expect(train.stderr).toMatch(/AUTO: chose /);
    expect(train.stdout).toMatch(/accuracy \d\.\d{4}\s+probe_accuracy \d\.\d{4}\s+\((LINEAR_PROBE|LP_FT|FINE_TUNE) \(chosen by AUTO\)/);
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.training.auto.candidates.length).toBeGreaterThanOrEqual(2);
    expect(history.training.auto.reason).toMatch(/5-fold cross-validation/);
    expect(history.training.auto.selection).toBe("k-fold");
    expect(history.training.auto.probeFeatures.tried.map((t: { features: string }) => t.features)).toContain("LAST");
    expect(cli("predict", join(out, "model.onnx"), join(data, "square")).status).toBe(0);
  });

  it("lr-find prints the curve and the suggestion and writes a PNG", async () => {
    const png = join(folder.path, "lr.png");
    const result = cli("lr-find", data, "--arch", arch, "--bs", "8", "--num-it", "30", "--suggest", "valley,steep", "--workers", "0", "--quiet", "--png", png);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/learning rate \(log scale\)/);
    expect(result.stdout).toMatch(/suggested learning rate \(valley\): \d\.\d\de-\d/);
    expect(result.stdout).toMatch(/suggested learning rate \(steep\): /);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 640, 400]);
    // Rates this high diverge at once: it says why there is no suggestion.
    const diverged = cli(
      "lr-find",
      data,
      "--arch",
      arch,
      "--bs",
      "8",
      "--num-it",
      "30",
      "--start-lr",
      "1",
      "--end-lr",
      "1e6",
      "--workers",
      "0",
      "--quiet",
      "--png",
      png,
    );
    expect(diverged.status).toBe(0);
    expect(diverged.stdout).toMatch(/no suggestion: the loss diverged after \d+ of 30 steps .*too few to suggest \(valley needs 2\)/);
  });

  it("names the flag or the path in its errors (exit code 2)", async () => {
    const missing = await inProcess("train", join(folder.path, "nope"), "--arch", arch);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/data: no such file or folder '.*nope'/);
    const badNumber = await inProcess("train", data, "--arch", arch, "--bs", "0");
    expect(badNumber.status).toBe(2);
    expect(badNumber.stderr).toMatch(/--bs must be an integer from 1 to 4096, got '0'/);
    const badArch = await inProcess("train", data, "--arch", "model.pt");
    expect(badArch.stderr).toMatch(
      /--arch must be a zoo name \(mobilenet-v2-imagenet, nsfwjs-mobilenet-v2, .*\) or an \.onnx or \.tflite file, got 'model.pt'/,
    );
    // --arch has a default (the bundled MobileNetV2): without it, the next check is the data's.
    const noArch = await inProcess("lr-find", join(folder.path, "nope"));
    expect(noArch.stderr).toMatch(/data: no such file or folder '.*nope'/);
    const badFeatures = await inProcess("train", data, "--arch", arch, "--features", "deep");
    expect(badFeatures.stderr).toMatch(/--features must be one of LAST, STAGES, STAGES_GRID, got 'deep'/);
    const both = await inProcess("train", data, "--arch", arch, "--one-cycle", "--frozen");
    expect(both.stderr).toMatch(/--one-cycle and --frozen exclude each other/);
    expect((await inProcess("frobnicate")).stderr).toMatch(/unknown command 'frobnicate'; commands: train, segment, lr-find, predict/);
  });
});
