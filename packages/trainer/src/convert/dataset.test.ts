import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertInput } from "./conversion.ts";
import { convertDataset, readConversion } from "./dataset.ts";
import { writePdf } from "./testing/pdf-writer.ts";
import { squareWave, tone } from "./testing/signals.ts";
import { encodeWav } from "./testing/wav-writer.ts";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "convert-dataset-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("convertDataset: audio", () => {
  it("converts class folders of WAVs, reports bad files, and predict's conversion reproduces the images", async () => {
    const source = join(work, "clips");
    for (const [label, make] of [
      ["sine", tone],
      ["square", squareWave],
    ] as const) {
      await mkdir(join(source, label), { recursive: true });
      for (const [i, frequency] of [300, 450].entries()) {
        const samples = make(frequency, 16000, 4000 + 1000 * i);
        await writeFile(join(source, label, `clip${i}.wav`), encodeWav([samples], { sampleRate: 16000, format: "pcm16" }));
      }
    }
    await writeFile(join(source, "sine", "other-rate.wav"), encodeWav([tone(300, 8000, 2000)], { sampleRate: 8000, format: "float32" }));
    const truncated = encodeWav([tone(300, 16000, 4000)], { sampleRate: 16000, format: "pcm16" }).subarray(0, 1000);
    await writeFile(join(source, "sine", "truncated.wav"), truncated);
    const wrongFormat = encodeWav([tone(300, 16000, 4000)], { sampleRate: 16000, format: "pcm16" });
    new DataView(wrongFormat.buffer).setUint16(20, 0x55, true); // MP3 in a WAV wrapper
    await writeFile(join(source, "square", "mp3.wav"), wrongFormat);
    await writeFile(join(source, "square", "notes.txt"), "not audio");

    const outDir = join(work, "clips-images");
    const report = await convertDataset({ kind: "audio", source, outDir, options: { nFft: 512, hopLength: 128, nMels: 32 } });
    expect(report.counts).toEqual({ inputs: 8, converted: 5, failed: 3, images: 5 });
    expect(report.classes).toEqual(["sine", "square"]);
    expect(report.labels).toBe("folders");
    expect(report.failures.map((f) => f.file).sort()).toEqual(["sine/truncated.wav", "square/mp3.wav", "square/notes.txt"]);
    expect(report.failures.find((f) => f.file === "sine/truncated.wav")!.reason).toMatch(/truncated\.wav: data chunk is truncated/);
    expect(report.failures.find((f) => f.file === "square/mp3.wav")!.reason).toMatch(/mp3\.wav: fmt\.audioFormat is 85/);
    // The most common rate and the longest clip (5000 samples at 16 kHz) become the dataset's.
    expect(report.conversion).toMatchObject({ kind: "audio", options: { sampleRate: 16000, durationSeconds: 5000 / 16000, nMels: 32 } });

    expect((await readdir(join(outDir, "sine"))).sort()).toEqual(["clip0.png", "clip1.png", "other-rate.png"]);
    const widths = await Promise.all(
      ["sine/clip0.png", "sine/other-rate.png", "square/clip1.png"].map(async (file) => (await sharp(join(outDir, file)).metadata()).width),
    );
    expect(new Set(widths)).toEqual(new Set([1 + Math.floor(5000 / 128)]));

    const conversion = await readConversion(outDir);
    const [converted] = await convertInput(conversion, join(source, "square", "clip0.wav"));
    expect(converted!.png.equals(await readFile(join(outDir, "square", "clip0.png")))).toBe(true);
  });

  it("labels a flat folder by file name prefix and leaves nothing behind when nothing converts", async () => {
    const source = join(work, "flat");
    await mkdir(source);
    await writeFile(join(source, "7_alice_0.wav"), encodeWav([tone(500, 8000, 3000)], { sampleRate: 8000, format: "pcm8" }));
    await writeFile(join(source, "3_bob_1.wav"), encodeWav([tone(900, 8000, 3000)], { sampleRate: 8000, format: "pcm24" }));
    await writeFile(join(source, "nolabel.wav"), encodeWav([tone(900, 8000, 3000)], { sampleRate: 8000, format: "pcm24" }));
    const report = await convertDataset({ kind: "audio", source, outDir: join(work, "flat-images"), options: { nFft: 256, hopLength: 64, nMels: 24 } });
    expect(report.labels).toBe("filename-prefix");
    expect(report.classes).toEqual(["3", "7"]);
    expect(report.failures).toEqual([{ file: "nolabel.wav", reason: 'file name has no "<class>_" prefix' }]);

    const broken = join(work, "broken");
    await mkdir(broken);
    await writeFile(join(broken, "1_x_0.wav"), "RIFF....WAVEjunk");
    await expect(convertDataset({ kind: "audio", source: broken, outDir: join(work, "broken-images") })).rejects.toThrow(/no input of .* could be converted/);
    expect((await readdir(work)).filter((name) => name.includes("broken-images"))).toEqual([]);
    await expect(convertDataset({ kind: "audio", source, outDir: join(work, "flat-images") })).rejects.toThrow(/already exists/);
  });
});

