import { join } from "node:path";
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
