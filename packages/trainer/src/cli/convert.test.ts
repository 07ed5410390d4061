import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../data/testing/images.ts";
import { writePdf } from "../convert/testing/pdf-writer.ts";
import { argmax, squareWave, tone } from "../convert/testing/signals.ts";
import { encodeWav } from "../convert/testing/wav-writer.ts";
import { main } from "./main.ts";

const BIN = fileURLToPath(new URL("../../bin/runboard-train.js", import.meta.url));
const folder = temporaryFolder("runboard-convert-");
const clips = join(folder.path, "clips");
const seriesFile = join(folder.path, "waves_TRAIN.tsv");
const pdfs = join(folder.path, "pdfs");

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: folder.path, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

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

function writeClips(): void {
  for (const [frequency, label] of [
    [500, "low"],
    [2500, "high"],
  ] as const) {
    mkdirSync(join(clips, label), { recursive: true });
    for (let i = 0; i < 3; i++)
      writeFileSync(join(clips, label, `${label}${i}.wav`), encodeWav([tone(frequency + 20 * i, 8000, 4000)], { sampleRate: 8000, format: "pcm16" }));
  }
  writeFileSync(join(clips, "low", "broken.wav"), Buffer.from("RIFF\x04\x00\x00\x00WAVE"));
}

/** UCR: label then values; sines (class 1) and squares (class 2), one ragged row. */
function writeSeries(): void {
  const rows = [1, 2, 3].flatMap((i) => [
    ["1", ...Array.from(tone(1 + i / 10, 64, 64, 1), (v) => v.toFixed(5))],
    ["2", ...Array.from(squareWave(1 + i / 10, 64, 64, 1), (v) => v.toFixed(5))],
  ]);
  rows.push(["2", "0.1", "abc"]);
  writeFileSync(seriesFile, rows.map((row) => row.join("\t")).join("\n") + "\n");
}

function writePdfs(): void {
  for (const label of ["invoice", "letter"]) mkdirSync(join(pdfs, label), { recursive: true });
  const page = (content: string) => ({ width: 200, height: 280, content });
  writeFileSync(join(pdfs, "invoice", "a.pdf"), writePdf([page("0 0 0 rg 20 200 160 60 re f"), page("0 0 0 rg 20 20 40 40 re f")]));
  writeFileSync(join(pdfs, "letter", "b.pdf"), writePdf([page("0 0 0 rg 20 20 160 30 re f")]));
  writeFileSync(join(pdfs, "letter", "broken.pdf"), "%PDF-1.4 nothing else");
}

beforeAll(() => {
  writeClips();
  writeSeries();
  writePdfs();
});
afterAll(() => folder.remove());

