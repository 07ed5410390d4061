import { describe, expect, it } from "vitest";
import { tone } from "../testing/signals.ts";
import { resample } from "./resample.ts";

function rms(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (values[i] as number) ** 2;
  return Math.sqrt(sum / (to - from));
}

describe("resample", () => {
  const cases = [
    { from: 16000, to: 8000 },
    { from: 8000, to: 22050 },
    { from: 22050, to: 16000 },
    { from: 44100, to: 8000 },
  ];
  for (const { from, to } of cases) {
    it(`${from} → ${to} Hz keeps a 440 Hz tone's frequency, amplitude and phase`, () => {
      const seconds = 0.5;
      const output = resample(tone(440, from, seconds * from), from, to);
      expect(output.length).toBe(Math.ceil(seconds * to));
      const expected = tone(440, to, output.length);
      // Away from the edges (where the kernel runs off the signal) the result is the ideal tone.
      const margin = Math.ceil(0.05 * to);
      let worst = 0;
      for (let i = margin; i < output.length - margin; i++) worst = Math.max(worst, Math.abs(output[i]! - expected[i]!));
      expect(worst).toBeLessThan(2e-3);
    });
  }

  it("removes content above the new Nyquist frequency instead of aliasing it", () => {
    const input = tone(3500, 16000, 8000);
    const output = resample(input, 16000, 4000);
    expect(rms(output, 200, output.length - 200)).toBeLessThan(0.01 * rms(input, 0, input.length));
  });

  it("rejects rates that are not positive", () => {
    expect(() => resample(new Float32Array(10), 0, 8000)).toThrow(/fromRate must be a positive number/);
  });
});
