/**
 * Mean ± std of grouped runs (the folds of a k-fold, the seeds of a setting: one groupKey).
 * Downsampled series of different runs need not share steps, so each run is linearly
 * interpolated onto the union of steps inside the range every run covers.
 */
import type { Sample } from "./series.ts";

export interface RunGroup {
  groupKey: string;
  runIds: string[];
}

/** Groups of two or more compared runs, by groupKey, in first-seen order. */
export function groupRuns(runs: ReadonlyArray<{ id: string; groupKey?: string | null }>): RunGroup[] {
  const groups = new Map<string, string[]>();
  for (const run of runs) {
    if (!run.groupKey) continue;
    groups.set(run.groupKey, [...(groups.get(run.groupKey) ?? []), run.id]);
  }
  return [...groups].filter(([, ids]) => ids.length > 1).map(([groupKey, runIds]) => ({ groupKey, runIds }));
}

/** The value at `step` on the polyline through sorted points (step inside its range). */
export function interpolate(points: readonly Sample[], step: number): number {
  let low = 0;
  let high = points.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (points[middle]!.step <= step) low = middle;
    else high = middle;
  }
  const a = points[low]!;
  const b = points[high]!;
  if (b.step === a.step) return a.value;
  return a.value + ((b.value - a.value) * (step - a.step)) / (b.step - a.step);
}

export interface Band {
  mean: Sample[];
  upper: Sample[];
  lower: Sample[];
}

/** Mean and mean ± sample standard deviation (n - 1) across runs, per step. */
export function meanStdBand(runs: ReadonlyArray<readonly Sample[]>): Band {
  const usable = runs.filter((points) => points.length > 0).map((points) => [...points].sort((a, b) => a.step - b.step));
  const band: Band = { mean: [], upper: [], lower: [] };
  if (usable.length === 0) return band;
  const from = Math.max(...usable.map((points) => points[0]!.step));
  const to = Math.min(...usable.map((points) => points[points.length - 1]!.step));
  const steps = [...new Set(usable.flatMap((points) => points.map((point) => point.step)))].filter((step) => step >= from && step <= to).sort((a, b) => a - b);
  for (const step of steps) {
    const values = usable.map((points) => interpolate(points, step));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const std = values.length > 1 ? Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)) : 0;
    band.mean.push({ step, value: mean });
    band.upper.push({ step, value: mean + std });
    band.lower.push({ step, value: mean - std });
  }
  return band;
}