describe("runboard-train convert", () => {
  it("audio: a folder of WAVs becomes log-mel PNGs, the tone's band brightest; progress and the broken file reported", async () => {
    const out = join(folder.path, "clips-mel");
    const result = cli("convert", "audio", clips, out, "--n-fft", "256", "--hop-length", "64", "--n-mels", "32", "--fmax", "4000");
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/convert \[#+\] 7\/7 100%/);
    expect(result.stderr).toMatch(/failed low\/broken\.wav: .*broken\.wav/);
    expect(result.stdout).toMatch(/converted 6\/7 inputs into 6 images of 2 classes \(high, low\), 1 failed/);
    const conversion = JSON.parse(readFileSync(join(out, "conversion.json"), "utf8"));
    expect(conversion.conversion).toMatchObject({
      kind: "audio",
      options: { nFft: 256, hopLength: 64, nMels: 32, fmax: 4000, sampleRate: 8000, topDb: 80, htk: false },
    });
    const peakRow = async (file: string) => {
      const { data, info } = await sharp(join(out, file)).greyscale().raw().toBuffer({ resolveWithObject: true });
      const rows = Array.from({ length: info.height }, (_, y) => data.subarray(y * info.width, (y + 1) * info.width).reduce((sum, v) => sum + v, 0));
      return info.height - 1 - argmax(rows); // mel band, lowest at the bottom
    };
    const [low, high] = [await peakRow("low/low0.png"), await peakRow("high/high0.png")];
    expect(high).toBeGreaterThan(low + 8);
  });

  it("timeseries: a UCR file becomes GASF+MTF images per class; the ragged row is named with its line", () => {
    const out = join(folder.path, "waves-img");
    const result = cli("convert", "timeseries", seriesFile, out, "--image-size", "16", "--encodings", "gasf,mtf", "--mtf-bins", "4", "--quiet");
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/convert \[/);
    expect(result.stderr).toMatch(/failed waves_TRAIN\.tsv:7: /);
    expect(result.stdout).toMatch(/converted 6\/7 inputs into 6 images of 2 classes \(1, 2\), 1 failed/);
    expect(readdirSync(join(out, "2")).length).toBe(3);
    const conversion = JSON.parse(readFileSync(join(out, "conversion.json"), "utf8"));
    expect(conversion.conversion).toEqual({
      kind: "timeseries",
      format: "ucr",
      options: { imageSize: 16, encodings: ["gasf", "mtf"], mtfBins: 4, recurrenceThreshold: null },
    });
  });

  it("document: every page of each PDF, the broken one reported", async () => {
    const out = join(folder.path, "pages");
    const result = cli("convert", "document", pdfs, out, "--pages", "all", "--width", "100", "--quiet");
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/failed letter\/broken\.pdf: /);
    expect(readdirSync(join(out, "invoice")).sort()).toEqual(["a-p1.png", "a-p2.png"]);
    const meta = await sharp(join(out, "letter", "b-p1.png")).metadata();
    expect([meta.width, meta.height]).toEqual([100, 140]);
  });

  it("names the flag or the path in its errors, and writes nothing", async () => {
    const out = join(folder.path, "never");
    const cases: [string[], RegExp][] = [
      [["convert", "sound", clips, out], /convert needs a kind first: audio, timeseries, document, got 'sound'/],
      [["convert", "audio", join(folder.path, "nope"), out], /input: no such file or folder '.*nope'/],
      [["convert", "audio", seriesFile, out], /input: convert audio takes a folder of \.wav files/],
      [["convert", "audio", clips, clips], /out: '.*clips' already exists/],
      [["convert", "audio", clips, out, "--n-fft", "300"], /--n-fft(\/--window-sizes)?: spectrogram option nFft\/windowSizes must be powers of two/],
      [["convert", "audio", clips, out, "--hop-length", "0"], /--hop-length must be an integer ≥ 1, got '0'/],
      [["convert", "audio", clips, out, "--channels", "rgb"], /--channels must be one of mel, deltas, windows, got 'rgb'/],
      [["convert", "audio", clips, out, "--image-size", "32"], /--image-size is a timeseries flag; convert audio takes --sample-rate/],
      [["convert", "timeseries", seriesFile, out, "--encodings", "gasf,fft"], /--encodings must be one of gasf, gadf, mtf, recurrence, got 'fft'/],
      [
        ["convert", "timeseries", seriesFile, out, "--recurrence-fraction", "2"],
        /--recurrence-fraction: time series option recurrenceThreshold.fractionOfMax must be in \[0, 1\]/,
      ],
      [["convert", "document", pdfs, out, "--color", "cmyk"], /--color must be one of gray, rgb, got 'cmyk'/],
    ];
    for (const [args, message] of cases) {
      const result = await inProcess(...args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });

  it("shows every option with its default in --help", () => {
    const help = cli("--help").stdout;
    expect(help).toMatch(/--n-fft N\s+FFT window length, a power of two \(default 2048\)/);
    expect(help).toMatch(/--hop-length N\s+.*\(default 512\)/);
    expect(help).toMatch(/--n-mels N\s+.*\(default 128\)/);
    expect(help).toMatch(/--top-db N\s+.*\(default 80\)/);
    expect(help).toMatch(/--encodings A,B\s+.*\(default gasf\)/);
    expect(help).toMatch(/--pages X\s+.*\(default first\)/);
  });
});
