"use client";
import { useEffect, useState } from "react";
import { useClient, useQuery } from "urql";
import type { CompareRunInfoQuery } from "../../gql/graphql.ts";
import { CompareRunInfoDocument, CompareRunsDocument } from "../../graphql/metrics.ts";
import { CompareCharts } from "./CompareCharts.tsx";
import { ParamDiffTable } from "./ParamDiffTable.tsx";

const MAX_POINTS = 1000;
/** compareRuns answers at most this many series (runs × keys), and this many keys. */
export const MAX_SERIES = 200;
export const MAX_KEYS = 20;

type RunInfo = NonNullable<CompareRunInfoQuery["run"]>;

/** The runs' names, params and metric keys (one small query each, in parallel). */
function useRunInfos(runIds: string[]): { runs: RunInfo[]; error: string | null } {
  const client = useClient();
  const [state, setState] = useState<{ runs: RunInfo[]; error: string | null }>({ runs: [], error: null });
  const idList = runIds.join(",");
  useEffect(() => {
    let cancelled = false;
    const ids = idList === "" ? [] : idList.split(",");
    void Promise.all(ids.map((id) => client.query(CompareRunInfoDocument, { id }).toPromise())).then((results) => {
      if (cancelled) return;
      const failed = results.find((result) => result.error);
      const runs = results.flatMap((result) => (result.data?.run ? [result.data.run] : []));
      setState({ runs, error: failed?.error?.message ?? (runs.length < ids.length ? "some runs were not found in your teams" : null) });
    });
    return () => {
      cancelled = true;
    };
  }, [client, idList]);
  return state;
}

export function CompareView({ runIds }: { runIds: string[] }) {
  const info = useRunInfos(runIds);
  const allKeys = [...new Set(info.runs.flatMap((run) => run.metrics.map((metric) => metric.key)))].sort();
  const keyBudget = Math.min(MAX_KEYS, Math.max(1, Math.floor(MAX_SERIES / Math.max(1, runIds.length))));
  const [chosen, setChosen] = useState<string[] | null>(null);
  const keys = (chosen ?? allKeys).slice(0, keyBudget);
  const [{ data, fetching, error }] = useQuery({
    query: CompareRunsDocument,
    variables: { runIds, keys, maxPoints: MAX_POINTS },
    pause: keys.length === 0 || runIds.length < 2,
  });
  const failure = info.error ?? error?.message;

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
        <legend>Metrics (at most {keyBudget} at once for {runIds.length} runs)</legend>
        {allKeys.map((key) => (
          <label key={key}>
            <input
              type="checkbox"
              checked={keys.includes(key)}
              disabled={!keys.includes(key) && keys.length >= keyBudget}
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
      {info.runs.length > 0 && <ParamDiffTable runs={info.runs} />}
    </>
  );
}
