/**
 * Converting a whole dataset of raw files into an image-folder dataset: `<outDir>/<class>/
 * <name>.png` plus conversion.json with every parameter and every file that failed (with its
 * reason). Bad files are counted and reported; the rest are still converted. The output is
 * written to a temporary sibling folder and renamed at the end, so a failed run leaves nothing.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { decodeWav, resolveSpectrogramOptions, type SpectrogramOptions } from "./audio/index.ts";
import {
  type Conversion,
  type SeriesFileFormat,
  channelScales,
  parseConversion,
  convertAudioFile,
  convertPdfFile,
  detectSeriesFormat,
  pageName,
  parseSeriesFile,
} from "./conversion.ts";
import { type LabelSource, listLabeledFiles, safeSegment } from "./dataset-sources.ts";
import { resolvePdfRenderOptions, type PdfRenderOptions } from "./document/index.ts";
import { type FeatureImage, encodePng } from "./image.ts";
import { resolveSeriesImageOptions, seriesToImage, type SeriesImageOptions } from "./timeseries/index.ts";

/** After each input: how many of the inputs are done (converted or failed), and which one this was. */
export type ConversionProgress = (progress: { done: number; total: number; input: string }) => void;

interface RequestBase {
  source: string;
  outDir: string;
  onProgress?: ConversionProgress;
}

export type ConvertDatasetRequest =
  | (RequestBase & { kind: "audio"; labels?: LabelSource | "auto"; options?: Partial<SpectrogramOptions> })
  | (RequestBase & { kind: "document"; labels?: LabelSource | "auto"; options?: Partial<PdfRenderOptions> })
  | (RequestBase & { kind: "timeseries"; format?: SeriesFileFormat | "auto"; options?: Partial<SeriesImageOptions> });

export interface ConversionReport {
  format: "runboard-conversion";
  version: 1;
  conversion: Conversion;
  /** The source's last path segment (not a machine path). */
  source: string;
  labels: LabelSource | "series";
  classes: string[];
  counts: { inputs: number; converted: number; failed: number; images: number };
  failures: { file: string; reason: string }[];
  seconds: number;
}

export const conversionFileName = "conversion.json";

interface Output {
  dir: string;
  classes: Set<string>;
  images: number;
}

