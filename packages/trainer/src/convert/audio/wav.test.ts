import { describe, expect, it } from "vitest";
import { encodeWav } from "../testing/wav-writer.ts";
import { tone } from "../testing/signals.ts";
import { type SampleFormat, WavError, decodeWav } from "./wav.ts";

const formats: { format: SampleFormat; step: number }[] = [
  { format: "pcm8", step: 1 / 128 },
  { format: "pcm16", step: 1 / 32768 },
  { format: "pcm24", step: 1 / 8388608 },
  { format: "pcm32", step: 1 / 2147483648 },
  { format: "float32", step: 1e-7 },
  { format: "float64", step: 1e-15 },
];

function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe("decodeWav round trips", () => {
  for (const { format, step } of formats) {
    for (const extensible of [false, true]) {
      it(`${format}${extensible ? " extensible" : ""}: samples back within half a quantization step`, () => {
        const signal = tone(440, 11025, 300, 0.9);
        const wav = decodeWav(encodeWav([signal], { sampleRate: 11025, format, extensible }), "tone.wav");
        expect(wav).toMatchObject({ sampleRate: 11025, channels: 1, sampleFormat: format });
        expect(wav.samples.length).toBe(300);
        expect(maxError(wav.samples, signal)).toBeLessThanOrEqual(step / 2 + 1e-7);
      });
    }
  }

  it("mixes stereo down to the mean of the channels", () => {
    const left = tone(300, 8000, 200, 0.6);
    const right = tone(500, 8000, 200, 0.3);
    const wav = decodeWav(encodeWav([left, right], { sampleRate: 8000, format: "pcm16" }), "stereo.wav");
    expect(wav.channels).toBe(2);
    const mean = left.map((value, i) => (value + right[i]!) / 2);
    expect(maxError(wav.samples, mean)).toBeLessThan(1e-4);
  });

  it("keeps any sample rate and skips unknown chunks", () => {
    const bytes = encodeWav([tone(100, 12345, 50)], { sampleRate: 12345, format: "pcm16" });
    // Insert a "LIST" chunk (odd size, padded) between fmt and data.
    const extra = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]);
    const withList = new Uint8Array(bytes.length + extra.length);
    withList.set(bytes.subarray(0, 36));
    withList.set(extra, 36);
    withList.set(bytes.subarray(36), 36 + extra.length);
    const wav = decodeWav(withList, "list.wav");
    expect(wav.sampleRate).toBe(12345);
    expect(wav.samples.length).toBe(50);
  });
});

describe("decodeWav rejections name the file and the field", () => {
  const valid = (): Uint8Array => encodeWav([tone(440, 8000, 100)], { sampleRate: 8000, format: "pcm16" });

  function rejection(bytes: Uint8Array): WavError {
    try {
      decodeWav(bytes, "clips/bad.wav");
    } catch (error) {
      if (error instanceof WavError) return error;
      throw error;
    }
    throw new Error("decodeWav accepted the file");
  }

  it("truncated data chunk", () => {
    const error = rejection(valid().subarray(0, 44 + 150));
    expect(error.message).toMatch(/^clips\/bad\.wav: data chunk is truncated: it declares 200 bytes, the file holds 150/);
  });

  it("unsupported format code", () => {
    const bytes = valid();
    new DataView(bytes.buffer).setUint16(20, 2, true); // 2 = Microsoft ADPCM
    expect(rejection(bytes).field).toBe("fmt.audioFormat");
    expect(rejection(bytes).message).toContain("clips/bad.wav");
  });

  it("PCM with an unsupported bit depth", () => {
    const bytes = valid();
    new DataView(bytes.buffer).setUint16(34, 12, true);
    expect(rejection(bytes).message).toBe("clips/bad.wav: fmt.bitsPerSample is 12; PCM supports 8, 16, 24 or 32");
  });

  it("float with 16 bits", () => {
    const bytes = valid();
    new DataView(bytes.buffer).setUint16(20, 3, true);
    expect(rejection(bytes).field).toBe("fmt.bitsPerSample");
  });

  it("block alignment that disagrees with channels and bits", () => {
    const bytes = valid();
    new DataView(bytes.buffer).setUint16(32, 4, true);
    expect(rejection(bytes).field).toBe("fmt.blockAlign");
  });

  it("not a RIFF file, a missing data chunk, a too-short file", () => {
    expect(rejection(new TextEncoder().encode("ID3\u0003 an mp3 file...")).field).toBe("RIFF header");
    expect(rejection(valid().subarray(0, 36)).field).toBe("data chunk");
    expect(rejection(valid().subarray(0, 8)).field).toBe("RIFF header");
  });
});
