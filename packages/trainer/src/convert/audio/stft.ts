/**
 * Short-time Fourier transform power spectrogram as librosa's `stft` + `abs(...)**power`:
 * periodic Hann window of length nFft, frames centered (the signal padded with nFft/2 zeros
 * each side, librosa ≥ 0.10's default pad mode "constant"), so there are 1 + floor(n / hop)
 * frames whatever nFft is. FFT by fft.js (radix-4, power-of-two sizes).
 */
import FFT from "fft.js";

export interface StftOptions {
  nFft: number;
  hopLength: number;
  /** 2 for power (librosa's default), 1 for magnitude. */
  power: number;
}

/** Frequency-major spectrogram: `data[bin * frames + frame]`, bins = nFft / 2 + 1. */
export interface Spectrogram {
  bins: number;
  frames: number;
  data: Float64Array;
}

export function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value >= 2 && (value & (value - 1)) === 0;
}

export function hannWindow(length: number): Float64Array {
  const window = new Float64Array(length);
  for (let i = 0; i < length; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
  return window;
}

export function frameCount(sampleCount: number, hopLength: number): number {
  return 1 + Math.floor(sampleCount / hopLength);
}

function fillFrame(frame: Float64Array, samples: Float32Array, start: number, window: Float64Array): void {
  for (let i = 0; i < frame.length; i++) {
    const index = start + i;
    const sample = index >= 0 && index < samples.length ? (samples[index] as number) : 0;
    frame[i] = sample * (window[i] as number);
  }
}

export function powerSpectrogram(samples: Float32Array, options: StftOptions): Spectrogram {
  const { nFft, hopLength, power } = options;
  if (!isPowerOfTwo(nFft) || nFft < 4) throw new Error(`stft: nFft must be a power of two ≥ 4, got ${nFft}`);
  if (!Number.isInteger(hopLength) || hopLength < 1) throw new Error(`stft: hopLength must be a positive integer, got ${hopLength}`);
  const fft = new FFT(nFft);
  const window = hannWindow(nFft);
  const bins = nFft / 2 + 1;
  const frames = frameCount(samples.length, hopLength);
  const data = new Float64Array(bins * frames);
  const frame = new Float64Array(nFft);
  const spectrum = new Float64Array(2 * nFft);
  for (let t = 0; t < frames; t++) {
    fillFrame(frame, samples, t * hopLength - nFft / 2, window);
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < bins; k++) {
      const re = spectrum[2 * k] as number;
      const im = spectrum[2 * k + 1] as number;
      const squared = re * re + im * im;
      data[k * frames + t] = power === 2 ? squared : Math.pow(squared, power / 2);
    }
  }
  return { bins, frames, data };
}
