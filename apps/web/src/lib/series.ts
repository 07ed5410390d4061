/** Metric series for charts: merging live appends into history, and aligning series on steps. */
export interface Sample {
  step: number;
  value: number;
}

export interface Series {
  label: string;
  points: Sample[];
}

/** Both sorted by step; a step in `incoming` replaces the same step in `existing`. */
export function mergePoints(existing: readonly Sample[], incoming: readonly Sample[]): Sample[] {
  if (incoming.length === 0) return existing as Sample[];
  const sortedIncoming = [...incoming].sort((a, b) => a.step - b.step);
  const last = existing[existing.length - 1];
  if (last === undefined || sortedIncoming[0]!.step > last.step) return [...existing, ...sortedIncoming];
  const byStep = new Map(existing.map((point) => [point.step, point]));
  for (const point of sortedIncoming) byStep.set(point.step, point);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/**
 * uPlot's shape: one shared x array (the union of all steps) and one y array per series,
 * null where a series has no point at that step. Series must be sorted by step.
 */
export function alignSeries(series: readonly Series[]): [number[], ...Array<Array<number | null>>] {
  const steps = [...new Set(series.flatMap((one) => one.points.map((point) => point.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((step, i) => [step, i]));
  const columns = series.map((one) => {
    const column = new Array<number | null>(steps.length).fill(null);
    for (const point of one.points) column[index.get(point.step)!] = point.value;
    return column;
  });
  return [steps, ...columns];
}
