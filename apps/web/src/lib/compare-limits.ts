/** compareRuns' limits: runs, keys, series (runs × keys) and points (maxPoints × series). */
export const MAX_RUNS = 100;
export const MAX_KEYS = 20;
export const MAX_SERIES = 400;
export const MAX_TOTAL_POINTS = 400_000;
export const DEFAULT_POINTS = 1000;

/** How many keys fit for this many runs. */
export function keyBudget(runCount: number): number {
  return Math.min(MAX_KEYS, Math.max(1, Math.floor(MAX_SERIES / Math.max(1, runCount))));
}

/** Points per series so that the whole answer stays within the total. */
export function pointsPerSeries(seriesCount: number, wanted = DEFAULT_POINTS): number {
  return Math.max(2, Math.min(wanted, Math.floor(MAX_TOTAL_POINTS / Math.max(1, seriesCount))));
}
