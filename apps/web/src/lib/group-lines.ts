/** The lines of a compare chart: ungrouped runs as they are, each group as mean and ± std edges with a band between. */
import { type RunGroup, meanStdBand } from "./groups.ts";
import type { Sample, Series } from "./series.ts";

export type StyledSeries = Series & { color?: string; width?: number; dash?: number[] };
export interface ChartLines {
  series: StyledSeries[];
  /** Indices into series. */
  bands: Array<{ upper: number; lower: number; fill: string }>;
}

/** Runs outside any group as they are; each group as mean, upper and lower with a band between. */
export function chartLines(
  runs: ReadonlyArray<{ id: string; name: string }>,
  points: ReadonlyMap<string, Sample[]>,
  groups: readonly RunGroup[],
  color: (index: number) => string,
): ChartLines {
  const grouped = new Set(groups.flatMap((group) => group.runIds));
  const series: StyledSeries[] = runs
    .filter((run) => !grouped.has(run.id))
    .map((run, i) => ({ label: run.name, points: points.get(run.id) ?? [], color: color(i) }));
  const bands: ChartLines["bands"] = [];
  groups.forEach((group, g) => {
    const groupColor = color(series.length + g);
    const band = meanStdBand(group.runIds.map((id) => points.get(id) ?? []));
    const name = `${group.groupKey} (${group.runIds.length} runs)`;
    series.push({ label: `${name} mean`, points: band.mean, color: groupColor, width: 2 });
    series.push({ label: `${name} +std`, points: band.upper, color: groupColor, width: 0.5, dash: [3, 3] });
    series.push({ label: `${name} −std`, points: band.lower, color: groupColor, width: 0.5, dash: [3, 3] });
    bands.push({ upper: series.length - 2, lower: series.length - 1, fill: `${groupColor}33` });
  });
  return { series, bands };
}
