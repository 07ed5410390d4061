/**
 * A WAV writer for tests: the reader's counterpart, written from the RIFF/WAVE layout, so
 * round trips check the decoder against an independent encoding.
 */
import type { SampleFormat } from "../audio/wav.ts";

export interface WavWriteOptions {
  sampleRate: number;
  format: SampleFormat;
  /** Write the fmt chunk as WAVE_FORMAT_EXTENSIBLE (40 bytes, SubFormat GUID). */
  extensible?: boolean;
}

const bitsOf: Record<SampleFormat, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 };

function writeSample(view: DataView, offset: number, value: number, format: SampleFormat): void {
  const clamped = Math.max(-1, Math.min(1, value));
  switch (format) {
    case "pcm8":
      return view.setUint8(offset, Math.min(255, Math.round(clamped * 128 + 128)));
    case "pcm16":
      return view.setInt16(offset, Math.min(32767, Math.round(clamped * 32768)), true);
    case "pcm24": {
      const level = Math.min(8388607, Math.round(clamped * 8388608));
      view.setUint16(offset, level & 0xffff, true);
      return view.setInt8(offset + 2, level >> 16);
    }
    case "pcm32":
      return view.setInt32(offset, Math.min(2147483647, Math.round(clamped * 2147483648)), true);
    case "float32":
      return view.setFloat32(offset, value, true);
    case "float64":
      return view.setFloat64(offset, value, true);
  }
}

function writeId(view: DataView, offset: number, id: string): void {
  for (let i = 0; i < 4; i++) view.setUint8(offset + i, id.charCodeAt(i));
}

/** Encodes channel arrays (all the same length) as a WAV file. */
export function encodeWav(channels: ArrayLike<number>[], options: WavWriteOptions): Uint8Array {
  const bits = bitsOf[options.format];
  const formatCode = options.format.startsWith("float") ? 3 : 1;
  const frames = channels[0]?.length ?? 0;
  const blockAlign = (channels.length * bits) / 8;
  const fmtSize = options.extensible ? 40 : 16;
  const dataSize = frames * blockAlign;
  const bytes = new Uint8Array(12 + 8 + fmtSize + 8 + dataSize);
  const view = new DataView(bytes.buffer);
  writeId(view, 0, "RIFF");
  view.setUint32(4, bytes.length - 8, true);
  writeId(view, 8, "WAVE");
  writeId(view, 12, "fmt ");
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, options.extensible ? 0xfffe : formatCode, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  if (options.extensible) {
    view.setUint16(36, 22, true); // cbSize
    view.setUint16(38, bits, true); // valid bits per sample
    view.setUint32(40, 0, true); // channel mask
    view.setUint16(44, formatCode, true); // SubFormat GUID, first two bytes
    const guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    guidTail.forEach((byte, i) => view.setUint8(46 + i, byte));
  }
  const dataStart = 20 + fmtSize;
  writeId(view, dataStart, "data");
  view.setUint32(dataStart + 4, dataSize, true);
  for (let frame = 0; frame < frames; frame++) {
    channels.forEach((channel, c) => {
      writeSample(view, dataStart + 8 + frame * blockAlign + (c * bits) / 8, channel[frame] as number, options.format);
    });
  }
  return bytes;
}
