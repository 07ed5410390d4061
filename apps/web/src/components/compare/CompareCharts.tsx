"use client";
/**
 * One overlaid chart per metric key across the compared runs. Zooming a chart re-fetches the
 * visible step range at full detail (compareRuns with fromStep/toStep). With grouping on, the
 * runs of each group (k-fold, seeds) are drawn as their mean with a ± std band.
 */
import { useState } from "react";
import { useClient } from "urql";
import type { CompareRunsQuery } from "../../gql/graphql.ts";
import { CompareRunsDocument } from "../../graphql/metrics.ts";
import { pointsPerSeries } from "../../lib/compare-limits.ts";
import { chartLines } from "../../lib/group-lines.ts";
import type { RunGroup } from "../../lib/groups.ts";
import type { Sample } from "../../lib/series.ts";
import { Chart, seriesColor } from "../Chart.tsx";

type Comparison = CompareRunsQuery["compareRuns"];
type PointsByRun = Map<string, Sample[]>;

function pointsFor(comparison: Comparison, key: string): PointsByRun {
  return new Map(comparison.runs.map((run) => [run.id, comparison.series.find((one) => one.runId === run.id && one.key === key)?.points ?? []]));
}

function ZoomableChart({ comparison, metricKey, groups }: { comparison: Comparison; metricKey: string; groups: readonly RunGroup[] }) {
  const client = useClient();
  const [zoomed, setZoomed] = useState<PointsByRun | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function zoom(range: { fromStep: number; toStep: number } | null) {
    if (range === null) return setZoomed(null);
    const runIds = comparison.runs.map((run) => run.id);
    const result = await client
      .query(CompareRunsDocument, { runIds, keys: [metricKey], ...range, maxPoints: pointsPerSeries(runIds.length) }, { requestPolicy: "network-only" })
      .toPromise();
    if (result.error) return setError(result.error.message);
    setError(null);
    if (result.data) setZoomed(pointsFor(result.data.compareRuns, metricKey));
  }

  const lines = chartLines(comparison.runs, zoomed ?? pointsFor(comparison, metricKey), groups, seriesColor);
  return (
    <div>
      <Chart title={metricKey} series={lines.series} bands={lines.bands} onZoom={(range) => void zoom(range)} />
      {zoomed && (
        <p className="muted">
          Zoomed: detail re-fetched for the visible steps.{" "}
          <button type="button" className="link" onClick={() => setZoomed(null)}>
            Show all steps
          </button>
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

export function CompareCharts({ comparison, keys, groups }: { comparison: Comparison; keys: string[]; groups: readonly RunGroup[] }) {
  return (
    <div className="grid">
      {keys.map((key) => (
        <ZoomableChart key={key} comparison={comparison} metricKey={key} groups={groups} />
      ))}
    </div>
  );
}
