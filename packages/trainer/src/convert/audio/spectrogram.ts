/**
 * Audio to a log-mel image: resample, fix the length, STFT, mel filterbank, power_to_db, and
 * optional extra channels. Image rows are mel bands with the lowest at the bottom row, the
 * way spectrograms are drawn; columns are frames.
 */
import { type ChannelScale, type FeatureImage, createFeatureImage } from "../image.ts";
import { delta } from "./delta.ts";
import { fixLength } from "./length.ts";
import { applyFilterbank, melFilterbank, powerToDb } from "./mel.ts";
import type { SpectrogramOptions } from "./options.ts";
import { resample } from "./resample.ts";
import { powerSpectrogram } from "./stft.ts";

/** Log-mel power in dB, `[mel * frames + frame]`. */
export interface LogMel {
  nMels: number;
  frames: number;
  db: Float64Array;
}

export function logMelSpectrogram(samples: Float32Array, sampleRate: number, nFft: number, options: SpectrogramOptions): LogMel {
  const fmax = options.fmax ?? sampleRate / 2;
  if (fmax > sampleRate / 2) throw new Error(`spectrogram option fmax (${fmax} Hz) is above the Nyquist frequency ${sampleRate / 2} Hz`);
  const spectrogram = powerSpectrogram(samples, { nFft, hopLength: options.hopLength, power: options.power });
  const weights = melFilterbank({ sampleRate, nFft, nMels: options.nMels, fmin: options.fmin, fmax, htk: options.htk, norm: options.norm });
  const mel = applyFilterbank(weights, options.nMels, spectrogram);
  // power_to_db on a magnitude (power 1) spectrogram would halve the dB: librosa uses amplitude_to_db there.
  const power = options.power === 2 ? mel : mel.map((value) => Math.pow(value, 2 / options.power));
  const db = powerToDb(power, { ref: "max", amin: 1e-10, topDb: options.topDb });
  return { nMels: options.nMels, frames: spectrogram.frames, db };
}

/** Resampled to the target rate and fixed to the target length, as the options say. */
export function prepareSamples(samples: Float32Array, sourceRate: number, options: SpectrogramOptions): { samples: Float32Array; sampleRate: number } {
  const sampleRate = options.sampleRate ?? sourceRate;
  let prepared = sourceRate === sampleRate ? samples : resample(samples, sourceRate, sampleRate);
  if (options.durationSeconds !== null) {
    prepared = fixLength(prepared, Math.round(options.durationSeconds * sampleRate), options.pad, options.crop);
  }
  if (prepared.length === 0) throw new Error("audio has no samples");
  return { samples: prepared, sampleRate };
}

function channelPlanes(samples: Float32Array, sampleRate: number, options: SpectrogramOptions): { planes: Float64Array[]; nMels: number; frames: number } {
  if (options.channels === "windows") {
    const mels = options.windowSizes.map((nFft) => logMelSpectrogram(samples, sampleRate, nFft, options));
    return { planes: mels.map((mel) => mel.db), nMels: options.nMels, frames: mels[0]!.frames };
  }
  const mel = logMelSpectrogram(samples, sampleRate, options.nFft, options);
  if (options.channels === "mel") return { planes: [mel.db], nMels: mel.nMels, frames: mel.frames };
  const width = Math.min(9, mel.frames % 2 === 1 ? mel.frames : mel.frames - 1);
  if (width < 3) throw new Error(`audio gives ${mel.frames} frames; deltas need at least 3`);
  const first = delta(mel.db, mel.nMels, mel.frames, 1, width);
  const second = delta(mel.db, mel.nMels, mel.frames, 2, width);
  return { planes: [mel.db, first, second], nMels: mel.nMels, frames: mel.frames };
}

/** Float CHW image of the audio, from samples at `sourceRate`. */
export function audioToImage(samples: Float32Array, sourceRate: number, options: SpectrogramOptions): FeatureImage {
  const prepared = prepareSamples(samples, sourceRate, options);
  const { planes, nMels, frames } = channelPlanes(prepared.samples, prepared.sampleRate, options);
  const image = createFeatureImage(planes.length, nMels, frames);
  planes.forEach((plane, c) => {
    for (let m = 0; m < nMels; m++) {
      const row = nMels - 1 - m; // lowest band at the bottom
      for (let t = 0; t < frames; t++) image.data[(c * nMels + row) * frames + t] = plane[m * frames + t]!;
    }
  });
  return image;
}

/** How each channel of `audioToImage`'s output maps to PNG levels. */
export function audioChannelScales(options: SpectrogramOptions): ChannelScale[] {
  const dbScale: ChannelScale = options.scaling === "db-range" && options.topDb !== null ? { kind: "fixed", min: -options.topDb, max: 0 } : { kind: "minmax" };
  if (options.channels === "mel") return [dbScale];
  if (options.channels === "windows") return [dbScale, dbScale, dbScale];
  const deltaScale: ChannelScale = options.scaling === "db-range" ? { kind: "symmetric" } : { kind: "minmax" };
  return [dbScale, deltaScale, deltaScale];
}
