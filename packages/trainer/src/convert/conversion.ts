/**
 * A conversion: which kind of raw input becomes images, and every parameter it used. Stored
 * with a converted dataset as conversion.json, so a run is reproducible and predict turns a
 * raw .wav, series or .pdf into exactly the image the model was trained on.
 */
import { readFile } from "node:fs/promises";
import { audioChannelScales, audioToImage, decodeWav, resolveSpectrogramOptions, type SpectrogramOptions } from "./audio/index.ts";
import { pdfChannelScales, renderPdf, resolvePdfRenderOptions, type PdfRenderOptions } from "./document/index.ts";
import { type ChannelScale, type FeatureImage, encodePng } from "./image.ts";
import { resolveSeriesImageOptions, seriesChannelScales, seriesToImage, type SeriesImageOptions } from "./timeseries/index.ts";
import { parseLongCsvTolerant } from "./timeseries/long-csv.ts";
import { parseUcrTolerant, type ParsedSeries } from "./timeseries/ucr.ts";

export type SeriesFileFormat = "ucr" | "long-csv";

export type Conversion =
  | { kind: "audio"; options: SpectrogramOptions }
  | { kind: "timeseries"; format: SeriesFileFormat; options: SeriesImageOptions }
  | { kind: "document"; options: PdfRenderOptions };

export type ConversionKind = Conversion["kind"];

export interface ConvertedImage {
  /** File name stem for the image (no extension). */
  name: string;
  image: FeatureImage;
  png: Buffer;
}

/** Checks a conversion read from JSON, resolving its options through the same validators. */
export function parseConversion(value: unknown): Conversion {
  const record = value as { kind?: unknown; format?: unknown; options?: unknown };
  if (typeof value !== "object" || value === null) throw new Error("conversion must be an object");
  const options = (record.options ?? {}) as Record<string, never>;
  switch (record.kind) {
    case "audio":
      return { kind: "audio", options: resolveSpectrogramOptions(options) };
    case "document":
      return { kind: "document", options: resolvePdfRenderOptions(options) };
    case "timeseries":
      if (record.format !== "ucr" && record.format !== "long-csv")
        throw new Error(`conversion format must be "ucr" or "long-csv", got ${JSON.stringify(record.format)}`);
      return { kind: "timeseries", format: record.format, options: resolveSeriesImageOptions(options) };
    default:
      throw new Error(`conversion kind must be "audio", "timeseries" or "document", got ${JSON.stringify(record.kind)}`);
  }
}

export function channelScales(conversion: Conversion, channels: number): ChannelScale[] {
  if (conversion.kind === "audio") return audioChannelScales(conversion.options);
  if (conversion.kind === "document") return pdfChannelScales(conversion.options);
  return seriesChannelScales(channels / conversion.options.encodings.length, conversion.options);
}

async function withPng(conversion: Conversion, name: string, image: FeatureImage): Promise<ConvertedImage> {
  return { name, image, png: await encodePng(image, channelScales(conversion, image.channels)) };
}

function stem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.[^.]*$/, "");
}

export async function convertAudioFile(path: string, options: SpectrogramOptions): Promise<FeatureImage> {
  const wav = decodeWav(await readFile(path), path);
  return audioToImage(wav.samples, wav.sampleRate, options);
}

export async function convertPdfFile(path: string, options: PdfRenderOptions): Promise<FeatureImage[]> {
  return renderPdf(await readFile(path), path, options);
}

/** Page images are named `<file>-p<N>` when every page is kept, `<file>` for the first page only. */
export function pageName(file: string, page: number, options: PdfRenderOptions): string {
  return options.pages === "all" ? `${stem(file)}-p${page}` : stem(file);
}

export function parseSeriesFile(text: string, file: string, format: SeriesFileFormat): ParsedSeries {
  return format === "ucr" ? parseUcrTolerant(text, file) : parseLongCsvTolerant(text, file);
}

/** The series format of a file: long CSV when its first line is a header naming id, t and value. */
export function detectSeriesFormat(text: string): SeriesFileFormat {
  const header = (text.split(/\r?\n/, 1)[0] ?? "")
    .toLowerCase()
    .split(",")
    .map((field) => field.trim());
  return ["id", "t", "value"].every((name) => header.includes(name)) ? "long-csv" : "ucr";
}

type RawSeries = ArrayLike<number> | ArrayLike<number>[];

function toChannels(series: RawSeries): Float64Array[] {
  const first = (series as ArrayLike<unknown>)[0];
  const channels = typeof first === "number" ? [series as ArrayLike<number>] : Array.from(series as ArrayLike<number>[]);
  return channels.map((channel) => Float64Array.from(channel));
}

/**
 * Applies a stored conversion to one raw input: a .wav or .pdf path, a series file path, or a
 * series given as numbers (one channel) or arrays of numbers (channels). Throws on bad input.
 */
export async function convertInput(conversion: Conversion, input: string | RawSeries): Promise<ConvertedImage[]> {
  if (conversion.kind === "audio") {
    if (typeof input !== "string") throw new Error("audio conversion takes a .wav file path");
    return [await withPng(conversion, stem(input), await convertAudioFile(input, conversion.options))];
  }
  if (conversion.kind === "document") {
    if (typeof input !== "string") throw new Error("document conversion takes a .pdf file path");
    const pages = await convertPdfFile(input, conversion.options);
    return Promise.all(pages.map((image, i) => withPng(conversion, pageName(input, i + 1, conversion.options), image)));
  }
  if (typeof input !== "string") return [await withPng(conversion, "series", seriesToImage(toChannels(input), conversion.options))];
  const { series, failures } = parseSeriesFile(await readFile(input, "utf8"), input, conversion.format);
  if (failures[0] !== undefined) throw failures[0];
  return Promise.all(series.map((item) => withPng(conversion, item.id, seriesToImage(item.channels, conversion.options))));
}
