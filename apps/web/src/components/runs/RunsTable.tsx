"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "urql";
import type { RunsPageQuery } from "../../gql/graphql.ts";
import { RunsPageDocument } from "../../graphql/runs.ts";
import { formatDate, formatNumber, formatValue } from "../../lib/format.ts";
import { columnToText, sortByColumn, toRunFilter, toRunSort, type Column, type RunsView, type SortSpec } from "../../lib/runs-view.ts";
import { ColumnPicker } from "./ColumnPicker.tsx";

export type RunRow = RunsPageQuery["runs"]["nodes"][number];

interface Props {
  teamId: string;
  view: RunsView;
  pageSize: number;
  selected: ReadonlySet<string>;
  onToggle: (runId: string) => void;
  onChange: (view: RunsView) => void;
}

function cellValue(run: RunRow, column: Column): string {
  if (column.kind === "param") return formatValue(run.params.find((param) => param.key === column.key)?.value);
  const summary = run.metrics.find((metric) => metric.key === column.key);
  if (summary === undefined) return "–";
  return formatNumber(column.summary === "LAST" ? summary.last : column.summary === "MIN" ? summary.min : summary.max);
}

function sortOf(column: Column): Omit<SortSpec, "direction"> {
  return column.kind === "param" ? { field: "PARAM", key: column.key, summary: "LAST" } : { field: "METRIC", key: column.key, summary: column.summary };
}

function SortHeader(props: { label: string; target: Omit<SortSpec, "direction">; view: RunsView; onChange: (view: RunsView) => void; numeric?: boolean }) {
  const { sort } = props.view;
  const active = sort.field === props.target.field && sort.key === props.target.key && sort.summary === props.target.summary;
  const ariaSort = active ? (sort.direction === "ASC" ? "ascending" : "descending") : "none";
  return (
    <th aria-sort={ariaSort} className={props.numeric ? "num" : undefined} scope="col">
      <button type="button" className="link" onClick={() => props.onChange({ ...props.view, sort: sortByColumn(sort, props.target) })}>
        {props.label} {active ? (sort.direction === "ASC" ? "▲" : "▼") : ""}
      </button>
    </th>
  );
}

/** One server-sorted, server-filtered page at a time; cursors of visited pages allow going back. */
export function RunsTable({ teamId, view, pageSize, selected, onToggle, onChange }: Props) {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: RunsPageDocument,
    variables: { filter: toRunFilter(view, teamId), sort: toRunSort(view.sort), first: pageSize, after },
  });
  const runs = data?.runs.nodes ?? [];
  const pageInfo = data?.runs.pageInfo;
  const firstRow = (cursors.length - 1) * pageSize + 1;

  return (
    <section aria-label="Runs">
      <ColumnPicker view={view} runs={runs} onChange={onChange} />
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <div className="table-scroll">
        <table aria-busy={fetching} aria-describedby="runs-range">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Select</span>
              </th>
              <SortHeader label="Name" target={{ field: "NAME", summary: "LAST" }} view={view} onChange={onChange} />
              <th scope="col">Status</th>
              <th scope="col">Tags</th>
              {view.columns.map((column) => (
                <SortHeader
                  key={columnToText(column)}
                  label={column.kind === "param" ? column.key : `${column.key} (${column.summary.toLowerCase()})`}
                  target={sortOf(column)}
                  view={view}
                  onChange={onChange}
                  numeric={column.kind === "metric"}
                />
              ))}
              <SortHeader label="Created" target={{ field: "CREATED_AT", summary: "LAST" }} view={view} onChange={onChange} />
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-run-id={run.id}>
                <td>
                  <input type="checkbox" checked={selected.has(run.id)} onChange={() => onToggle(run.id)} aria-label={`Select ${run.name} to compare`} />
                </td>
                <td>
                  <Link href={`/runs/${run.id}`}>{run.name}</Link>
                </td>
                <td className={`status status-${run.status}`}>{run.status}</td>
                <td>
                  {run.tags.map((tag) => (
                    <span key={tag} className="tag">
                      {tag}
                    </span>
                  ))}
                </td>
                {view.columns.map((column) => (
                  <td key={columnToText(column)} className={column.kind === "metric" ? "num" : undefined}>
                    {cellValue(run, column)}
                  </td>
                ))}
                <td>{formatDate(run.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="row" aria-label="Pages" style={{ marginTop: 8 }}>
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!pageInfo?.hasNextPage} onClick={() => pageInfo?.endCursor && setCursors([...cursors, pageInfo.endCursor])}>
          Next page
        </button>
        <span id="runs-range" className="muted" aria-live="polite">
          {fetching && runs.length === 0 ? "Loading runs…" : runs.length === 0 ? "No runs match." : `Runs ${firstRow}–${firstRow + runs.length - 1}`}
        </span>
      </nav>
    </section>
  );
}
