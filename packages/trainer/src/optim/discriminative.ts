/**
 * Discriminative learning rates with fastai's slice semantics, for n parameter groups ordered
 * from the input side (body) to the output side (head):
 *   a number          → the same rate for every group
 *   slice(stop)       → stop/10 for every group but the last, stop for the last
 *   slice(start, stop)→ a geometric spread: start·rⁱ with r = (stop/start)^(1/(n−1))
 */

export interface LearningRateSlice {
  start?: number;
  stop: number;
}

export type LearningRateSpec = number | LearningRateSlice;

export function slice(startOrStop: number, stop?: number): LearningRateSlice {
  return stop === undefined ? { stop: startOrStop } : { start: startOrStop, stop };
}

/** Multiples spread evenly on a log scale from start to stop (fastai even_mults). */
export function evenMultiples(start: number, stop: number, count: number): number[] {
  if (count === 1) return [stop];
  const ratio = (stop / start) ** (1 / (count - 1));
  return Array.from({ length: count }, (_, i) => start * ratio ** i);
}

export function learningRatesForGroups(spec: LearningRateSpec, groupCount: number): number[] {
  if (!Number.isInteger(groupCount) || groupCount < 1) throw new Error(`groupCount must be an integer ≥ 1, got ${groupCount}`);
  if (typeof spec === "number") {
    checkRate("learningRate", spec);
    return Array.from({ length: groupCount }, () => spec);
  }
  checkRate("learningRate.stop", spec.stop);
  if (spec.start === undefined) {
    return Array.from({ length: groupCount }, (_, i) => (i === groupCount - 1 ? spec.stop : spec.stop / 10));
  }
  checkRate("learningRate.start", spec.start);
  return evenMultiples(spec.start, spec.stop, groupCount);
}

function checkRate(field: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${field} must be a finite number > 0, got ${value}`);
}
