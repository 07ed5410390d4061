"use client";
import { Button, Paper } from "@mantine/core";
import { IconColumns } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import type { SummaryField } from "../../gql/graphql.ts";
import { SUMMARY_FIELDS, columnToText, type Column, type RunsView } from "../../lib/runs-view.ts";

interface RunKeys {
  params: Array<{ key: string }>;
  metrics: Array<{ key: string }>;
}

/** Keys offered as columns: those on the current page, plus any typed in. */
export function ColumnPicker({ view, runs, onChange }: { view: RunsView; runs: RunKeys[]; onChange: (view: RunsView) => void }) {
  const [open, setOpen] = useState(false);
  const paramKeys = [...new Set(runs.flatMap((run) => run.params.map((param) => param.key)))].sort();
  const metricKeys = [...new Set(runs.flatMap((run) => run.metrics.map((metric) => metric.key)))].sort();
  const shown = new Set(view.columns.map(columnToText));

  function toggle(column: Column) {
    const text = columnToText(column);
    const columns = shown.has(text) ? view.columns.filter((other) => columnToText(other) !== text) : [...view.columns, column];
    onChange({ ...view, columns });
  }

  function addTyped(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const key = String(form.get("key") ?? "").trim();
    if (key === "") return;
    const column: Column =
      form.get("kind") === "param" ? { kind: "param", key } : { kind: "metric", key, summary: String(form.get("summary")) as SummaryField };
    if (!shown.has(columnToText(column))) onChange({ ...view, columns: [...view.columns, column] });
    event.currentTarget.reset();
  }

  return (
    <div style={{ margin: "8px 0" }}>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconColumns size={14} aria-hidden />}
        aria-expanded={open}
        aria-controls="column-picker"
        onClick={() => setOpen(!open)}
      >
        Columns ({view.columns.length})
      </Button>
      {open && (
        <Paper withBorder radius="md" p="sm" id="column-picker" mt={4}>
          <fieldset className="row">
            <legend>Params</legend>
            {paramKeys.map((key) => (
              <label key={key}>
                <input type="checkbox" checked={shown.has(`p:${key}`)} onChange={() => toggle({ kind: "param", key })} /> {key}
              </label>
            ))}
          </fieldset>
          <fieldset className="row">
            <legend>Metrics</legend>
            {metricKeys.flatMap((key) =>
              SUMMARY_FIELDS.map((summary) => (
                <label key={`${key}:${summary}`}>
                  <input type="checkbox" checked={shown.has(`m:${key}:${summary}`)} onChange={() => toggle({ kind: "metric", key, summary })} /> {key} (
                  {summary.toLowerCase()})
                </label>
              )),
            )}
          </fieldset>
          <form className="row" onSubmit={addTyped} aria-label="Add a column by key">
            <select name="kind" aria-label="Column kind" defaultValue="metric">
              <option value="metric">metric</option>
              <option value="param">param</option>
            </select>
            <input name="key" aria-label="Column key" placeholder="key" />
            <select name="summary" aria-label="Metric summary" defaultValue="LAST">
              {SUMMARY_FIELDS.map((field) => (
                <option key={field}>{field}</option>
              ))}
            </select>
            <Button type="submit" size="xs" variant="light">
              Add column
            </Button>
          </form>
        </Paper>
      )}
    </div>
  );
}
