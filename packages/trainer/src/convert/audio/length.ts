/**
 * Fixed-length policy: every clip becomes exactly `length` samples, so every spectrogram of a
 * dataset has the same width. Short clips are padded with zeros (at the end, as librosa's
 * fix_length, or evenly on both sides); long ones are cropped (keeping the start, or the
 * middle).
 */
export type PadPosition = "end" | "center";
export type CropPosition = "start" | "center";

export function fixLength(samples: Float32Array, length: number, pad: PadPosition, crop: CropPosition): Float32Array {
  if (!Number.isInteger(length) || length < 1) throw new Error(`fixLength: length must be a positive integer, got ${length}`);
  if (samples.length === length) return samples.slice();
  if (samples.length > length) {
    const start = crop === "start" ? 0 : Math.floor((samples.length - length) / 2);
    return samples.slice(start, start + length);
  }
  const output = new Float32Array(length);
  const offset = pad === "end" ? 0 : Math.floor((length - samples.length) / 2);
  output.set(samples, offset);
  return output;
}
