/**
 * WAV (RIFF/WAVE) decoding by hand: PCM 8/16/24/32-bit, IEEE float 32/64, and both as
 * WAVE_FORMAT_EXTENSIBLE; any channel count (mixed down to mono) and any sample rate.
 * Every rejection names the file and the header field or chunk at fault.
 */
export interface DecodedWav {
  sampleRate: number;
  /** Channels in the file (the samples below are their mean). */
  channels: number;
  sampleFormat: SampleFormat;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
}

export type SampleFormat = "pcm8" | "pcm16" | "pcm24" | "pcm32" | "float32" | "float64";

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

export class WavError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    rule: string,
  ) {
    super(`${file}: ${field} ${rule}`);
    this.name = "WavError";
  }
}

interface FmtChunk {
  formatCode: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

interface Chunk {
  id: string;
  start: number;
  size: number;
}

function chunkId(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

function listChunks(view: DataView, file: string): Chunk[] {
  if (view.byteLength < 12) throw new WavError(file, "RIFF header", `needs 12 bytes, the file has ${view.byteLength}`);
  if (chunkId(view, 0) !== "RIFF") throw new WavError(file, "RIFF header", `must start with "RIFF", found "${chunkId(view, 0)}"`);
  if (chunkId(view, 8) !== "WAVE") throw new WavError(file, "RIFF form type", `must be "WAVE", found "${chunkId(view, 8)}"`);
  const chunks: Chunk[] = [];
  let offset = 12;
  while (offset + 8 <= view.byteLength) {
    const id = chunkId(view, offset);
    const size = view.getUint32(offset + 4, true);
    chunks.push({ id, start: offset + 8, size });
    offset += 8 + size + (size % 2); // chunks are padded to an even length
  }
  return chunks;
}

function readFmt(view: DataView, chunk: Chunk, file: string): FmtChunk {
  if (chunk.size < 16) throw new WavError(file, "fmt chunk", `must be at least 16 bytes, it is ${chunk.size}`);
  if (chunk.start + chunk.size > view.byteLength) throw new WavError(file, "fmt chunk", "is truncated");
  const at = chunk.start;
  let formatCode = view.getUint16(at, true);
  if (formatCode === FORMAT_EXTENSIBLE) {
    if (chunk.size < 40) throw new WavError(file, "fmt chunk", `of WAVE_FORMAT_EXTENSIBLE must be 40 bytes, it is ${chunk.size}`);
    // The first two bytes of the SubFormat GUID carry the real format code.
    formatCode = view.getUint16(at + 24, true);
  }
  return {
    formatCode,
    channels: view.getUint16(at + 2, true),
    sampleRate: view.getUint32(at + 4, true),
    blockAlign: view.getUint16(at + 12, true),
    bitsPerSample: view.getUint16(at + 14, true),
  };
}

function sampleFormatOf(fmt: FmtChunk, file: string): SampleFormat {
  const bits = fmt.bitsPerSample;
  if (fmt.formatCode === FORMAT_PCM) {
    if (bits === 8 || bits === 16 || bits === 24 || bits === 32) return `pcm${bits}`;
    throw new WavError(file, "fmt.bitsPerSample", `is ${bits}; PCM supports 8, 16, 24 or 32`);
  }
  if (fmt.formatCode === FORMAT_FLOAT) {
    if (bits === 32 || bits === 64) return `float${bits}`;
    throw new WavError(file, "fmt.bitsPerSample", `is ${bits}; IEEE float supports 32 or 64`);
  }
  throw new WavError(
    file,
    "fmt.audioFormat",
    `is ${fmt.formatCode} (0x${fmt.formatCode.toString(16)}); supported: 1 (PCM), 3 (IEEE float), 0xFFFE (extensible PCM or float)`,
  );
}

function validateFmt(fmt: FmtChunk, file: string): SampleFormat {
  const format = sampleFormatOf(fmt, file);
  if (fmt.channels < 1) throw new WavError(file, "fmt.numChannels", "must be at least 1, it is 0");
  if (fmt.sampleRate < 1) throw new WavError(file, "fmt.sampleRate", "must be positive, it is 0");
  const expectedAlign = (fmt.channels * fmt.bitsPerSample) / 8;
  if (fmt.blockAlign !== expectedAlign) {
    throw new WavError(file, "fmt.blockAlign", `is ${fmt.blockAlign}; ${fmt.channels} channels of ${fmt.bitsPerSample} bits need ${expectedAlign}`);
  }
  return format;
}

function readSample(view: DataView, offset: number, format: SampleFormat): number {
  switch (format) {
    case "pcm8":
      return (view.getUint8(offset) - 128) / 128; // 8-bit PCM is unsigned
    case "pcm16":
      return view.getInt16(offset, true) / 32768;
    case "pcm24": {
      const low = view.getUint16(offset, true);
      const high = view.getInt8(offset + 2);
      return (high * 65536 + low) / 8388608;
    }
    case "pcm32":
      return view.getInt32(offset, true) / 2147483648;
    case "float32":
      return view.getFloat32(offset, true);
    case "float64":
      return view.getFloat64(offset, true);
  }
}

function mixToMono(view: DataView, data: Chunk, fmt: FmtChunk, format: SampleFormat): Float32Array {
  const frames = data.size / fmt.blockAlign;
  const bytesPerSample = fmt.bitsPerSample / 8;
  const samples = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    const frameStart = data.start + frame * fmt.blockAlign;
    let sum = 0;
    for (let channel = 0; channel < fmt.channels; channel++) {
      sum += readSample(view, frameStart + channel * bytesPerSample, format);
    }
    samples[frame] = sum / fmt.channels;
  }
  return samples;
}

/** Decodes a WAV file's bytes; `file` names it in errors. */
export function decodeWav(bytes: Uint8Array, file: string): DecodedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = listChunks(view, file);
  const fmtChunk = chunks.find((chunk) => chunk.id === "fmt ");
  if (fmtChunk === undefined) throw new WavError(file, "fmt chunk", "is missing");
  const dataChunk = chunks.find((chunk) => chunk.id === "data");
  if (dataChunk === undefined) throw new WavError(file, "data chunk", "is missing");
  if (dataChunk.start < fmtChunk.start) throw new WavError(file, "data chunk", "comes before the fmt chunk");
  const fmt = readFmt(view, fmtChunk, file);
  const format = validateFmt(fmt, file);
  const available = view.byteLength - dataChunk.start;
  if (dataChunk.size > available) {
    throw new WavError(file, "data chunk", `is truncated: it declares ${dataChunk.size} bytes, the file holds ${available}`);
  }
  if (dataChunk.size % fmt.blockAlign !== 0) {
    throw new WavError(file, "data chunk", `size ${dataChunk.size} is not a whole number of ${fmt.blockAlign}-byte frames`);
  }
  const samples = mixToMono(view, dataChunk, fmt, format);
  return { sampleRate: fmt.sampleRate, channels: fmt.channels, sampleFormat: format, samples };
}
