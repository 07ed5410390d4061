/**
 * The launch form's values and what they become: every field is edited as text (or a
 * checkbox), prefilled with the SDL default or a cloned run's frozen hyperparameters, and
 * turned back into a typed settings object. Numbers are checked here for their type only;
 * ranges are the API's rules, whose errors come back naming the field.
 */
import type { FieldSpec } from "./sdl-fields.ts";

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;
export type FieldErrors = Record<string, string>;

export function displayValue(spec: FieldSpec, value: unknown): FormValue {
  if (spec.kind === "boolean") return value === true;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

function lookup(source: Record<string, unknown>, path: string): unknown {
  let current: unknown = source;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Defaults, overridden by a cloned run's values where it has them. */
export function initialValues(specs: readonly FieldSpec[], from: Record<string, unknown> = {}): FormValues {
  const values: FormValues = {};
  for (const spec of specs) {
    const prefilled = lookup(from, spec.path);
    values[spec.path] = displayValue(spec, prefilled === undefined ? spec.defaultValue : prefilled);
  }
  return values;
}

/** One field's text as its typed value, or an error naming the rule. */
export function parseField(spec: FieldSpec, value: FormValue): { value: unknown } | { error: string } {
  if (spec.kind === "boolean") return { value: value === true };
  const text = String(value).trim();
  if (text === "") return spec.nullable ? { value: null } : { error: "is required" };
  switch (spec.kind) {
    case "int":
      return /^[+-]?\d+$/.test(text) ? { value: Number(text) } : { error: "must be a whole number" };
    case "float": {
      const number = Number(text);
      return Number.isFinite(number) ? { value: number } : { error: "must be a number" };
    }
    case "enum":
      return spec.options?.includes(text) ? { value: text } : { error: `must be one of ${spec.options?.join(", ")}` };
    case "string-list":
      return {
        value: text
          .split(",")
          .map((item) => item.trim())
          .filter((item) => item !== ""),
      };
    default:
      return { value: text };
  }
}

function assign(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let current = target;
  for (const part of parts.slice(0, -1)) {
    current[part] ??= {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1]!] = value;
}

/** The typed object (nested by path) and the fields whose text does not parse. */
export function valuesToObject(specs: readonly FieldSpec[], values: FormValues): { object: Record<string, unknown>; errors: FieldErrors } {
  const object: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const spec of specs) {
    const parsed = parseField(spec, values[spec.path] ?? displayValue(spec, spec.defaultValue));
    if ("error" in parsed) errors[spec.path] = parsed.error;
    else assign(object, spec.path, parsed.value);
  }
  return { object, errors };
}

/** The settings that differ from a cloned run's (what cloneRun takes), nested by path. */
export function changedSettings(specs: readonly FieldSpec[], settings: Record<string, unknown>, original: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const spec of specs) {
    const now = lookup(settings, spec.path);
    const before = lookup(original, spec.path);
    if (JSON.stringify(now) !== JSON.stringify(before === undefined ? spec.defaultValue : before)) assign(changed, spec.path, now);
  }
  return changed;
}
