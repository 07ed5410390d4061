/**
 * The sweep builder's rows as the API's SweepParameterInput: a list of values (grid or
 * random) or a range (random only), each value typed by its settings field.
 */
import { type FieldErrors, parseField } from "./form.ts";
import type { FieldSpec } from "./sdl-fields.ts";

export type SweepMethod = "GRID" | "RANDOM";

export interface SweepRow {
  key: string;
  /** Comma-separated values; empty for a range. */
  values: string;
  min: string;
  max: string;
  log: boolean;
  integer: boolean;
}

export interface SweepParameter {
  key: string;
  values?: unknown[];
  min?: number;
  max?: number;
  log?: boolean;
  integer?: boolean;
}

export function emptyRow(key: string): SweepRow {
  return { key, values: "", min: "", max: "", log: key === "learningRate", integer: false };
}

function rowParameter(row: SweepRow, spec: FieldSpec, method: SweepMethod): SweepParameter | string {
  if (row.values.trim() !== "") {
    const values: unknown[] = [];
    for (const text of row.values.split(",")) {
      const parsed = parseField(spec, spec.kind === "boolean" ? text.trim() === "true" : text);
      if ("error" in parsed) return `value "${text.trim()}" ${parsed.error}`;
      values.push(parsed.value);
    }
    return { key: row.key, values };
  }
  if (method === "GRID") return "needs a list of values (a grid takes no ranges)";
  const min = Number(row.min);
  const max = Number(row.max);
  if (row.min.trim() === "" || row.max.trim() === "" || !Number.isFinite(min) || !Number.isFinite(max)) return "needs values, or a numeric min and max";
  if (min > max) return "min must not exceed max";
  return { key: row.key, min, max, log: row.log, integer: row.integer };
}

/** The rows as SweepParameterInput, with errors keyed "sweep:<key>". */
export function sweepParameters(
  rows: readonly SweepRow[],
  specs: readonly FieldSpec[],
  method: SweepMethod,
): { parameters: SweepParameter[]; errors: FieldErrors } {
  const parameters: SweepParameter[] = [];
  const errors: FieldErrors = {};
  if (rows.length === 0) errors["sweep"] = "add at least one hyperparameter to sweep";
  for (const row of rows) {
    const spec = specs.find((candidate) => candidate.path === row.key);
    if (spec === undefined) {
      errors[`sweep:${row.key}`] = "is not a hyperparameter";
      continue;
    }
    if (rows.filter((other) => other.key === row.key).length > 1) errors[`sweep:${row.key}`] = "is swept twice";
    const result = rowParameter(row, spec, method);
    if (typeof result === "string") errors[`sweep:${row.key}`] = result;
    else parameters.push(result);
  }
  return { parameters, errors };
}

/** Runs a sweep launches: the product of the value counts (grid) or the trials (random). */
export function sweepRunCount(parameters: readonly SweepParameter[], method: SweepMethod, trials: number): number {
  if (method === "RANDOM") return trials;
  return parameters.reduce((product, parameter) => product * (parameter.values?.length ?? 0), parameters.length === 0 ? 0 : 1);
}
