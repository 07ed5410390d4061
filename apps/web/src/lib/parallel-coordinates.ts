/**
 * Parallel coordinates from params to a metric: one vertical axis per param that differs
 * between the runs (numbers on a linear or, over two decades, a log scale; other values as
 * evenly spaced categories), the metric last; one polyline per run.
 */
export interface PcRun {
  id: string;
  name: string;
  params: ReadonlyArray<{ key: string; value: unknown }>;
  metric: number | null;
}

export type PcAxis = { key: string; kind: "number"; min: number; max: number; log: boolean } | { key: string; kind: "category"; categories: string[] };

const label = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function numberAxis(key: string, numbers: number[]): PcAxis {
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  return { key, kind: "number", min, max, log: min > 0 && max / min >= 100 };
}

/** Axes for params whose values differ (at most maxParams, most distinct values first), then the metric. */
export function parallelAxes(runs: readonly PcRun[], metricKey: string, maxParams = 8): PcAxis[] {
  const keys = [...new Set(runs.flatMap((run) => run.params.map((param) => param.key)))].sort();
  const axes: Array<{ axis: PcAxis; distinct: number }> = [];
  for (const key of keys) {
    const values = runs.map((run) => run.params.find((param) => param.key === key)?.value ?? null);
    const distinct = new Set(values.map(label)).size;
    if (distinct < 2) continue;
    const numeric = values.every((value) => typeof value === "number");
    const axis: PcAxis = numeric ? numberAxis(key, values as number[]) : { key, kind: "category", categories: [...new Set(values.map(label))].sort() };
    axes.push({ axis, distinct });
  }
  const chosen = axes
    .sort((a, b) => b.distinct - a.distinct)
    .slice(0, maxParams)
    .map((entry) => entry.axis)
    .sort((a, b) => a.key.localeCompare(b.key));
  const metrics = runs.flatMap((run) => (run.metric === null || !Number.isFinite(run.metric) ? [] : [run.metric]));
  if (metrics.length > 0) chosen.push({ ...(numberAxis(metricKey, metrics) as Extract<PcAxis, { kind: "number" }>), log: false });
  return chosen;
}

/** Position of a value on an axis, 0 (bottom) to 1 (top); null when the run has no value. */
export function axisPosition(axis: PcAxis, value: unknown): number | null {
  if (axis.kind === "category") {
    const index = axis.categories.indexOf(label(value ?? null));
    return index < 0 ? null : axis.categories.length === 1 ? 0.5 : index / (axis.categories.length - 1);
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  if (axis.max === axis.min) return 0.5;
  if (axis.log) return (Math.log10(value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
  return (value - axis.min) / (axis.max - axis.min);
}

/** Each axis's position for a run: its params, then its metric on the last axis. */
export function runPositions(run: PcRun, axes: readonly PcAxis[], metricKey: string): Array<number | null> {
  return axes.map((axis, i) =>
    i === axes.length - 1 && axis.key === metricKey
      ? axisPosition(axis, run.metric)
      : axisPosition(axis, run.params.find((param) => param.key === axis.key)?.value ?? null),
  );
}
