/**
 * Conversion speed, printed (a benchmark script, not a test):
 *   node --import tsx src/convert/bench-convert.ts
 * Uses ../shared/datasets (FSDD, UCR GunPoint) when present, and generated signals and PDFs.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findSharedDataset } from "../data/repo-paths.ts";
import { audioChannelScales, audioToImage, decodeWav, resample, resolveSpectrogramOptions, type SpectrogramOptions } from "./audio/index.ts";
import { convertDataset } from "./dataset.ts";
import { renderPdf, resolvePdfRenderOptions } from "./document/index.ts";
import { encodePng } from "./image.ts";
import { tone } from "./testing/signals.ts";
import { writePdf } from "./testing/pdf-writer.ts";
import { parseUcr, resolveSeriesImageOptions, seriesChannelScales, seriesToImage } from "./timeseries/index.ts";

function report(name: string, count: number, unit: string, milliseconds: number): void {
  console.log(
    `${name.padEnd(58)} ${(milliseconds / count).toFixed(2).padStart(8)} ms/${unit}  (${count} ${unit.endsWith("s") ? unit : `${unit}s`}, ${(milliseconds / 1000).toFixed(2)} s)`,
  );
}

async function timed(run: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function benchFsdd(dir: string, label: string, options: SpectrogramOptions, files: string[]): Promise<void> {
  const bytes = await Promise.all(files.map((file) => readFile(join(dir, file))));
  const milliseconds = await timed(async () => {
    for (const [i, data] of bytes.entries()) {
      const wav = decodeWav(data, files[i]!);
      await encodePng(audioToImage(wav.samples, wav.sampleRate, options), audioChannelScales(options));
    }
  });
  report(`FSDD wav → ${label} → PNG`, files.length, "file", milliseconds);
}

async function benchAudio(): Promise<void> {
  const signal = tone(440, 44100, 44100);
  report(
    "resample 1 s 44.1 kHz → 16 kHz",
    5,
    "call",
    await timed(() => {
      for (let i = 0; i < 5; i++) resample(signal, 44100, 16000);
    }),
  );
  report(
    "resample 1 s 8 kHz → 22.05 kHz",
    5,
    "call",
    await timed(() => {
      for (let i = 0; i < 5; i++) resample(signal.subarray(0, 8000), 8000, 22050);
    }),
  );
  const fsdd = findSharedDataset("fsdd");
  if (fsdd === undefined) return console.log("FSDD: ../shared/datasets/fsdd absent, skipped");
  const recordings = join(fsdd, "recordings");
  const all = (await readdir(recordings)).filter((name) => name.endsWith(".wav")).sort();
  const sample = all.filter((_, i) => i % 10 === 0);
  await benchFsdd(recordings, "librosa defaults (2048/512/128 mels)", resolveSpectrogramOptions(), sample);
  const tuned = { nFft: 256, hopLength: 64, nMels: 64, durationSeconds: 1 };
  await benchFsdd(recordings, "256/64/64 mels, 1 s", resolveSpectrogramOptions(tuned), sample);
  await benchFsdd(recordings, "256/64/64 mels, 1 s, mel+deltas", resolveSpectrogramOptions({ ...tuned, channels: "deltas" }), sample);
  await benchFsdd(
    recordings,
    "1 s resampled to 16 kHz, 512/128/64 mels",
    resolveSpectrogramOptions({ nFft: 512, hopLength: 128, nMels: 64, durationSeconds: 1, sampleRate: 16000 }),
    sample,
  );
  const out = await mkdtemp(join(tmpdir(), "bench-convert-"));
  try {
    const milliseconds = await timed(async () => {
      const result = await convertDataset({ kind: "audio", source: recordings, outDir: join(out, "fsdd"), options: tuned });
      console.log(`convertDataset FSDD: ${result.counts.converted} converted, ${result.counts.failed} failed, ${result.classes.length} classes`);
    });
    report("convertDataset FSDD (all files, 256/64/64, 1 s)", all.length, "file", milliseconds);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function benchSeries(): Promise<void> {
  const ucr = findSharedDataset("ucr");
  if (ucr === undefined) return console.log("UCR: ../shared/datasets/ucr absent, skipped");
  const series = parseUcr(await readFile(join(ucr, "GunPoint", "GunPoint_TEST.tsv"), "utf8"), "GunPoint_TEST.tsv");
  for (const encodings of [["gasf"], ["gasf", "gadf", "mtf"], ["recurrence"]] as const) {
    const options = resolveSeriesImageOptions({ imageSize: 64, encodings: [...encodings] });
    const milliseconds = await timed(async () => {
      for (const item of series) await encodePng(seriesToImage(item.channels, options), seriesChannelScales(1, options));
    });
    report(`GunPoint (150 values) → 64×64 ${encodings.join("+")} → PNG`, series.length, "series", milliseconds);
  }
}

async function benchPdf(): Promise<void> {
  const pdf = writePdf(
    Array.from({ length: 10 }, (_, i) => ({
      width: 595,
      height: 842,
      content: `0 0 0 rg 50 ${50 + 60 * i} 400 40 re f BT /F1 18 Tf 60 780 Td (Page ${i + 1} of a generated document) Tj ET`,
    })),
  );
  const options = resolvePdfRenderOptions({ pages: "all", width: 512 });
  const first = await timed(async () => {
    await renderPdf(pdf, "bench.pdf", resolvePdfRenderOptions({ width: 512 }));
  });
  console.log(`PDF first call (loads pdfjs) ${first.toFixed(0)} ms`);
  report(
    "PDF A4 page → 512 px wide gray",
    30,
    "page",
    await timed(async () => {
      for (let i = 0; i < 3; i++) await renderPdf(pdf, "bench.pdf", options);
    }),
  );
}

await benchAudio();
await benchSeries();
await benchPdf();
