"use client";
import { useState, type FormEvent } from "react";
import type { RunStatus, SummaryField } from "../../gql/graphql.ts";
import { RUN_STATUSES, SUMMARY_FIELDS, parseParamValue, type ParamCondition, type RunsView } from "../../lib/runs-view.ts";

function describeParam(condition: ParamCondition): string {
  if ("equals" in condition) return `${condition.key} = ${String(condition.equals)}`;
  return `${condition.gte ?? "−∞"} ≤ ${condition.key} ≤ ${condition.lte ?? "∞"}`;
}

const optionalNumber = (text: FormDataEntryValue | null) => (text === null || text === "" ? undefined : Number(text));

/** Status, tags, param and metric conditions; each change goes to the URL through onChange. */
export function RunFilters({ view, onChange }: { view: RunsView; onChange: (view: RunsView) => void }) {
  const [error, setError] = useState<string | null>(null);

  function toggleStatus(status: RunStatus) {
    const next = view.status.includes(status) ? view.status.filter((s) => s !== status) : [...view.status, status];
    onChange({ ...view, status: next });
  }

  function addCondition(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kind = String(form.get("kind"));
    const key = String(form.get("key") ?? "").trim();
    const min = optionalNumber(form.get("min"));
    const max = optionalNumber(form.get("max"));
    const equals = String(form.get("equals") ?? "");
    if (key === "") return setError("key: enter a param or metric name");
    if ([min, max].some((bound) => bound !== undefined && !Number.isFinite(bound))) return setError("min/max: must be numbers");
    if (kind === "tag") onChange({ ...view, tags: [...view.tags, key] });
    else if (kind === "param" && equals !== "") onChange({ ...view, params: [...view.params, { key, equals: parseParamValue(equals) }] });
    else if (min === undefined && max === undefined) return setError("min/max: give a value, a min or a max");
    else if (kind === "param") onChange({ ...view, params: [...view.params, { key, gte: min, lte: max }] });
    else onChange({ ...view, metrics: [...view.metrics, { key, field: String(form.get("field")) as SummaryField, gte: min, lte: max }] });
    setError(null);
    event.currentTarget.reset();
  }

  return (
    <section aria-label="Filters" className="panel">
      <fieldset className="row">
        <legend>Status</legend>
        {RUN_STATUSES.map((status) => (
          <label key={status}>
            <input type="checkbox" checked={view.status.includes(status)} onChange={() => toggleStatus(status)} /> {status.toLowerCase()}
          </label>
        ))}
      </fieldset>
      <form className="row" onSubmit={addCondition} aria-label="Add a filter">
        <label>
          Filter on{" "}
          <select name="kind" defaultValue="metric">
            <option value="metric">metric</option>
            <option value="param">param</option>
            <option value="tag">tag</option>
          </select>
        </label>
        <label>
          Key <input name="key" size={14} />
        </label>
        <label>
          Summary{" "}
          <select name="field" defaultValue="LAST">
            {SUMMARY_FIELDS.map((field) => (
              <option key={field}>{field}</option>
            ))}
          </select>
        </label>
        <label>
          Min <input name="min" size={6} inputMode="decimal" />
        </label>
        <label>
          Max <input name="max" size={6} inputMode="decimal" />
        </label>
        <label>
          Param equals <input name="equals" size={8} />
        </label>
        <button type="submit">Add filter</button>
        {error && (
          <span role="alert" className="error">
            {error}
          </span>
        )}
      </form>
      <ul className="row" aria-label="Active filters" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {view.tags.map((tag, index) => (
          <ActiveFilter key={`t${index}`} label={`tag ${tag}`} onRemove={() => onChange({ ...view, tags: view.tags.filter((_, i) => i !== index) })} />
        ))}
        {view.params.map((param, index) => (
          <ActiveFilter key={`p${index}`} label={`param ${describeParam(param)}`} onRemove={() => onChange({ ...view, params: view.params.filter((_, i) => i !== index) })} />
        ))}
        {view.metrics.map((metric, index) => (
          <ActiveFilter
            key={`m${index}`}
            label={`${metric.gte ?? "−∞"} ≤ ${metric.key} (${metric.field.toLowerCase()}) ≤ ${metric.lte ?? "∞"}`}
            onRemove={() => onChange({ ...view, metrics: view.metrics.filter((_, i) => i !== index) })}
          />
        ))}
      </ul>
    </section>
  );
}

function ActiveFilter({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <li className="tag">
      {label}{" "}
      <button type="button" className="link" onClick={onRemove} aria-label={`Remove filter ${label}`}>
        ×
      </button>
    </li>
  );
}
