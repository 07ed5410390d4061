/**
 * Recurrence plot (Eckmann et al. 1987) of a one-dimensional trajectory: the distance
 * |x_i − x_j| between every two time points (unthresholded: symmetric, zero diagonal), or,
 * with a threshold ε, 1 where the distance is at most ε (a recurrence) and 0 elsewhere.
 */
export type RecurrenceThreshold = { distance: number } | { fractionOfMax: number };

export function recurrencePlot(values: ArrayLike<number>, threshold: RecurrenceThreshold | null): Float32Array {
  const n = values.length;
  const plot = new Float32Array(n * n);
  let maxDistance = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const distance = Math.abs((values[i] as number) - (values[j] as number));
      plot[i * n + j] = distance;
      maxDistance = Math.max(maxDistance, distance);
    }
  }
  if (threshold === null) return plot;
  const epsilon = "distance" in threshold ? threshold.distance : threshold.fractionOfMax * maxDistance;
  return plot.map((distance) => (distance <= epsilon ? 1 : 0));
}
