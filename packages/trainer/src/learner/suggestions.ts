/**
 * fastai's learning-rate suggestions, as pure functions of the recorded (lrs, losses) of a
 * range test. Each returns the suggested rate and the point on the curve to mark.
 */

export interface Suggestion {
  learningRate: number;
  /** The marked point: [lr, loss]. */
  point: [number, number];
}

export type SuggestionName = "valley" | "minimum" | "steep" | "slide";

function check(lrs: readonly number[], losses: readonly number[], min = 2): void {
  if (lrs.length !== losses.length) throw new Error(`suggestion: lrs and losses must have the same length, got ${lrs.length} and ${losses.length}`);
  if (lrs.length < min) throw new Error(`suggestion: needs at least ${min} points, got ${lrs.length}`);
}

/**
 * The longest valley: the longest decreasing subsequence of the loss (O(n²) dynamic
 * programme); the suggestion sits just past a third of the way into it.
 */
export function valley(lrs: readonly number[], losses: readonly number[]): Suggestion {
  check(lrs, losses, 1);
  const n = losses.length;
  const lengths = new Array<number>(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && lengths[i]! < lengths[j]! + 1) lengths[i] = lengths[j]! + 1;
      if (lengths[maxEnd]! < lengths[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lengths[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const index = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  return { learningRate: lrs[index]!, point: [lrs[index]!, losses[index]!] };
}

/** A tenth of the rate at the lowest loss. */
export function minimum(lrs: readonly number[], losses: readonly number[]): Suggestion {
  check(lrs, losses, 1);
  let best = 0;
  losses.forEach((loss, i) => (loss < losses[best]! ? (best = i) : undefined));
  return { learningRate: lrs[best]! / 10, point: [lrs[best]!, losses[best]!] };
}

/** The rate where the loss falls fastest per log-lr step: argmin of Δloss / Δlog(lr). */
export function steep(lrs: readonly number[], losses: readonly number[]): Suggestion {
  check(lrs, losses);
  let best = 0;
  let bestSlope = Infinity;
  for (let i = 0; i < lrs.length - 1; i++) {
    const slope = (losses[i + 1]! - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!));
    if (slope < bestSlope) ((bestSlope = slope), (best = i));
  }
  return { learningRate: lrs[best]!, point: [lrs[best]!, losses[best]!] };
}

/** numpy.gradient: central differences inside, one-sided at the ends (unit spacing). */
export function gradient(values: readonly number[]): number[] {
  const n = values.length;
  if (n < 2) throw new Error(`gradient: needs at least 2 values, got ${n}`);
  return values.map((_, i) => (i === 0 ? values[1]! - values[0]! : i === n - 1 ? values[n - 1]! - values[n - 2]! : (values[i + 1]! - values[i - 1]!) / 2));
}

/**
 * The interval slide rule: walk a window of `lrDiff` points left from the end while the loss
 * gradient at its two ends differs by more than `threshold`; suggest the window's left rate.
 */
export function slide(lrs: readonly number[], losses: readonly number[], lrDiff = 15, threshold = 0.005, adjustValue = 1): Suggestion {
  check(lrs, losses, lrDiff + 1);
  const grads = gradient(losses);
  const n = losses.length;
  const at = (negative: number) => n + negative;
  let right = -1;
  let left = right - lrDiff;
  let localMinLr = lrs[at(left)]!;
  while (left >= -n && Math.abs(grads[at(right)]! - grads[at(left)]!) > threshold) {
    localMinLr = lrs[at(left)]!;
    right--;
    left--;
  }
  const suggestion = localMinLr * adjustValue;
  return { learningRate: suggestion, point: [suggestion, interpolate(Math.log10(suggestion), lrs.map(Math.log10), losses)] };
}

/** numpy.interp for increasing xs. */
function interpolate(x: number, xs: readonly number[], ys: readonly number[]): number {
  if (x <= xs[0]!) return ys[0]!;
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]!) return ys[i - 1]! + ((x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!)) * (ys[i]! - ys[i - 1]!);
  }
  return ys.at(-1)!;
}

export const SUGGESTIONS: Record<SuggestionName, (lrs: readonly number[], losses: readonly number[]) => Suggestion> = { valley, minimum, steep, slide };
