"use client";
import { Alert, Paper, Title } from "@mantine/core";
import { IconArrowsDiff, IconChartLine } from "@tabler/icons-react";
import { useState } from "react";
import { useQuery } from "urql";
import { CompareRunInfosDocument, CompareRunsDocument } from "../../graphql/metrics.ts";
import { MAX_RUNS, keyBudget, pointsPerSeries } from "../../lib/compare-limits.ts";
import { groupRuns } from "../../lib/groups.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { ButtonLink } from "../ui/links.tsx";
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

  if (runIds.length < 2)
    return (
      <>
        <Title order={1}>Compare</Title>
        <EmptyState icon={<IconArrowsDiff size={24} />} title="Choose runs to compare" action={<ButtonLink href="/runs">Open the runs table</ButtonLink>}>
          Tick two or more runs in the runs table, then press “Compare selected”. A leaderboard&apos;s “compare” link opens a group&apos;s runs here too.
        </EmptyState>
      </>
    );
  const noMetrics = info.data !== undefined && runs.length > 0 && allKeys.length === 0;
  return (
    <>
      <Title order={1}>Compare {runIds.length} runs</Title>
      {failure && (
        <Alert role="alert" color="red" my="sm">
          {failure}
        </Alert>
      )}
      {noMetrics && (
        <EmptyState icon={<IconChartLine size={24} />} title="No metrics to compare yet">
          None of these runs has logged a metric. Charts appear here once their workers log losses and metrics; the param diff below is already complete.
        </EmptyState>
      )}
      {allKeys.length > 0 && (
        <Paper withBorder radius="md" p="sm" my="sm">
          <fieldset className="row" style={{ border: 0, margin: 0, padding: 0 }}>
            <legend>
              Metrics (at most {budget} at once for {runIds.length} runs)
            </legend>
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
        </Paper>
      )}
      {groups.length > 0 && (
        <label>
          <input type="checkbox" checked={grouping} onChange={(event) => setGrouping(event.target.checked)} /> Group runs by group key: mean ± std (
          {groups.map((group) => `${group.groupKey}: ${group.runIds.length}`).join(", ")})
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
          <ParallelCoordinates
            runs={runs.map((run) => ({
              id: run.id,
              name: run.name,
              params: run.params,
              metric: run.metrics.find((metric) => metric.key === metricKey)?.last ?? null,
            }))}
            metricKey={metricKey}
          />
        </section>
      )}
      {runs.length > 0 && <ParamDiffTable runs={runs} />}
      {runs.length >= 2 && <PredictionDiffView runs={runs} />}
    </>
  );
}
