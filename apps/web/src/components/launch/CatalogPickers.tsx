"use client";
/** Project, dataset, architecture, name and tags of a launch; and one run, a sweep or a k-fold. */
import type { LaunchCatalogQuery } from "../../gql/graphql.ts";
import type { LaunchMode } from "../../lib/launch/api-errors.ts";
import type { FieldErrors } from "../../lib/launch/form.ts";
import { FieldError } from "./SettingField.tsx";

export interface Picks {
  projectId: string;
  datasetId: string;
  architectureId: string;
  name: string;
  tags: string;
}

function Picker({
  id,
  label,
  value,
  options,
  error,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: Array<{ id: string; name: string }>;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error !== undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">(choose)</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}

export function CatalogPickers({
  catalog,
  picks,
  errors,
  onChange,
}: {
  catalog: LaunchCatalogQuery;
  picks: Picks;
  errors: FieldErrors;
  onChange: (next: Partial<Picks>) => void;
}) {
  return (
    <fieldset className="panel">
      <legend>What to train</legend>
      <div className="fields">
        <Picker
          id="field-projectId"
          label="Project"
          value={picks.projectId}
          options={catalog.projects}
          error={errors.projectId}
          onChange={(projectId) => onChange({ projectId })}
        />
        <Picker
          id="field-datasetId"
          label="Dataset"
          value={picks.datasetId}
          options={catalog.datasets}
          error={errors.datasetId}
          onChange={(datasetId) => onChange({ datasetId })}
        />
        <Picker
          id="field-architectureId"
          label="Architecture"
          value={picks.architectureId}
          options={catalog.architectures.map((architecture) => ({ id: architecture.id, name: `${architecture.name} (${architecture.inputSize.join("×")})` }))}
          error={errors.architectureId}
          onChange={(architectureId) => onChange({ architectureId })}
        />
        <div className="field">
          <label htmlFor="field-name">Run name</label>
          <input id="field-name" value={picks.name} placeholder="<architecture> on <dataset>" onChange={(event) => onChange({ name: event.target.value })} />
          <FieldError id="field-name" error={errors.name} />
        </div>
        <div className="field">
          <label htmlFor="field-tags">Tags</label>
          <input id="field-tags" value={picks.tags} placeholder="baseline, pets" onChange={(event) => onChange({ tags: event.target.value })} />
        </div>
      </div>
    </fieldset>
  );
}

const MODES: Array<[LaunchMode, string]> = [
  ["single", "One run"],
  ["sweep", "Sweep"],
  ["kFold", "K-fold"],
];

export function LaunchModePicker({ mode, onChange }: { mode: LaunchMode; onChange: (mode: LaunchMode) => void }) {
  return (
    <fieldset className="row">
      <legend>Launch</legend>
      {MODES.map(([value, label]) => (
        <label key={value}>
          <input type="radio" name="launch-mode" value={value} checked={mode === value} onChange={() => onChange(value)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}
