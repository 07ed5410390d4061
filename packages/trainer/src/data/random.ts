/**
 * Seeded randomness for data pipelines. Every random draw for an item comes from a generator
 * seeded by (seed, epoch, item index), so results do not depend on which worker thread
 * prepares the item or in which order items are prepared.
 */

/** mulberry32: a small 32-bit generator, plenty for augmentation and shuffling. */
export class Random {
  protected state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [low, high], both ends included (like Python's random.randint). */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p >= 1 || this.next() < p;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(values: T[]): T[] {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = values[i] as T;
      values[i] = values[j] as T;
      values[j] = tmp;
    }
    return values;
  }
}

/** Combines integers into one well-mixed 32-bit seed (murmur3 finalizer per part). */
export function mixSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    hash = (hash + 0x27d4eb2f) >>> 0;
  }
  return hash >>> 0;
}

/** The seed of one item's random draws in one epoch. */
export function itemSeed(seed: number, epoch: number, index: number): number {
  return mixSeed(seed, epoch, index);
}

/** 0, 1, ..., n-1 shuffled by a generator seeded with `seed`. */
export function shuffledIndices(n: number, seed: number): number[] {
  return new Random(seed).shuffle(Array.from({ length: n }, (_, i) => i));
}