async function writeImage(output: Output, conversion: Conversion, label: string, name: string, image: FeatureImage): Promise<void> {
  const classDir = safeSegment(label);
  if (!output.classes.has(classDir)) await mkdir(join(output.dir, classDir), { recursive: true });
  output.classes.add(classDir);
  await writeFile(join(output.dir, classDir, `${safeSegment(name)}.png`), await encodePng(image, channelScales(conversion, image.channels)));
  output.images++;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Rate and length every clip is brought to: the given ones, else the most common rate and the longest clip. */
async function resolveAudioOptions(paths: string[], overrides: Partial<SpectrogramOptions>): Promise<SpectrogramOptions> {
  const base = resolveSpectrogramOptions(overrides);
  if (base.sampleRate !== null && base.durationSeconds !== null) return base;
  const rates = new Map<number, number>();
  let longest = 0;
  for (const path of paths) {
    try {
      const wav = decodeWav(await readFile(path), path);
      rates.set(wav.sampleRate, (rates.get(wav.sampleRate) ?? 0) + 1);
      longest = Math.max(longest, wav.samples.length / wav.sampleRate);
    } catch {
      // Reported when the file is converted.
    }
  }
  const commonRate = [...rates].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return resolveSpectrogramOptions({
    ...overrides,
    sampleRate: base.sampleRate ?? commonRate,
    durationSeconds: base.durationSeconds ?? (longest > 0 ? longest : null),
  });
}

async function convertFiles(request: Extract<ConvertDatasetRequest, { kind: "audio" | "document" }>, output: Output, report: ConversionReport): Promise<void> {
  const extension = request.kind === "audio" ? ".wav" : ".pdf";
  const listing = await listLabeledFiles(request.source, extension, request.labels ?? "auto");
  report.labels = listing.labels;
  report.failures.push(...listing.skipped);
  report.conversion =
    request.kind === "audio"
      ? {
          kind: "audio",
          options: await resolveAudioOptions(
            listing.files.map((file) => file.path),
            request.options ?? {},
          ),
        }
      : { kind: "document", options: resolvePdfRenderOptions(request.options ?? {}) };
  const conversion = report.conversion;
  report.counts.inputs = listing.files.length + listing.skipped.length;
  for (const [index, file] of listing.files.entries()) {
    try {
      if (conversion.kind === "audio") {
        await writeImage(output, conversion, file.label, basename(file.path).replace(/\.wav$/i, ""), await convertAudioFile(file.path, conversion.options));
      } else if (conversion.kind === "document") {
        const pages = await convertPdfFile(file.path, conversion.options);
        for (const [i, page] of pages.entries()) await writeImage(output, conversion, file.label, pageName(file.path, i + 1, conversion.options), page);
      }
      report.counts.converted++;
    } catch (error) {
      report.failures.push({ file: file.relative, reason: reasonOf(error) });
    }
    request.onProgress?.({ done: index + 1, total: listing.files.length, input: file.relative });
  }
}

async function convertSeries(request: Extract<ConvertDatasetRequest, { kind: "timeseries" }>, output: Output, report: ConversionReport): Promise<void> {
  const text = await readFile(request.source, "utf8");
  const format = !request.format || request.format === "auto" ? detectSeriesFormat(text) : request.format;
  const conversion: Conversion = { kind: "timeseries", format, options: resolveSeriesImageOptions(request.options ?? {}) };
  report.conversion = conversion;
  report.labels = "series";
  const { series, failures } = parseSeriesFile(text, basename(request.source), format);
  report.failures.push(...failures.map((failure) => ({ file: `${failure.file}:${failure.line}`, reason: failure.message })));
  report.counts.inputs = series.length + failures.length;
  for (const [index, item] of series.entries()) {
    try {
      if (item.label === undefined) throw new Error(`series "${item.id}" has no label (add a label column)`);
      await writeImage(output, conversion, item.label, item.id, seriesToImage(item.channels, conversion.options));
      report.counts.converted++;
    } catch (error) {
      report.failures.push({ file: `${basename(request.source)}#${item.id}`, reason: reasonOf(error) });
    }
    request.onProgress?.({ done: index + 1, total: series.length, input: `${basename(request.source)}#${item.id}` });
  }
}

async function assertFree(outDir: string): Promise<void> {
  const exists = await stat(outDir).then(
    () => true,
    () => false,
  );
  if (exists) throw new Error(`outDir ${outDir} already exists; convert into a new folder`);
}

export async function convertDataset(request: ConvertDatasetRequest): Promise<ConversionReport> {
  await assertFree(request.outDir);
  const started = performance.now();
  const partial = join(dirname(request.outDir), `.${basename(request.outDir)}.partial-${process.pid}`);
  const output: Output = { dir: partial, classes: new Set(), images: 0 };
  const report: ConversionReport = {
    format: "runboard-conversion",
    version: 1,
    conversion: { kind: "audio", options: resolveSpectrogramOptions() },
    source: basename(request.source),
    labels: "series",
    classes: [],
    counts: { inputs: 0, converted: 0, failed: 0, images: 0 },
    failures: [],
    seconds: 0,
  };
  await mkdir(partial, { recursive: true });
  try {
    if (request.kind === "timeseries") await convertSeries(request, output, report);
    else await convertFiles(request, output, report);
    if (report.counts.converted === 0)
      throw new Error(`no input of ${request.source} could be converted; first failure: ${report.failures[0]?.reason ?? "none"}`);
    report.classes = [...output.classes].sort();
    report.counts.failed = report.failures.length;
    report.counts.images = output.images;
    report.seconds = (performance.now() - started) / 1000;
    await writeFile(join(partial, conversionFileName), JSON.stringify(report, null, 2) + "\n");
    await rename(partial, request.outDir);
    return report;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/** The conversion stored with a converted dataset, validated. */
export async function readConversion(datasetDir: string): Promise<Conversion> {
  const path = join(datasetDir, conversionFileName);
  let parsed: { format?: unknown; conversion?: unknown };
  try {
    parsed = JSON.parse(await readFile(path, "utf8")) as typeof parsed;
  } catch (error) {
    throw new Error(`${path}: not readable as JSON (${reasonOf(error)})`);
  }
  if (parsed.format !== "runboard-conversion") throw new Error(`${path}: format must be "runboard-conversion"`);
  return parseConversion(parsed.conversion);
}

/** The conversion of a dataset folder that came from convertDataset, or undefined for a plain image folder. */
export async function findConversion(datasetDir: string): Promise<Conversion | undefined> {
  const exists = await stat(join(datasetDir, conversionFileName)).then(
    (info) => info.isFile(),
    () => false,
  );
  return exists ? readConversion(datasetDir) : undefined;
}
