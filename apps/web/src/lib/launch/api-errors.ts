/**
 * The API's user errors (extensions.field, extensions.rule) placed at the form's fields.
 * Field paths are the API's: "input.settings.learningRate", "input.base.settings.batchSize"
 * (sweeps, k-folds), "input.parameters (run 2).batchSize" (a swept value), "input.folds".
 */
import type { FieldErrors } from "./form.ts";

export type LaunchMode = "single" | "sweep" | "kFold";

export interface ApiErrorShape {
  message: string;
  extensions?: Record<string, unknown>;
}

const MODE_FIELDS: Record<LaunchMode, Record<string, string>> = {
  single: {},
  sweep: { trials: "sweep.trials", seed: "sweep.seed", method: "sweep.method", parameters: "sweep" },
  kFold: { folds: "kFold.folds" },
};

/** The form key for an API field path, or null when no field of the form matches it. */
export function formKeyFor(apiField: string, mode: LaunchMode, formKeys: ReadonlySet<string>): string | null {
  let path = apiField.replace(/^input\./, "");
  const swept = /^parameters \(run \d+\)\.(.+)$/.exec(path) ?? /^parameters\.\d+\.?(.*)$/.exec(path);
  if (swept) return swept[1] && formKeys.has(`sweep:${swept[1]}`) ? `sweep:${swept[1]}` : "sweep";
  const modeKey = MODE_FIELDS[mode][path];
  if (modeKey !== undefined) return formKeys.has(modeKey) ? modeKey : null;
  path = path.replace(/^base\./, "").replace(/^settings\./, "");
  // "metrics.0" belongs to the field "metrics": drop trailing segments until one matches.
  const parts = path.split(".");
  for (let length = parts.length; length > 0; length--) {
    const candidate = parts.slice(0, length).join(".");
    if (formKeys.has(candidate)) return candidate;
  }
  return null;
}

/** Errors with a known field go to that field; the rest are shown above the form. */
export function placeApiErrors(errors: readonly ApiErrorShape[], mode: LaunchMode, formKeys: ReadonlySet<string>): { fields: FieldErrors; general: string[] } {
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const error of errors) {
    const field = typeof error.extensions?.field === "string" ? error.extensions.field : null;
    const key = field === null ? null : formKeyFor(field, mode, formKeys);
    if (key === null) general.push(error.message);
    else fields[key] = typeof error.extensions?.rule === "string" ? error.extensions.rule : error.message;
  }
  return { fields, general };
}
