import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { channelView, encodePng } from "../image.ts";
import { argmax, squareWave, tone } from "../testing/signals.ts";
import { delta } from "./delta.ts";
import { fixLength } from "./length.ts";
import { resolveSpectrogramOptions } from "./options.ts";
import { audioChannelScales, audioToImage, logMelSpectrogram } from "./spectrogram.ts";

/** Slaney mel, written out here independently of mel.ts. */
function slaneyMel(hz: number): number {
  return hz < 1000 ? (3 * hz) / 200 : 15 + (27 * Math.log(hz / 1000)) / Math.log(6.4);
}

/** Mean dB over frames for each mel band. */
function bandProfile(db: Float64Array, nMels: number, frames: number): number[] {
  return Array.from({ length: nMels }, (_, m) => db.subarray(m * frames, (m + 1) * frames).reduce((a, b) => a + b, 0) / frames);
}

describe("log-mel spectrogram with librosa's defaults", () => {
  const sampleRate = 22050;
  const options = resolveSpectrogramOptions();

  it("a pure tone peaks in the mel band whose center is nearest its frequency", () => {
    for (const frequency of [440, 1000, 3000]) {
      const mel = logMelSpectrogram(tone(frequency, sampleRate, sampleRate), sampleRate, 2048, options);
      expect(mel.nMels).toBe(128);
      expect(mel.frames).toBe(1 + Math.floor(sampleRate / 512));
      // Band m's triangle is centered at mel point m + 1 of nMels + 2 even points from 0 to mel(sr/2).
      const melStep = slaneyMel(sampleRate / 2) / 129;
      const expectedBand = Math.round(slaneyMel(frequency) / melStep) - 1;
      const peak = argmax(bandProfile(mel.db, mel.nMels, mel.frames));
      expect(Math.abs(peak - expectedBand)).toBeLessThanOrEqual(1);
      expect(Math.max(...mel.db)).toBe(0);
      expect(Math.min(...mel.db)).toBeGreaterThanOrEqual(-80);
    }
  });

  it("a square wave shows odd harmonics that a sine wave lacks", () => {
    const f0 = 300;
    const sine = logMelSpectrogram(tone(f0, sampleRate, sampleRate), sampleRate, 2048, options);
    const square = logMelSpectrogram(squareWave(f0, sampleRate, sampleRate), sampleRate, 2048, options);
    const sineProfile = bandProfile(sine.db, 128, sine.frames);
    const squareProfile = bandProfile(square.db, 128, square.frames);
    const melStep = slaneyMel(sampleRate / 2) / 129;
    for (const harmonic of [3, 5, 7]) {
      const band = Math.round(slaneyMel(harmonic * f0) / melStep) - 1;
      // The k-th odd harmonic of a square wave is 1/k of the fundamental: -20·log10(k) dB.
      expect(squareProfile[band]!).toBeGreaterThan(-20 * Math.log10(harmonic) - 8);
      expect(squareProfile[band]! - sineProfile[band]!).toBeGreaterThan(30);
    }
  });
});

