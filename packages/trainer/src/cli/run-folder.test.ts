/**
 * What `train --out` records and what predict says about its inputs, on a data set with its
 * own train/valid folders and a two-stage recipe (fine_tune: frozen, then unfrozen).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder, writeClassFolders } from "../data/testing/images.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { saveModel } from "../onnx/serialize.ts";
import { main } from "./main.ts";

const BIN = fileURLToPath(new URL("../../bin/runboard-train.js", import.meta.url));
const folder = temporaryFolder("runboard-run-folder-");
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

beforeAll(async () => {
  await writeClassFolders(data, { circle: 8, square: 8 }, "train");
  await writeClassFolders(data, { circle: 3, square: 3 }, "valid");
  saveModel(resnet18({ resolution: 16, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 1 }).model, arch);
  trainOutput = await cli(
    "train",
    data,
    "--arch",
    arch,
    "--recipe",
    "FINE_TUNE",
    "--freeze-epochs",
    "1",
    "--epochs",
    "2",
    "--bs",
    "4",
    "--workers",
    "0",
    "--threads",
    "1",
    "--quiet",
    "--out",
    run,
  );
}, 120_000);
afterAll(() => folder.remove());

describe("train --out records", () => {
  it("the split that was used: the data set's own folders, not a valid fraction", () => {
    expect(trainOutput.stderr).not.toMatch(/error/);
    expect(trainOutput.status).toBe(0);
    const record = JSON.parse(readFileSync(join(run, "run.json"), "utf8"));
    expect(record.data).toEqual({ path: data, contentHash: expect.any(String), split: "folders", seed: 42, validCount: 6 });
    const history = JSON.parse(readFileSync(join(run, "history.json"), "utf8"));
    expect(history.split).toEqual({ split: "folders", seed: 42, train: 16, valid: 6 });
  });

  it("epochs numbered across the stages, each with its stage and its number within it", () => {
    const history = JSON.parse(readFileSync(join(run, "history.json"), "utf8"));
    const epochs = history.epochs.map((e: { epoch: number; stage: string; epochInStage: number }) => [e.epoch, e.stage, e.epochInStage]);
    expect(epochs).toEqual([
      [0, "frozen", 0],
      [1, "unfrozen", 0],
      [2, "unfrozen", 1],
    ]);
  });

  it("a complete folder: no INCOMPLETE marker and no temporary file", () => {
    expect(readdirSync(run).sort()).toEqual(["checkpoint.safetensors", "history.json", "model.onnx", "run.json"]);
  });
});

describe("predict reports the inputs it cannot use", () => {
  it("a file named on the command line that is not an image, and a corrupt PNG with the reason", async () => {
    const notes = join(folder.path, "notes.txt");
    writeFileSync(notes, "not an image");
    const corrupt = join(folder.path, "corrupt.png");
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20, 7)]));
    const good = join(data, "valid", "circle", "circle_000.png");
    const result = await cli("predict", join(run, "model.onnx"), notes, corrupt, good);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`skipped ${notes}: not an image file (extension ".txt" is not one of `);
    expect(result.stderr).toMatch(/skipped .*corrupt\.png: corrupt PNG header; the 28-byte file is truncated or damaged/);
    expect(result.stdout).toMatch(/circle_000\.png\t(circle|square)\t\d\.\d{4}\n$/);
    const alone = await cli("predict", join(run, "model.onnx"), notes);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain(`skipped ${notes}: not an image file`);
    expect(alone.stderr).toMatch(/predict: no image files/);
  });
});

describe("train stopped by SIGTERM", () => {
  it("during training: exits 143, says so, and writes nothing", async () => {
    const out = join(folder.path, "stopped");
    const child = spawn(
      process.execPath,
      [BIN, "train", data, "--arch", arch, "--budget", "60s", "--bs", "4", "--workers", "0", "--threads", "1", "--out", out],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // The recipe's first line comes before its first fit, and AUTO's fits take seconds.
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        resolve();
      });
      child.on("exit", () => resolve());
    });
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(stderr).toMatch(/runboard-train train: interrupted by SIGTERM during training; nothing was written\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
