/** Time-series-to-image parameters, validated and fully resolved (stored in conversion.json). */
import type { RecurrenceThreshold } from "./recurrence.ts";

export const seriesEncodings = ["gasf", "gadf", "mtf", "recurrence"] as const;
export type SeriesEncoding = (typeof seriesEncodings)[number];

export interface SeriesImageOptions {
  /** Side of the square image; each series is reduced (or stretched) to it by PAA. */
  imageSize: number;
  /** Encodings applied to every channel; image channels are channel-major: c0e0, c0e1, …, c1e0, … */
  encodings: SeriesEncoding[];
  /** Quantile bins of the Markov transition field. */
  mtfBins: number;
  /** null: the unthresholded distance plot. */
  recurrenceThreshold: RecurrenceThreshold | null;
}

export const defaultSeriesImageOptions: SeriesImageOptions = {
  imageSize: 64,
  encodings: ["gasf"],
  mtfBins: 8,
  recurrenceThreshold: null,
};

function fail(field: string, rule: string, value: unknown): never {
  throw new Error(`time series option ${field} ${rule}, got ${JSON.stringify(value)}`);
}

function validateThreshold(threshold: RecurrenceThreshold | null): void {
  if (threshold === null) return;
  if ("distance" in threshold) {
    if (!(threshold.distance >= 0)) fail("recurrenceThreshold.distance", "must be ≥ 0", threshold.distance);
  } else if ("fractionOfMax" in threshold) {
    const fraction = threshold.fractionOfMax;
    if (!(fraction >= 0 && fraction <= 1)) fail("recurrenceThreshold.fractionOfMax", "must be in [0, 1]", fraction);
  } else {
    fail("recurrenceThreshold", "must be null, { distance } or { fractionOfMax }", threshold);
  }
}

export function resolveSeriesImageOptions(overrides: Partial<SeriesImageOptions> = {}): SeriesImageOptions {
  for (const key of Object.keys(overrides)) if (!(key in defaultSeriesImageOptions)) fail(key, "is not a time series option", key);
  const options: SeriesImageOptions = { ...defaultSeriesImageOptions, ...overrides };
  if (!Number.isInteger(options.imageSize) || options.imageSize < 2 || options.imageSize > 1024) {
    fail("imageSize", "must be an integer from 2 to 1024", options.imageSize);
  }
  if (!Array.isArray(options.encodings) || options.encodings.length === 0) fail("encodings", "must list at least one encoding", options.encodings);
  for (const encoding of options.encodings) {
    if (!seriesEncodings.includes(encoding)) fail("encodings", `must hold only ${seriesEncodings.join(", ")}`, encoding);
  }
  if (!Number.isInteger(options.mtfBins) || options.mtfBins < 2) fail("mtfBins", "must be an integer ≥ 2", options.mtfBins);
  validateThreshold(options.recurrenceThreshold);
  return options;
}
