"use client";
/**
 * One labelled form field of the launch form, its SDL default and description as its hint, its
 * error beside it; an enum with described values (the recipes) also shows the chosen value's.
 */
import type { FormValue } from "../../lib/launch/form.ts";
import { displayValue } from "../../lib/launch/form.ts";
import type { FieldSpec } from "../../lib/launch/sdl-fields.ts";

export const fieldId = (key: string) => `field-${key.replace(/[^a-zA-Z0-9]/g, "-")}`;

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (error === undefined) return null;
  return (
    <span id={`${id}-error`} className="error field-error" role="alert">
      {error}
    </span>
  );
}

interface Props {
  spec: FieldSpec;
  formKey: string;
  value: FormValue;
  error: string | undefined;
  onChange: (value: FormValue) => void;
}

export function SettingField({ spec, formKey, value, error, onChange }: Props) {
  const id = fieldId(formKey);
  const shownDefault = displayValue(spec, spec.defaultValue);
  const hint = `default ${shownDefault === "" ? "none" : String(shownDefault)}${spec.description ? ` · ${spec.description}` : ""}`;
  const described = `${id}-hint${spec.optionDescriptions?.[String(value)] ? ` ${id}-option` : ""}${error ? ` ${id}-error` : ""}`;
  const common = { id, "aria-describedby": described, "aria-invalid": error !== undefined, "data-field": formKey };
  return (
    <div className="field" data-changed={String(value) !== String(shownDefault)}>
      <label htmlFor={id}>{spec.path}</label>
      {spec.kind === "boolean" ? (
        <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />
      ) : spec.kind === "enum" ? (
        <select {...common} value={String(value)} onChange={(event) => onChange(event.target.value)}>
          {spec.nullable && spec.defaultValue === null && <option value="">(none)</option>}
          {spec.options?.map((option) => (
            <option key={option} value={option} title={spec.optionDescriptions?.[option]}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type="text"
          inputMode={spec.kind === "int" || spec.kind === "float" ? "decimal" : "text"}
          value={String(value)}
          placeholder={spec.nullable ? "null" : ""}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      <small id={`${id}-hint`} className="muted">
        {hint}
      </small>
      {spec.optionDescriptions?.[String(value)] && (
        <small id={`${id}-option`} className="option-description" data-option={String(value)}>
          {String(value)}: {spec.optionDescriptions[String(value)]}
        </small>
      )}
      <FieldError id={id} error={error} />
    </div>
  );
}
