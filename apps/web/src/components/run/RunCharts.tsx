"use client";
/**
 * Live charts of one run: downsampled history per metric key from metricHistory, then every
 * append pushed by the metricsAppended subscription merged in. Losses share a chart, learning
 * rates share a chart, every other metric has its own.
 */
import { useEffect, useMemo, useState } from "react";
import { useClient, useSubscription } from "urql";
import { MetricHistoryDocument, MetricsAppendedDocument } from "../../graphql/metrics.ts";
import { phaseMarkers } from "../../lib/interpretation.ts";
import { groupMetricKeys, mergePoints, type Sample } from "../../lib/series.ts";
import { Chart } from "../Chart.tsx";

const HISTORY_POINTS = 2000;
const PHASE_KEY = "phase";
type SeriesByKey = Record<string, Sample[]>;

function mergeInto(current: SeriesByKey, key: string, points: Sample[]): SeriesByKey {
  return { ...current, [key]: mergePoints(current[key] ?? [], points) };
}

export function RunCharts({ runId, initialKeys, live }: { runId: string; initialKeys: string[]; live: boolean }) {
  const client = useClient();
  const [series, setSeries] = useState<SeriesByKey>({});
  const [error, setError] = useState<string | null>(null);
  const keyList = initialKeys.join("\u0000");

  useEffect(() => {
    let cancelled = false;
    for (const key of keyList === "" ? [] : keyList.split("\u0000")) {
      client
        .query(MetricHistoryDocument, { runId, key, maxPoints: HISTORY_POINTS }, { requestPolicy: "network-only" })
        .toPromise()
        .then((result) => {
          if (cancelled) return;
          if (result.error) return setError(result.error.message);
          const points = result.data?.metricHistory.points ?? [];
          setSeries((current) => mergeInto(current, key, points));
        });
    }
    return () => {
      cancelled = true;
    };
  }, [client, runId, keyList]);

  const [subscription] = useSubscription({ query: MetricsAppendedDocument, variables: { runId }, pause: !live }, (_previous: true | undefined, event): true => {
    const byKey = new Map<string, Sample[]>();
    for (const point of event.metricsAppended.points) byKey.set(point.key, [...(byKey.get(point.key) ?? []), { step: point.step, value: point.value }]);
    setSeries((current) => [...byKey].reduce((next, [key, points]) => mergeInto(next, key, points), current));
    return true;
  });

  // The phase metric is drawn as markers on every chart rather than as a chart of its own.
  const groups = useMemo(() => groupMetricKeys(Object.keys(series).filter((key) => key !== PHASE_KEY)), [series]);
  const markers = useMemo(() => phaseMarkers(series[PHASE_KEY] ?? []), [series]);
  const pick = (keys: string[]) => keys.map((key) => ({ label: key, points: series[key] ?? [] }));

  return (
    <section aria-label="Charts">
      <h2>
        Charts{" "}
        {live && (
          <span className="muted" aria-live="polite">
            {subscription.error ? `(live updates stopped: ${subscription.error.message})` : "(live)"}
          </span>
        )}
      </h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {Object.keys(series).length === 0 && <p className="muted">No metrics logged yet.</p>}
      <div className="grid">
        {groups.losses.length > 0 && <Chart title="Losses" series={pick(groups.losses)} markers={markers} />}
        {groups.learningRates.length > 0 && <Chart title="Learning rate" series={pick(groups.learningRates)} markers={markers} />}
        {groups.others.map((key) => (
          <Chart key={key} title={key} series={pick([key])} markers={markers} />
        ))}
      </div>
    </section>
  );
}
