"use client";
/** Rows of swept hyperparameters: values (grid or random) or a range (random), with the run count. */
import { useState } from "react";
import type { FieldErrors } from "../../lib/launch/form.ts";
import type { FieldSpec } from "../../lib/launch/sdl-fields.ts";
import { type SweepMethod, type SweepRow, emptyRow, sweepParameters, sweepRunCount } from "../../lib/launch/sweep.ts";
import { FieldError, fieldId } from "./SettingField.tsx";

interface Props {
  specs: FieldSpec[];
  method: SweepMethod;
  trials: number;
  rows: SweepRow[];
  errors: FieldErrors;
  onChange: (rows: SweepRow[]) => void;
}

function RowEditor({
  row,
  method,
  error,
  onChange,
  onRemove,
}: {
  row: SweepRow;
  method: SweepMethod;
  error: string | undefined;
  onChange: (row: SweepRow) => void;
  onRemove: () => void;
}) {
  const id = fieldId(`sweep:${row.key}`);
  return (
    <tr>
      <th scope="row">{row.key}</th>
      <td>
        <input
          id={id}
          aria-label={`Values of ${row.key}`}
          aria-invalid={error !== undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          placeholder="0.001, 0.01"
          value={row.values}
          onChange={(event) => onChange({ ...row, values: event.target.value })}
        />
        <FieldError id={id} error={error} />
      </td>
      {method === "RANDOM" && (
        <>
          <td>
            <input aria-label={`Min of ${row.key}`} size={8} value={row.min} onChange={(event) => onChange({ ...row, min: event.target.value })} />
          </td>
          <td>
            <input aria-label={`Max of ${row.key}`} size={8} value={row.max} onChange={(event) => onChange({ ...row, max: event.target.value })} />
          </td>
          <td>
            <label>
              <input type="checkbox" checked={row.log} onChange={(event) => onChange({ ...row, log: event.target.checked })} /> log
            </label>{" "}
            <label>
              <input type="checkbox" checked={row.integer} onChange={(event) => onChange({ ...row, integer: event.target.checked })} /> integer
            </label>
          </td>
        </>
      )}
      <td>
        <button type="button" aria-label={`Remove ${row.key} from the sweep`} onClick={onRemove}>
          ×
        </button>
      </td>
    </tr>
  );
}

export function SweepBuilder({ specs, method, trials, rows, errors, onChange }: Props) {
  const sweepable = specs.filter((spec) => spec.kind !== "string-list" && !rows.some((row) => row.key === spec.path));
  const [adding, setAdding] = useState(sweepable[0]?.path ?? "");
  const count = sweepRunCount(sweepParameters(rows, specs, method).parameters, method, trials);
  return (
    <section aria-label="Sweep" className="panel">
      <h3>Sweep ({method === "GRID" ? "every combination" : `${trials} random trials`})</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Hyperparameter</th>
            <th scope="col">Values (comma-separated)</th>
            {method === "RANDOM" && (
              <>
                <th scope="col">Min</th>
                <th scope="col">Max</th>
                <th scope="col">Draw</th>
              </>
            )}
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <RowEditor
              key={row.key}
              row={row}
              method={method}
              error={errors[`sweep:${row.key}`]}
              onChange={(next) => onChange(rows.map((other, j) => (j === i ? next : other)))}
              onRemove={() => onChange(rows.filter((_, j) => j !== i))}
            />
          ))}
        </tbody>
      </table>
      <div className="row">
        <label htmlFor="sweep-add">Sweep over</label>
        <select id="sweep-add" value={adding} onChange={(event) => setAdding(event.target.value)}>
          {sweepable.map((spec) => (
            <option key={spec.path} value={spec.path}>
              {spec.path}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={adding === ""}
          onClick={() => {
            onChange([...rows, emptyRow(adding)]);
            setAdding(sweepable.find((spec) => spec.path !== adding)?.path ?? "");
          }}
        >
          Add to sweep
        </button>
        <span aria-live="polite" data-testid="sweep-count">
          {count} run{count === 1 ? "" : "s"}
        </span>
      </div>
      <FieldError id="field-sweep" error={errors.sweep} />
    </section>
  );
}
