"use client";
/**
 * One overlaid chart per metric key across the compared runs. Zooming a chart re-fetches the
 * visible step range of every run at full detail (metricHistory with fromStep/toStep).
 */
import { useState } from "react";
import { useClient } from "urql";
import type { CompareRunsQuery } from "../../gql/graphql.ts";
import { MetricHistoryDocument } from "../../graphql/metrics.ts";
import type { Series } from "../../lib/series.ts";
import { Chart } from "../Chart.tsx";

type Comparison = CompareRunsQuery["compareRuns"];
const ZOOM_POINTS = 1000;

function seriesFor(comparison: Comparison, key: string): Series[] {
  return comparison.runs.map((run) => ({
    label: run.name,
    points: comparison.series.find((one) => one.runId === run.id && one.key === key)?.points ?? [],
  }));
}

function ZoomableChart({ comparison, metricKey }: { comparison: Comparison; metricKey: string }) {
  const client = useClient();
  const [zoomed, setZoomed] = useState<Series[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function zoom(range: { fromStep: number; toStep: number } | null) {
    if (range === null) return setZoomed(null);
    const results = await Promise.all(
      comparison.runs.map((run) =>
        client.query(MetricHistoryDocument, { runId: run.id, key: metricKey, ...range, maxPoints: ZOOM_POINTS }, { requestPolicy: "network-only" }).toPromise(),
      ),
    );
    const failed = results.find((result) => result.error);
    if (failed?.error) return setError(failed.error.message);
    setError(null);
    setZoomed(comparison.runs.map((run, i) => ({ label: run.name, points: results[i]?.data?.metricHistory.points ?? [] })));
  }

  return (
    <div>
      <Chart title={metricKey} series={zoomed ?? seriesFor(comparison, metricKey)} onZoom={(range) => void zoom(range)} />
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

export function CompareCharts({ comparison, keys }: { comparison: Comparison; keys: string[] }) {
  return (
    <div className="grid">
      {keys.map((key) => (
        <ZoomableChart key={key} comparison={comparison} metricKey={key} />
      ))}
    </div>
  );
}
