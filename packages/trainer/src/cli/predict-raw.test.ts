import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tone } from "../convert/testing/signals.ts";
import { encodeWav } from "../convert/testing/wav-writer.ts";
import { temporaryFolder } from "../data/testing/images.ts";
import { resnet18 } from "../models/synthetic/index.ts";
import { saveModel } from "../onnx/serialize.ts";
import { main } from "./main.ts";

const folder = temporaryFolder("runboard-cli-raw-");
const clips = join(folder.path, "clips");
const images = join(folder.path, "images");
const arch = join(folder.path, "tiny.onnx");
const run = join(folder.path, "run");

/** Runs the CLI in this process, capturing stdout. */
async function cli(...args: string[]): Promise<{ status: number; stdout: string }> {
  let stdout = "";
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { status: await main(args), stdout };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

function parse(stdout: string): Map<string, number> {
  const lines = stdout
    .trim()
    .split("\n")
    .map((line) => line.split("\t"));
  return new Map(lines.map(([file, label, probability]) => [`${file!.replace(/\.(wav|png)$/, "")}:${label}`, Number(probability)]));
}

beforeAll(() => {
  for (const [label, frequency] of [
    ["low", 300],
    ["high", 2500],
  ] as const) {
    mkdirSync(join(clips, label), { recursive: true });
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(clips, label, `${label}${i}.wav`), encodeWav([tone(frequency + 30 * i, 8000, 4000)], { sampleRate: 8000, format: "pcm16" }));
    }
  }
  saveModel(resnet18({ resolution: 32, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 1 }).model, arch);
});
afterAll(() => folder.remove());

describe("runboard-train predict on raw files", () => {
  it("replays the conversion a model was trained on: raw .wav files give the converted images' predictions", async () => {
    expect((await cli("convert", "audio", clips, images, "--n-fft", "256", "--hop-length", "64", "--n-mels", "32")).status).toBe(0);
    expect((await cli("train", images, "--arch", arch, "--epochs", "1", "--bs", "4", "--workers", "0", "--threads", "1", "--out", run)).status).toBe(0);

    const raw = await cli("predict", join(run, "model.onnx"), join(clips, "low"), "--top", "2");
    const converted = await cli("predict", join(run, "model.onnx"), join(images, "low"), "--top", "2");
    expect(raw.status).toBe(0);
    expect(converted.status).toBe(0);
    expect(raw.stdout).toMatch(/low0\.wav\t(low|high)\t0\.\d{4}/);
    const rawByItem = new Map([...parse(raw.stdout)].map(([key, p]) => [key.replace(clips, ""), p]));
    const convertedByItem = new Map([...parse(converted.stdout)].map(([key, p]) => [key.replace(images, ""), p]));
    expect(rawByItem.size).toBe(6 * 2);
    expect([...rawByItem.keys()].sort()).toEqual([...convertedByItem.keys()].sort());
    for (const [key, probability] of rawByItem) expect(probability).toBeCloseTo(convertedByItem.get(key)!, 3);
  });
});
