/**
 * runboard-train convert <kind> <input> <out>: raw audio, time series or PDFs into an image-folder
 * dataset (`<out>/<class>/<name>.png` + conversion.json), ready for `train`. Progress on stderr,
 * the counts on stdout; bad inputs are listed with their reason and the rest still converted.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import {
  type ConversionKind,
  type ConversionReport,
  type ConvertDatasetRequest,
  convertDataset,
  resolvePdfRenderOptions,
  resolveSeriesImageOptions,
  resolveSpectrogramOptions,
} from "../convert/index.ts";
import { formatDuration, progressLine } from "../learner/progress.ts";
import { flagHelp, optionsFromFlags, parseConfig, withFlagNames } from "./convert-flags.ts";
import { type FlagValues, parseFlags, stringFlag, UsageError } from "./options.ts";

export const CONVERT_USAGE = `runboard-train convert <audio|timeseries|document> <input> <out-folder> [options]
  turns raw data into an image-folder dataset (<out>/<class>/<name>.png + conversion.json) for train;
  <out-folder> must not exist yet. Common options:
    --labels X               audio/document classes from: auto | folders (one folder per class) |
                             filename-prefix ("<class>_<name>.wav") (default auto)
    --format X               timeseries file format: auto | ucr (label, values…) | long-csv (id,t,value[,channel][,label]) (default auto)
    --quiet                  no progress
  audio (<input>: a folder of .wav files; log-mel spectrograms with librosa's defaults):
${flagHelp("audio")}
  timeseries (<input>: one UCR .tsv/.csv file or long CSV):
${flagHelp("timeseries")}
  document (<input>: a folder of .pdf files):
${flagHelp("document")}`;

const KINDS: readonly ConversionKind[] = ["audio", "timeseries", "document"];

const CONVERT_FLAGS = {
  ...parseConfig(),
  labels: { type: "string" },
  format: { type: "string" },
  quiet: { type: "boolean" },
} as const;

function kindOf(text: string | undefined): ConversionKind {
  if (!text || !(KINDS as readonly string[]).includes(text))
    throw new UsageError(`convert needs a kind first: ${KINDS.join(", ")}${text ? `, got '${text}'` : ""}`);
  return text as ConversionKind;
}

function checkPaths(kind: ConversionKind, input: string | undefined, out: string | undefined): { input: string; out: string } {
  if (!input || !out) throw new UsageError(`convert ${kind} needs an input and an output folder`);
  if (!existsSync(input)) throw new UsageError(`input: no such file or folder '${input}'`);
  const isFolder = statSync(input).isDirectory();
  if (kind === "timeseries" && isFolder) throw new UsageError(`input: convert timeseries takes one series file (UCR or long CSV), got the folder '${input}'`);
  if (kind !== "timeseries" && !isFolder)
    throw new UsageError(`input: convert ${kind} takes a folder of ${kind === "audio" ? ".wav" : ".pdf"} files, got the file '${input}'`);
  if (existsSync(out)) throw new UsageError(`out: '${out}' already exists; convert into a new folder`);
  return { input: resolve(input), out: resolve(out) };
}

function choiceFlag<T extends string>(values: FlagValues, flag: string, allowed: readonly T[], fallback: T): T {
  const text = stringFlag(values, flag);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got '${text}'`);
  return text as T;
}

/** The request the flags describe, with every option validated before any file is read. */
function buildRequest(kind: ConversionKind, values: FlagValues, source: string, outDir: string): ConvertDatasetRequest {
  const options = optionsFromFlags(kind, values);
  if (kind === "timeseries" && values.labels !== undefined) throw new UsageError("--labels is for audio and document; a series file carries its labels");
  if (kind !== "timeseries" && values.format !== undefined) throw new UsageError("--format is for timeseries files");
  try {
    if (kind === "audio") resolveSpectrogramOptions(options);
    else if (kind === "timeseries") resolveSeriesImageOptions(options);
    else resolvePdfRenderOptions(options);
  } catch (error) {
    throw new UsageError(withFlagNames(kind, (error as Error).message));
  }
  if (kind === "timeseries") return { kind, source, outDir, format: choiceFlag(values, "format", ["auto", "ucr", "long-csv"] as const, "auto"), options };
  const labels = choiceFlag(values, "labels", ["auto", "folders", "filename-prefix"] as const, "auto");
  return kind === "audio" ? { kind, source, outDir, labels, options } : { kind, source, outDir, labels, options };
}

/** Progress on stderr: redrawn in place on a terminal, else a line at most every 10%. */
function progressPrinter(stream: NodeJS.WriteStream): ConvertDatasetRequest["onProgress"] {
  const started = performance.now();
  let lastDecile = -1;
  return ({ done, total }) => {
    const line = progressLine("convert", done, total, (performance.now() - started) / 1000, 30);
    if (stream.isTTY) {
      stream.write(`\r${line}${done === total ? "\n" : ""}`);
    } else {
      const decile = Math.floor((10 * done) / total);
      if (decile > lastDecile || done === total) stream.write(`${line}\n`);
      lastDecile = decile;
    }
  };
}

function printReport(report: ConversionReport, out: string): void {
  for (const failure of report.failures) process.stderr.write(`failed ${failure.file}: ${failure.reason}\n`);
  const { inputs, converted, failed, images } = report.counts;
  process.stdout.write(
    `converted ${converted}/${inputs} inputs into ${images} images of ${report.classes.length} classes (${report.classes.join(", ")}), ` +
      `${failed} failed, in ${formatDuration(report.seconds)} → ${out}\n`,
  );
}

export async function convertCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, CONVERT_FLAGS);
  const kind = kindOf(positionals[0]);
  if (positionals.length > 3)
    throw new UsageError(`convert takes a kind, an input and an output folder, got ${positionals.length} arguments: ${positionals.join(" ")}`);
  const paths = checkPaths(kind, positionals[1], positionals[2]);
  const request = buildRequest(kind, values, paths.input, paths.out);
  if (!values.quiet) request.onProgress = progressPrinter(process.stderr);
  printReport(await convertDataset(request), paths.out);
}