describe("convertDataset: time series", () => {
  it("converts a UCR file, counts a ragged line, and converts a raw series the same way", async () => {
    const rows = Array.from({ length: 6 }, (_, i) => {
      const label = i % 2 === 0 ? "1" : "2";
      const values = Array.from({ length: 40 }, (_, t) => (label === "1" ? Math.sin(t / 3 + i) : t / 40 + 0.1 * Math.cos(t * i)));
      return [label, ...values.map((v) => v.toFixed(6))].join("\t");
    });
    rows.splice(3, 0, "2\t1\t2\t3");
    const source = join(work, "Toy_TRAIN.tsv");
    await writeFile(source, rows.join("\n") + "\n");
    const outDir = join(work, "toy-images");
    const report = await convertDataset({ kind: "timeseries", source, outDir, options: { imageSize: 16, encodings: ["gasf", "gadf", "mtf"] } });
    expect(report.counts).toEqual({ inputs: 7, converted: 6, failed: 1, images: 6 });
    expect(report.failures).toEqual([{ file: "Toy_TRAIN.tsv:4", reason: "Toy_TRAIN.tsv:4: ragged series: 3 values where line 1 has 40" }]);
    expect(report.conversion).toMatchObject({ kind: "timeseries", format: "ucr" });
    const meta = await sharp(join(outDir, "1", "line1.png")).metadata();
    expect(meta).toMatchObject({ width: 16, height: 16, channels: 3 });

    const conversion = await readConversion(outDir);
    const firstValues = rows[0]!.split("\t").slice(1).map(Number);
    const [converted] = await convertInput(conversion, firstValues);
    expect(converted!.png.equals(await readFile(join(outDir, "1", "line1.png")))).toBe(true);
  });
});

describe("convertDataset: documents", () => {
  it("renders class folders of PDFs, reporting a broken and an encrypted one", async () => {
    const source = join(work, "docs");
    const invoice = { width: 200, height: 300, content: "0 0 0 rg 10 250 180 40 re f" };
    const letter = { width: 200, height: 300, content: "0 0 0 rg 10 10 40 280 re f" };
    for (const [label, page] of [
      ["invoice", invoice],
      ["letter", letter],
    ] as const) {
      await mkdir(join(source, label), { recursive: true });
      await writeFile(join(source, label, "a.pdf"), writePdf([page, page]));
    }
    await writeFile(join(source, "invoice", "broken.pdf"), "%PDF-1.7\nnothing here");
    await writeFile(join(source, "letter", "locked.pdf"), writePdf([letter], { userPassword: "pw" }));
    const outDir = join(work, "docs-images");
    const report = await convertDataset({ kind: "document", source, outDir, options: { pages: "all", width: 64, height: 64 } });
    expect(report.counts).toEqual({ inputs: 4, converted: 2, failed: 2, images: 4 });
    expect(report.failures.map((f) => f.reason)).toEqual([
      expect.stringMatching(/broken\.pdf: is not a valid PDF/),
      expect.stringMatching(/locked\.pdf: is encrypted/),
    ]);
    expect((await readdir(join(outDir, "letter"))).sort()).toEqual(["a-p1.png", "a-p2.png"]);
    const conversion = await readConversion(outDir);
    const pages = await convertInput(conversion, join(source, "invoice", "a.pdf"));
    expect(pages.map((page) => page.name)).toEqual(["a-p1", "a-p2"]);
    expect(pages[0]!.png.equals(await readFile(join(outDir, "invoice", "a-p1.png")))).toBe(true);
  });

  it("rejects a conversion.json with a bad option", async () => {
    const dir = join(work, "bad-conversion");
    await mkdir(dir);
    await writeFile(join(dir, "conversion.json"), JSON.stringify({ format: "runboard-conversion", conversion: { kind: "audio", options: { nFft: 1000 } } }));
    await expect(readConversion(dir)).rejects.toThrow(/nFft\/windowSizes must be powers of two/);
  });
});
