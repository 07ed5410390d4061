/**
 * importDataset's conversion options: GraphQL enum values become the trainer's option strings,
 * and every value is checked by the trainer's own validators (plus the server's bounds below)
 * before anything is read or written, so a bad value is a field error naming the option.
 */
import { badInput } from "@runboard/db";
import {
  type ConvertDatasetRequest,
  type PdfRenderOptions,
  resolvePdfRenderOptions,
  resolveSeriesImageOptions,
  resolveSpectrogramOptions,
  type SeriesImageOptions,
  type SpectrogramOptions,
} from "@runboard/trainer/convert";

export const convertedKinds = ["AUDIO", "TIME_SERIES", "DOCUMENT"] as const;
export type ConvertedKind = (typeof convertedKinds)[number];

type Options = Record<string, unknown>;

export interface ConversionInput {
  kind: ConvertedKind;
  labels?: string | null | undefined;
  audio?: Options | null | undefined;
  timeSeries?: Options | null | undefined;
  document?: Options | null | undefined;
}

/** What convertDataset is asked to do, less the source and output folders. */
export type ConversionPlan = DistributiveOmit<ConvertDatasetRequest, "source" | "outDir" | "onProgress">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const optionsField = { AUDIO: "audio", TIME_SERIES: "timeSeries", DOCUMENT: "document" } as const;

/** Upper bounds the server keeps a request's images within (the trainer only bounds them below). */
const serverBounds: Record<ConvertedKind, Record<string, number>> = {
  AUDIO: { sampleRate: 192_000, durationSeconds: 600, nFft: 16_384, hopLength: 16_384, nMels: 512 },
  TIME_SERIES: { imageSize: 1_024, mtfBins: 256 },
  DOCUMENT: { maxPages: 500, width: 4_096, height: 4_096 },
};

/** FILENAME_PREFIX → "filename-prefix", DB_RANGE → "db-range", GASF → "gasf". */
const fromEnum = (value: unknown): unknown => (typeof value === "string" ? value.toLowerCase().replace(/_/g, "-") : value);

function trainerValues(options: Options): Options {
  return Object.fromEntries(
    Object.entries(options)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.map(fromEnum) : fromEnum(value)]),
  );
}

/** The trainer's "<kind> option <name> <rule>, got <value>" as a field error under `field`. */
function optionError(error: unknown, field: string, options: Options): never {
  const message = error instanceof Error ? error.message : String(error);
  const match = /option (\S+) (.+)$/.exec(message);
  if (match === null) throw badInput(field, message);
  // The trainer checks nFft and windowSizes together; name the one the caller uses.
  const option = match[1] === "nFft/windowSizes" ? (options.channels === "windows" ? "windowSizes" : "nFft") : match[1]!;
  throw badInput(`${field}.${option}`, match[2]!);
}

function checkBounds(kind: ConvertedKind, options: Options, field: string): void {
  for (const [option, max] of Object.entries(serverBounds[kind])) {
    const value = options[option];
    if (typeof value === "number" && value > max) throw badInput(`${field}.${option}`, `must be ≤ ${max.toLocaleString("en-US")} on this server`);
  }
}

function recurrenceThreshold(value: unknown, field: string): unknown {
  if (value === null || value === undefined) return value;
  const entries = Object.entries(value as Options).filter(([, v]) => v !== null && v !== undefined);
  if (entries.length !== 1) throw badInput(`${field}.recurrenceThreshold`, "must give exactly one of distance and fractionOfMax");
  return Object.fromEntries(entries);
}

function checkOnlyOwnOptions(input: ConversionInput): void {
  for (const [kind, field] of Object.entries(optionsField)) {
    if (kind !== input.kind && input[field] !== null && input[field] !== undefined) throw badInput(`input.${field}`, `applies to kind ${kind} only`);
  }
  if (input.kind === "TIME_SERIES" && input.labels !== null && input.labels !== undefined && input.labels !== "AUTO") {
    throw badInput("input.labels", "applies to AUDIO and DOCUMENT only (a series file holds its labels)");
  }
}

function resolveWith(resolveOptions: () => unknown, field: string, options: Options): void {
  try {
    resolveOptions();
  } catch (error) {
    optionError(error, field, options);
  }
}

/** Checks the options of a conversion import and resolves them into the convertDataset request. */
export function conversionPlan(input: ConversionInput): ConversionPlan {
  checkOnlyOwnOptions(input);
  const field = `input.${optionsField[input.kind]}`;
  const options = trainerValues(input[optionsField[input.kind]] ?? {});
  checkBounds(input.kind, options, field);
  const labels = fromEnum(input.labels ?? "AUTO") as "auto" | "folders" | "filename-prefix";
  if (input.kind === "AUDIO") {
    resolveWith(() => resolveSpectrogramOptions(options as Partial<SpectrogramOptions>), field, options);
    return { kind: "audio", labels, options: options as Partial<SpectrogramOptions> };
  }
  if (input.kind === "DOCUMENT") {
    resolveWith(() => resolvePdfRenderOptions(options as Partial<PdfRenderOptions>), field, options);
    return { kind: "document", labels, options: options as Partial<PdfRenderOptions> };
  }
  const { format, ...imageOptions } = options;
  if (imageOptions.recurrenceThreshold !== undefined) imageOptions.recurrenceThreshold = recurrenceThreshold(imageOptions.recurrenceThreshold, field);
  resolveWith(() => resolveSeriesImageOptions(imageOptions as Partial<SeriesImageOptions>), field, imageOptions);
  return { kind: "timeseries", format: (format ?? "auto") as "auto" | "ucr" | "long-csv", options: imageOptions as Partial<SeriesImageOptions> };
}
