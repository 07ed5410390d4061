/** Generated signals whose spectra are known: pure tones and square waves. */

export function tone(frequency: number, sampleRate: number, length: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(length);
  for (let i = 0; i < length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return samples;
}

/** A square wave: odd harmonics at 1/k of the fundamental's amplitude. */
export function squareWave(frequency: number, sampleRate: number, length: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    samples[i] = Math.sin((2 * Math.PI * frequency * i) / sampleRate) >= 0 ? amplitude : -amplitude;
  }
  return samples;
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
