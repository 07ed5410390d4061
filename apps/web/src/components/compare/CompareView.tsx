"use client";
import { useState } from "react";
import { useQuery } from "urql";
import { CompareRunsDocument } from "../../graphql/metrics.ts";
import { CompareCharts } from "./CompareCharts.tsx";
import { ParamDiffTable } from "./ParamDiffTable.tsx";

const MAX_POINTS = 1000;

/** Runs first (for their metric keys), then the chosen keys' downsampled series. */
export function CompareView({ runIds }: { runIds: string[] }) {
  const [{ data: runsData, error: runsError }] = useQuery({ query: CompareRunsDocument, variables: { runIds, keys: [], maxPoints: 1 }, pause: runIds.length < 2 });
  const runs = runsData?.compareRuns.runs ?? [];
  const allKeys = [...new Set(runs.flatMap((run) => run.metrics.map((metric) => metric.key)))].sort();
  const [chosen, setChosen] = useState<string[] | null>(null);
  const keys = chosen ?? allKeys;
  const [{ data, fetching, error }] = useQuery({
    query: CompareRunsDocument,
    variables: { runIds, keys, maxPoints: MAX_POINTS },
    pause: keys.length === 0 || runIds.length < 2,
  });
  const failure = runsError ?? error;

  if (runIds.length < 2) return <p>Select two or more runs in the runs table to compare them.</p>;
  return (
    <>
      <h1>Compare {runIds.length} runs</h1>
      {failure && (
        <p role="alert" className="error">
          {failure.message}
        </p>
      )}
      <fieldset className="row">
        <legend>Metrics</legend>
        {allKeys.map((key) => (
          <label key={key}>
            <input
              type="checkbox"
              checked={keys.includes(key)}
              onChange={() => setChosen(keys.includes(key) ? keys.filter((other) => other !== key) : [...keys, key].sort())}
            />{" "}
            {key}
          </label>
        ))}
      </fieldset>
      <p className="muted" aria-live="polite">
        {fetching ? "Loading series…" : "Drag across a chart to zoom (detail is re-fetched); double-click to zoom out."}
      </p>
      {data && <CompareCharts comparison={data.compareRuns} keys={keys} />}
      {runs.length > 0 && <ParamDiffTable runs={runs} />}
    </>
  );
}