describe("audioToImage", () => {
  const sampleRate = 8000;

  it("rows are mel bands with the lowest at the bottom, columns are frames", () => {
    const options = resolveSpectrogramOptions({ nFft: 256, hopLength: 64, nMels: 40, durationSeconds: 0.5 });
    const image = audioToImage(tone(200, sampleRate, 3000), sampleRate, options);
    expect(image).toMatchObject({ channels: 1, height: 40, width: 1 + Math.floor(4000 / 64) });
    const rowMeans = Array.from({ length: 40 }, (_, row) => image.data.subarray(row * image.width, (row + 1) * image.width).reduce((a, b) => a + b, 0));
    expect(argmax(rowMeans)).toBeGreaterThan(30); // 200 Hz is a low band: near the bottom
  });

  it("resamples to the target rate first: the same tone lands in the same band", () => {
    const options = resolveSpectrogramOptions({ nFft: 512, hopLength: 128, nMels: 32, sampleRate: 8000 });
    const native = audioToImage(tone(1500, 8000, 8000), 8000, options);
    const resampled = audioToImage(tone(1500, 22050, 22050), 22050, options);
    expect(resampled.width).toBe(native.width);
    const peakRow = (data: Float32Array, width: number): number =>
      argmax(Array.from({ length: 32 }, (_, row) => data.subarray(row * width, (row + 1) * width).reduce((a, b) => a + b, 0)));
    expect(peakRow(resampled.data, resampled.width)).toBe(peakRow(native.data, native.width));
  });

  it("deltas and windows variants give three channels of the same size", () => {
    const base = { nFft: 256, hopLength: 64, nMels: 32, windowSizes: [64, 128, 256] as [number, number, number] };
    const signal = tone(440, sampleRate, 4000);
    for (const channels of ["deltas", "windows"] as const) {
      const image = audioToImage(signal, sampleRate, resolveSpectrogramOptions({ ...base, channels }));
      expect(image).toMatchObject({ channels: 3, height: 32, width: 1 + Math.floor(4000 / 64) });
    }
    // A steady tone: the log-mel hardly changes in time, so its delta is near zero in the middle.
    const deltas = audioToImage(signal, sampleRate, resolveSpectrogramOptions({ ...base, channels: "deltas" }));
    const middle = channelView(deltas, 1).subarray(10 * deltas.width + 20, 10 * deltas.width + 40);
    expect(Math.max(...middle.map(Math.abs))).toBeLessThan(0.5);
  });

  it("writes a PNG whose brightest pixels are the tone's band (dB range to 0-255)", async () => {
    const options = resolveSpectrogramOptions({ nFft: 256, hopLength: 64, nMels: 40 });
    const image = audioToImage(tone(1000, sampleRate, 4000), sampleRate, options);
    const png = await encodePng(image, audioChannelScales(options));
    expect(await sharp(png).metadata()).toMatchObject({ format: "png", width: image.width, height: 40, channels: 1 });
    const data = await sharp(png).toColourspace("b-w").raw().toBuffer();
    const peakRow = Math.floor(argmax(data) / image.width);
    const floatPeakRow = Math.floor(argmax(image.data) / image.width);
    expect(peakRow).toBe(floatPeakRow);
    expect(Math.max(...data)).toBe(255);
  });
});

describe("delta (Savitzky-Golay, mode interp)", () => {
  it("is the exact slope of a line and the exact second difference of a parabola, edges included", () => {
    const frames = 20;
    const line = Float64Array.from({ length: frames }, (_, t) => 3 * t - 7);
    const parabola = Float64Array.from({ length: frames }, (_, t) => 0.5 * t * t - t + 2);
    delta(line, 1, frames, 1).forEach((value) => expect(value).toBeCloseTo(3, 9));
    delta(parabola, 1, frames, 2).forEach((value) => expect(value).toBeCloseTo(1, 9));
    // Interior order-1 weights are k / Σk² for k = -4..4 (Σk² = 60).
    const ramp = Float64Array.from({ length: frames }, (_, t) => (t === 10 ? 1 : 0));
    expect(delta(ramp, 1, frames, 1)[6]).toBeCloseTo(4 / 60, 12);
  });
});

describe("fixLength", () => {
  const clip = Float32Array.from([1, 2, 3, 4, 5]);
  it("pads with zeros at the end or evenly on both sides", () => {
    expect(Array.from(fixLength(clip, 8, "end", "start"))).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    expect(Array.from(fixLength(clip, 8, "center", "start"))).toEqual([0, 1, 2, 3, 4, 5, 0, 0]);
  });
  it("crops keeping the start or the middle", () => {
    expect(Array.from(fixLength(clip, 3, "end", "start"))).toEqual([1, 2, 3]);
    expect(Array.from(fixLength(clip, 3, "end", "center"))).toEqual([2, 3, 4]);
  });
});

describe("resolveSpectrogramOptions", () => {
  it("rejects bad values naming the option", () => {
    expect(() => resolveSpectrogramOptions({ nFft: 1000 })).toThrow(/nFft\/windowSizes must be powers of two/);
    expect(() => resolveSpectrogramOptions({ channels: "stereo" as never })).toThrow(/channels must be one of mel, deltas, windows/);
    expect(() => resolveSpectrogramOptions({ fmin: 500, fmax: 200 })).toThrow(/fmax must be above fmin/);
    expect(() => resolveSpectrogramOptions({ nMelz: 3 } as never)).toThrow(/nMelz is not a spectrogram option/);
  });
  it("rejects fmax above Nyquist at conversion time", () => {
    expect(() => audioToImage(tone(100, 8000, 800), 8000, resolveSpectrogramOptions({ nFft: 256, fmax: 6000 }))).toThrow(/Nyquist/);
  });
});
