import { Random } from "../../data/random.ts";

/**
 * The seeded generator of the synthetic models and new heads: the data pipeline's mulberry32
 * generator plus normal draws and a checkpointable state. Same seed, same weights, on every
 * machine.
 */
export class SeededRandom extends Random {
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    super(seed);
  }

  /** Standard normal by Box–Muller: z = √(−2 ln u₁) · cos(2π u₂). */
  normal(): number {
    const u1 = 1 - this.next(); // in (0, 1], so the log is finite
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Fills `out` with N(0, std²) samples. */
  fillNormal(out: Float32Array, std: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal() * std;
    return out;
  }

  /** Fills `out` with U(low, high) samples. */
  fillUniform(out: Float32Array, low: number, high: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** The full generator state, to store in a checkpoint and resume from. */
  getState(): number {
    return this.state;
  }

  setState(state: number): void {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) throw new Error(`random state must be a 32-bit unsigned integer, got ${state}`);
    this.state = state;
  }
}
