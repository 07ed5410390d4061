/**
 * Mel filterbank and decibel scaling as librosa's `filters.mel` and `power_to_db`.
 * Slaney mel scale (htk=False): linear below 1 kHz at 200/3 Hz per mel, logarithmic above
 * with 27 mels per factor 6.4; or HTK's 2595·log10(1 + f/700). Triangles between
 * neighbouring mel points; Slaney norm divides each by its width in Hz (area 1).
 */
import type { Spectrogram } from "./stft.ts";

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, htk: boolean): number {
  if (htk) return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHz(mel: number, htk: boolean): number {
  if (htk) return 700 * (Math.pow(10, mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** `count` frequencies evenly spaced in mel from fmin to fmax (librosa's mel_frequencies). */
export function melFrequencies(count: number, fmin: number, fmax: number, htk: boolean): Float64Array {
  const low = hzToMel(fmin, htk);
  const high = hzToMel(fmax, htk);
  const hz = new Float64Array(count);
  for (let i = 0; i < count; i++) hz[i] = melToHz(low + ((high - low) * i) / (count - 1), htk);
  return hz;
}

export interface MelOptions {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fmin: number;
  fmax: number;
  htk: boolean;
  norm: "slaney" | "none";
}

/** Weights `[mel * bins + bin]`, bins = nFft / 2 + 1. */
export function melFilterbank(options: MelOptions): Float64Array {
  const { sampleRate, nFft, nMels, fmin, fmax, htk, norm } = options;
  const bins = nFft / 2 + 1;
  const points = melFrequencies(nMels + 2, fmin, fmax, htk);
  const weights = new Float64Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const left = points[m] as number;
    const center = points[m + 1] as number;
    const right = points[m + 2] as number;
    const enorm = norm === "slaney" ? 2 / (right - left) : 1;
    for (let k = 0; k < bins; k++) {
      const hz = (k * sampleRate) / nFft;
      const rising = (hz - left) / (center - left);
      const falling = (right - hz) / (right - center);
      weights[m * bins + k] = Math.max(0, Math.min(rising, falling)) * enorm;
    }
  }
  return weights;
}

/** Mel spectrogram `[mel * frames + frame]` = filterbank · spectrogram. */
export function applyFilterbank(weights: Float64Array, nMels: number, spectrogram: Spectrogram): Float64Array {
  const { bins, frames, data } = spectrogram;
  const mel = new Float64Array(nMels * frames);
  for (let m = 0; m < nMels; m++) {
    for (let k = 0; k < bins; k++) {
      const weight = weights[m * bins + k] as number;
      if (weight === 0) continue;
      for (let t = 0; t < frames; t++) mel[m * frames + t] = (mel[m * frames + t] as number) + weight * (data[k * frames + t] as number);
    }
  }
  return mel;
}

export interface DbOptions {
  /** "max": relative to the loudest value (librosa's ref=np.max), or a fixed reference power. */
  ref: "max" | number;
  amin: number;
  /** Floor the output at (max - topDb); null keeps the full range. */
  topDb: number | null;
}

/** 10·log10(max(amin, S)) − 10·log10(max(amin, ref)), floored at max − topDb. */
export function powerToDb(power: Float64Array, options: DbOptions): Float64Array {
  let maxPower = 0;
  for (const value of power) if (value > maxPower) maxPower = value;
  const ref = options.ref === "max" ? maxPower : options.ref;
  const offset = 10 * Math.log10(Math.max(options.amin, ref));
  const db = new Float64Array(power.length);
  let maxDb = -Infinity;
  for (let i = 0; i < power.length; i++) {
    const value = 10 * Math.log10(Math.max(options.amin, power[i] as number)) - offset;
    db[i] = value;
    if (value > maxDb) maxDb = value;
  }
  if (options.topDb !== null) {
    const floor = maxDb - options.topDb;
    for (let i = 0; i < db.length; i++) if ((db[i] as number) < floor) db[i] = floor;
  }
  return db;
}
