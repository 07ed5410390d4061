/**
 * The flags of `runboard-train convert`: one per conversion option, named as librosa and
 * pyts name them, with the defaults taken from the option modules (so --help never drifts).
 */
import { defaultPdfRenderOptions, defaultSeriesImageOptions, defaultSpectrogramOptions, type ConversionKind, seriesEncodings } from "../convert/index.ts";
import { type FlagValues, numberFlag, UsageError } from "./options.ts";

type FlagType = "integer" | "number" | "number-or-none" | "boolean" | "choice" | "choice-list" | "integer-list";

export interface OptionFlag {
  flag: string;
  /** The option key in conversion.json. */
  option: string;
  kind: ConversionKind;
  type: FlagType;
  choices?: readonly string[];
  /** Lower bound of numbers (inclusive unless exclusiveMin). */
  min?: number;
  exclusiveMin?: boolean;
  /** List flags: exact item count. */
  count?: number;
  help: string;
}

const audio = defaultSpectrogramOptions;
const series = defaultSeriesImageOptions;
const pdf = defaultPdfRenderOptions;

export const OPTION_FLAGS: readonly OptionFlag[] = [
  {
    flag: "sample-rate",
    option: "sampleRate",
    kind: "audio",
    type: "number",
    min: 0,
    exclusiveMin: true,
    help: "resample every file to this rate in Hz (default: the files' most common rate)",
  },
  {
    flag: "duration",
    option: "durationSeconds",
    kind: "audio",
    type: "number",
    min: 0,
    exclusiveMin: true,
    help: "pad or crop every clip to this many seconds (default: the longest clip)",
  },
  {
    flag: "pad",
    option: "pad",
    kind: "audio",
    type: "choice",
    choices: ["end", "center"],
    help: `where short clips get zeros: end|center (default ${audio.pad})`,
  },
  {
    flag: "crop",
    option: "crop",
    kind: "audio",
    type: "choice",
    choices: ["start", "center"],
    help: `what long clips keep: start|center (default ${audio.crop})`,
  },
  { flag: "n-fft", option: "nFft", kind: "audio", type: "integer", min: 4, help: `FFT window length, a power of two (default ${audio.nFft})` },
  { flag: "hop-length", option: "hopLength", kind: "audio", type: "integer", min: 1, help: `samples between frames (default ${audio.hopLength})` },
  { flag: "n-mels", option: "nMels", kind: "audio", type: "integer", min: 1, help: `mel bands, the image height (default ${audio.nMels})` },
  { flag: "fmin", option: "fmin", kind: "audio", type: "number", min: 0, help: `lowest mel frequency in Hz (default ${audio.fmin})` },
  {
    flag: "fmax",
    option: "fmax",
    kind: "audio",
    type: "number",
    min: 0,
    exclusiveMin: true,
    help: "highest mel frequency in Hz (default: half the sample rate)",
  },
  { flag: "htk", option: "htk", kind: "audio", type: "boolean", help: "HTK mel scale (default: Slaney's, as librosa)" },
  {
    flag: "norm",
    option: "norm",
    kind: "audio",
    type: "choice",
    choices: ["slaney", "none"],
    help: `mel filter normalization: slaney|none (default ${audio.norm})`,
  },
  {
    flag: "power",
    option: "power",
    kind: "audio",
    type: "number",
    min: 0,
    exclusiveMin: true,
    help: `exponent of the magnitude: 2 power, 1 magnitude (default ${audio.power})`,
  },
  {
    flag: "top-db",
    option: "topDb",
    kind: "audio",
    type: "number-or-none",
    min: 0,
    exclusiveMin: true,
    help: `dB floor below the peak, or 'none' (default ${audio.topDb})`,
  },
  {
    flag: "channels",
    option: "channels",
    kind: "audio",
    type: "choice",
    choices: ["mel", "deltas", "windows"],
    help: `image channels: mel | deltas (log-mel, delta, delta-delta) | windows (three --window-sizes) (default ${audio.channels})`,
  },
  {
    flag: "window-sizes",
    option: "windowSizes",
    kind: "audio",
    type: "integer-list",
    count: 3,
    min: 4,
    help: `three FFT sizes for --channels windows (default ${audio.windowSizes.join(",")})`,
  },
  {
    flag: "scaling",
    option: "scaling",
    kind: "audio",
    type: "choice",
    choices: ["db-range", "minmax"],
    help: `dB to pixels: db-range ([-top-db, 0] → 0-255) | minmax (default ${audio.scaling})`,
  },
  {
    flag: "image-size",
    option: "imageSize",
    kind: "timeseries",
    type: "integer",
    min: 2,
    help: `side of the square image; series reduced by PAA (default ${series.imageSize})`,
  },
  {
    flag: "encodings",
    option: "encodings",
    kind: "timeseries",
    type: "choice-list",
    choices: seriesEncodings,
    help: `comma-separated ${seriesEncodings.join(",")}, one image channel each (default ${series.encodings.join(",")})`,
  },
  {
    flag: "mtf-bins",
    option: "mtfBins",
    kind: "timeseries",
    type: "integer",
    min: 2,
    help: `quantile bins of the Markov transition field (default ${series.mtfBins})`,
  },
  {
    flag: "recurrence-distance",
    option: "recurrenceThreshold",
    kind: "timeseries",
    type: "number",
    min: 0,
    help: "recurrence plot: 1 where |xi - xj| ≤ this (default: unthresholded distances)",
  },
  {
    flag: "recurrence-fraction",
    option: "recurrenceThreshold",
    kind: "timeseries",
    type: "number",
    min: 0,
    help: "recurrence plot: threshold as a fraction of the largest distance, 0-1",
  },
  { flag: "pages", option: "pages", kind: "document", type: "choice", choices: ["first", "all"], help: `pages per document: first|all (default ${pdf.pages})` },
  {
    flag: "max-pages",
    option: "maxPages",
    kind: "document",
    type: "integer",
    min: 1,
    help: `with --pages all, at most this many pages (default ${pdf.maxPages})`,
  },
  { flag: "width", option: "width", kind: "document", type: "number-or-none", min: 8, help: `page width in pixels, or 'none' (default ${pdf.width})` },
  {
    flag: "height",
    option: "height",
    kind: "document",
    type: "number-or-none",
    min: 8,
    help: "page height in pixels; with --width the page is fitted inside (default none)",
  },
  { flag: "color", option: "color", kind: "document", type: "choice", choices: ["gray", "rgb"], help: `gray|rgb (default ${pdf.color})` },
];

