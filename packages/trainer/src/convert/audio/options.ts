/**
 * Spectrogram parameters: librosa's defaults (melspectrogram + power_to_db(ref=np.max)),
 * validated, and fully resolved so a dataset's conversion.json can replay them exactly.
 */
import type { CropPosition, PadPosition } from "./length.ts";
import { isPowerOfTwo } from "./stft.ts";

export type AudioChannels = "mel" | "deltas" | "windows";

export interface SpectrogramOptions {
  /** Target rate in Hz; null keeps each file's own rate (a dataset fixes one). */
  sampleRate: number | null;
  /** Every clip padded or cropped to this many seconds; null keeps each clip's length. */
  durationSeconds: number | null;
  pad: PadPosition;
  crop: CropPosition;
  nFft: number;
  hopLength: number;
  nMels: number;
  fmin: number;
  /** null: half the sample rate. */
  fmax: number | null;
  htk: boolean;
  norm: "slaney" | "none";
  power: number;
  topDb: number | null;
  /**
   * "mel": one log-mel channel; "deltas": log-mel, delta, delta-delta (librosa width 9);
   * "windows": log-mel at the three `windowSizes` (same hop, so the same frames).
   */
  channels: AudioChannels;
  windowSizes: [number, number, number];
  /** PNG mapping: "db-range" maps [-topDb, 0] dB to 0-255 (deltas symmetric), "minmax" each image's own range. */
  scaling: "db-range" | "minmax";
}

export const defaultSpectrogramOptions: SpectrogramOptions = {
  sampleRate: null,
  durationSeconds: null,
  pad: "end",
  crop: "start",
  nFft: 2048,
  hopLength: 512,
  nMels: 128,
  fmin: 0,
  fmax: null,
  htk: false,
  norm: "slaney",
  power: 2,
  topDb: 80,
  channels: "mel",
  windowSizes: [512, 1024, 2048],
  scaling: "db-range",
};

function fail(field: string, rule: string, value: unknown): never {
  throw new Error(`spectrogram option ${field} ${rule}, got ${JSON.stringify(value)}`);
}

function positiveOrNull(field: string, value: number | null): void {
  if (value !== null && !(Number.isFinite(value) && value > 0)) fail(field, "must be a positive number or null", value);
}

function oneOf<T>(field: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) fail(field, `must be one of ${allowed.join(", ")}`, value);
}

function validateFrequencies(options: SpectrogramOptions): void {
  const sizes = options.channels === "windows" ? options.windowSizes : [options.nFft];
  for (const size of sizes) if (!isPowerOfTwo(size) || size < 4) fail("nFft/windowSizes", "must be powers of two ≥ 4", size);
  if (!Number.isInteger(options.hopLength) || options.hopLength < 1) fail("hopLength", "must be a positive integer", options.hopLength);
  if (!Number.isInteger(options.nMels) || options.nMels < 1) fail("nMels", "must be a positive integer", options.nMels);
  if (!(options.fmin >= 0)) fail("fmin", "must be ≥ 0", options.fmin);
  positiveOrNull("fmax", options.fmax);
  if (options.fmax !== null && options.fmax <= options.fmin) fail("fmax", `must be above fmin (${options.fmin})`, options.fmax);
}

export function resolveSpectrogramOptions(overrides: Partial<SpectrogramOptions> = {}): SpectrogramOptions {
  const options: SpectrogramOptions = { ...defaultSpectrogramOptions, ...overrides };
  for (const key of Object.keys(overrides)) {
    if (!(key in defaultSpectrogramOptions)) fail(key, "is not a spectrogram option", key);
  }
  positiveOrNull("sampleRate", options.sampleRate);
  positiveOrNull("durationSeconds", options.durationSeconds);
  oneOf("pad", options.pad, ["end", "center"]);
  oneOf("crop", options.crop, ["start", "center"]);
  validateFrequencies(options);
  oneOf("norm", options.norm, ["slaney", "none"]);
  if (!(options.power > 0)) fail("power", "must be positive (2 power, 1 magnitude)", options.power);
  positiveOrNull("topDb", options.topDb);
  oneOf("channels", options.channels, ["mel", "deltas", "windows"]);
  oneOf("scaling", options.scaling, ["db-range", "minmax"]);
  return options;
}
