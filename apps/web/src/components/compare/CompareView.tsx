"use client";
import { useState } from "react";
import { useQuery } from "urql";
import { CompareRunInfosDocument, CompareRunsDocument } from "../../graphql/metrics.ts";
import { MAX_RUNS, keyBudget, pointsPerSeries } from "../../lib/compare-limits.ts";
import { groupRuns } from "../../lib/groups.ts";
import { CompareCharts } from "./CompareCharts.tsx";
import { ParallelCoordinates } from "./ParallelCoordinates.tsx";
import { ParamDiffTable } from "./ParamDiffTable.tsx";
import { PredictionDiffView } from "./PredictionDiffView.tsx";

/** The metric parallel coordinates end on by default: an accuracy if there is one. */
function defaultMetric(keys: string[]): string {
  return keys.find((key) => /valid.*acc|accuracy/.test(key)) ?? keys[0] ?? "";
}

export function CompareView({ runIds }: { runIds: string[] }) {
  const [info] = useQuery({ query: CompareRunInfosDocument, variables: { ids: runIds, first: MAX_RUNS }, pause: runIds.length < 2 });
  const runs = info.data?.runs.nodes ?? [];
  const allKeys = [...new Set(runs.flatMap((run) => run.metrics.map((metric) => metric.key)))].sort();
  const budget = keyBudget(runIds.length);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [grouping, setGrouping] = useState(false);
  const [pcMetric, setPcMetric] = useState<string | null>(null);
  const keys = (chosen ?? allKeys).slice(0, budget);
  const [{ data, fetching, error }] = useQuery({
    query: CompareRunsDocument,
    variables: { runIds, keys, maxPoints: pointsPerSeries(runIds.length * keys.length) },
    pause: keys.length === 0 || runIds.length < 2,
  });
  const groups = groupRuns(runs);
  const missing = info.data && runs.length < runIds.length ? "some runs were not found in your teams" : null;
  const failure = info.error?.message ?? error?.message ?? missing;
  const metricKey = pcMetric ?? defaultMetric(allKeys);

  if (runIds.length < 2) return <p>Select two or more runs in the runs table to compare them.</p>;
  return (
    <>
      <h1>Compare {runIds.length} runs</h1>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <fieldset className="row">
        <legend>Metrics (at most {budget} at once for {runIds.length} runs)</legend>
        {allKeys.map((key) => (
          <label key={key}>
            <input
              type="checkbox"
              checked={keys.includes(key)}
              disabled={!keys.includes(key) && keys.length >= budget}
              onChange={() => setChosen(keys.includes(key) ? keys.filter((other) => other !== key) : [...keys, key].sort())}
            />{" "}
            {key}
          </label>
        ))}
      </fieldset>
      {groups.length > 0 && (
        <label>
          <input type="checkbox" checked={grouping} onChange={(event) => setGrouping(event.target.checked)} /> Group runs by group key: mean ± std ({groups.map((group) => `${group.groupKey}: ${group.runIds.length}`).join(", ")})
        </label>
      )}
      <p className="muted" aria-live="polite">
        {fetching ? "Loading series…" : "Drag across a chart to zoom (detail is re-fetched); double-click to zoom out."}
      </p>
      {data && <CompareCharts comparison={data.compareRuns} keys={keys} groups={grouping ? groups : []} />}
      {runs.length > 0 && allKeys.length > 0 && (
        <section aria-label="Parallel coordinates">
          <div className="row">
            <h2>Params → metric</h2>
            <label>
              Metric (last){" "}
              <select value={metricKey} onChange={(event) => setPcMetric(event.target.value)}>
                {allKeys.map((key) => (
                  <option key={key}>{key}</option>
                ))}
              </select>
            </label>
          </div>
          <ParallelCoordinates runs={runs.map((run) => ({ id: run.id, name: run.name, params: run.params, metric: run.metrics.find((metric) => metric.key === metricKey)?.last ?? null }))} metricKey={metricKey} />
        </section>
      )}
      {runs.length > 0 && <ParamDiffTable runs={runs} />}
      {runs.length >= 2 && <PredictionDiffView runs={runs} />}
    </>
  );
}
