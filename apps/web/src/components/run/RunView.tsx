"use client";
import Link from "next/link";
import { useEffect } from "react";
import { useQuery, useSubscription } from "urql";
import { RunDocument, RunStatusDocument } from "../../graphql/runs.ts";
import { formatDate, formatNumber, formatValue } from "../../lib/format.ts";
import { RunActions } from "./RunActions.tsx";
import { RunArtifacts } from "./RunArtifacts.tsx";
import { NoteEditor, TagsEditor } from "./RunEditors.tsx";
import { RunLogs } from "./RunLogs.tsx";
import { RunCharts } from "./RunCharts.tsx";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

export function RunView({ runId }: { runId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: RunDocument, variables: { id: runId } });
  const run = data?.run;
  const active = run !== undefined && run !== null && ACTIVE.has(run.status);
  const [update] = useSubscription({ query: RunStatusDocument, variables: { runId }, pause: !active });
  const status = update.data?.runUpdated.status ?? run?.status;
  const pushedStatus = update.data?.runUpdated.status;
  // Summaries and params change as the run goes from queued to running to finished: read them again.
  useEffect(() => {
    if (pushedStatus !== undefined) refetch({ requestPolicy: "network-only" });
  }, [pushedStatus, refetch]);

  if (error) return <p role="alert" className="error">{error.message}</p>;
  if (run === undefined) return <p aria-busy={fetching}>Loading run…</p>;
  if (run === null) return <p role="alert">No run with id {runId} in your teams.</p>;

  return (
    <article aria-labelledby="run-title">
      <div className="row">
        <h1 id="run-title">{run.name}</h1>
        <span className={`status status-${status}`} aria-live="polite" data-testid="run-status">
          {status}
        </span>
        <RunActions runId={run.id} active={status !== undefined && ACTIVE.has(status)} cloneable={run.dataset !== null && run.architecture !== null} />
      </div>
      <div className="grid">
        <section aria-label="Details" className="panel">
          <dl className="facts">
            <dt>Project</dt>
            <dd>{run.project.name}{run.experiment ? ` / ${run.experiment.name}` : ""}</dd>
            <dt>Dataset</dt>
            <dd>{run.dataset ? <Link href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</Link> : "–"}</dd>
            <dt>Architecture</dt>
            <dd>{run.architecture ? <Link href={`/architectures/${run.architecture.id}`}>{run.architecture.name}</Link> : "–"}</dd>
            <dt>Parent run</dt>
            <dd>{run.parentRun ? <Link href={`/runs/${run.parentRun.id}`}>{run.parentRun.name}</Link> : "–"}</dd>
            <dt>Seed / group / fold</dt>
            <dd>{[run.seed, run.groupKey, run.fold].map((value) => formatValue(value)).join(" / ")}</dd>
            <dt>Created</dt>
            <dd>{formatDate(run.createdAt)}</dd>
            <dt>Started</dt>
            <dd>{formatDate(update.data?.runUpdated.startedAt ?? run.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{formatDate(update.data?.runUpdated.finishedAt ?? run.finishedAt)}</dd>
            {run.error && (
              <>
                <dt>Error</dt>
                <dd className="error">{run.error}</dd>
              </>
            )}
          </dl>
        </section>
        <section aria-label="Metric summaries" className="panel">
          <table>
            <caption className="sr-only">Metric summaries</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="num">Last</th>
                <th scope="col" className="num">Min</th>
                <th scope="col" className="num">Max</th>
                <th scope="col" className="num">Points</th>
              </tr>
            </thead>
            <tbody>
              {run.metrics.map((metric) => (
                <tr key={metric.key}>
                  <th scope="row">{metric.key}</th>
                  <td className="num">{formatNumber(metric.last)}</td>
                  <td className="num">{formatNumber(metric.min)}</td>
                  <td className="num">{formatNumber(metric.max)}</td>
                  <td className="num">{metric.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <RunCharts runId={run.id} initialKeys={run.metrics.map((metric) => metric.key)} live={status !== undefined && ACTIVE.has(status)} />
      <RunArtifacts runId={run.id} status={status} />
      <div className="grid">
        <section aria-label="Params">
          <h2>Params</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Param</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {run.params.map((param) => (
                <tr key={param.key}>
                  <th scope="row">{param.key}</th>
                  <td>{formatValue(param.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <div>
          <TagsEditor runId={run.id} tags={run.tags} />
          <NoteEditor key={run.note} runId={run.id} note={run.note} />
        </div>
      </div>
      <RunLogs runId={run.id} active={status !== undefined && ACTIVE.has(status)} />
    </article>
  );
}