/** parseArgs options for every flag of every kind. */
export function parseConfig(): Record<string, { type: "string" | "boolean" }> {
  return Object.fromEntries(OPTION_FLAGS.map((spec) => [spec.flag, { type: spec.type === "boolean" ? "boolean" : "string" }]));
}

function choice(spec: OptionFlag, text: string): string {
  if (!spec.choices!.includes(text)) throw new UsageError(`--${spec.flag} must be one of ${spec.choices!.join(", ")}, got '${text}'`);
  return text;
}

function listItems(spec: OptionFlag, text: string): string[] {
  const items = text.split(",").map((item) => item.trim());
  if (items.some((item) => item === "") || (spec.count !== undefined && items.length !== spec.count)) {
    throw new UsageError(`--${spec.flag} must be ${spec.count ?? "one or more"} comma-separated values, got '${text}'`);
  }
  return items;
}

function flagValue(spec: OptionFlag, values: FlagValues): unknown {
  const rule = { min: spec.min, exclusiveMin: spec.exclusiveMin };
  const text = values[spec.flag];
  if (typeof text !== "string") return true;
  switch (spec.type) {
    case "integer":
      return numberFlag(values, spec.flag, 0, { ...rule, integer: true });
    case "number":
      return numberFlag(values, spec.flag, 0, rule);
    case "number-or-none":
      return text === "none" ? null : numberFlag(values, spec.flag, 0, rule);
    case "choice":
      return choice(spec, text);
    case "choice-list":
      return listItems(spec, text).map((item) => choice(spec, item));
    case "integer-list":
      return listItems(spec, text).map((item) => numberFlag({ [spec.flag]: item }, spec.flag, 0, { ...rule, integer: true }));
    default:
      return true;
  }
}

/** The options the flags set for `kind`; a flag of another kind is a usage error naming it. */
export function optionsFromFlags(kind: ConversionKind, values: FlagValues): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const spec of OPTION_FLAGS) {
    if (values[spec.flag] === undefined) continue;
    if (spec.kind !== kind)
      throw new UsageError(
        `--${spec.flag} is a ${spec.kind} flag; convert ${kind} takes ${flagsOf(kind)
          .map((f) => `--${f.flag}`)
          .join(", ")}`,
      );
    const value = flagValue(spec, values);
    if (spec.flag === "recurrence-distance") options[spec.option] = { distance: value };
    else if (spec.flag === "recurrence-fraction") options[spec.option] = { fractionOfMax: value };
    else options[spec.option] = value;
  }
  if (values["recurrence-distance"] !== undefined && values["recurrence-fraction"] !== undefined) {
    throw new UsageError("--recurrence-distance and --recurrence-fraction exclude each other");
  }
  return options;
}

export function flagsOf(kind: ConversionKind): OptionFlag[] {
  return OPTION_FLAGS.filter((spec) => spec.kind === kind);
}

/** Rewrites an option validator's message ("spectrogram option nFft/windowSizes must …") to name the flags. */
export function withFlagNames(kind: ConversionKind, message: string): string {
  const field = /option (\S+)/.exec(message)?.[1];
  if (!field) return message;
  const flags = field.split("/").flatMap((name) =>
    flagsOf(kind)
      .filter((spec) => spec.option === name.split(".")[0])
      .map((spec) => `--${spec.flag}`),
  );
  return flags.length > 0 ? `${[...new Set(flags)].join("/")}: ${message}` : message;
}

export function flagHelp(kind: ConversionKind): string {
  const argument = (spec: OptionFlag) => (spec.type === "boolean" ? "" : spec.type.endsWith("list") ? " A,B" : spec.type === "choice" ? " X" : " N");
  return flagsOf(kind)
    .map((spec) => `    --${`${spec.flag}${argument(spec)}`.padEnd(22)} ${spec.help}`)
    .join("\n");
}
