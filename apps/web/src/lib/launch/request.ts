/**
 * What the launch form sends: launchRun, launchSweep, launchKFold, or cloneRun (a single run
 * from a cloned run on the same dataset and architecture: only the changed settings go).
 */
import { type FieldErrors, type FormValues, changedSettings, valuesToObject } from "./form.ts";
import type { LaunchMode } from "./api-errors.ts";
import type { LaunchFieldSpecs } from "./sdl-fields.ts";
import { type SweepMethod, type SweepRow, sweepParameters } from "./sweep.ts";

export interface LaunchDraft {
  mode: LaunchMode;
  projectId: string;
  datasetId: string;
  architectureId: string;
  name: string;
  tags: string;
  /** Settings, run options (priority, maxAttempts), "sweep.*" and "kFold.*" fields. */
  values: FormValues;
  sweepMethod: SweepMethod;
  sweepRows: SweepRow[];
  cloneOf?: { runId: string; datasetId: string; architectureId: string; hyperparameters: Record<string, unknown> };
}

export type LaunchRequest = { mutation: "launchRun" | "launchSweep" | "launchKFold" | "cloneRun"; input: Record<string, unknown> } | { errors: FieldErrors };

function required(draft: LaunchDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (draft.projectId === "") errors.projectId = "choose a project";
  if (draft.datasetId === "") errors.datasetId = "choose a dataset";
  if (draft.architectureId === "") errors.architectureId = "choose an architecture";
  return errors;
}

function tagList(text: string): string[] | undefined {
  const tags = text
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  return tags.length === 0 ? undefined : tags;
}

function prefixed(values: FormValues, prefix: string): FormValues {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

export function buildLaunchRequest(draft: LaunchDraft, specs: LaunchFieldSpecs): LaunchRequest {
  const settings = valuesToObject(specs.settings, draft.values);
  const runOptions = valuesToObject(specs.run, draft.values);
  const errors: FieldErrors = { ...required(draft), ...settings.errors, ...runOptions.errors };
  const name = draft.name.trim() === "" ? undefined : draft.name.trim();
  const base = {
    projectId: draft.projectId,
    datasetId: draft.datasetId,
    architectureId: draft.architectureId,
    name,
    tags: tagList(draft.tags),
    settings: settings.object,
    ...runOptions.object,
  };

  if (draft.mode === "sweep") {
    const sweep = valuesToObject(specs.sweep, prefixed(draft.values, "sweep."));
    const method = (sweep.object.method as SweepMethod | undefined) ?? draft.sweepMethod;
    const rows = sweepParameters(draft.sweepRows, specs.settings, method);
    Object.assign(errors, rows.errors, Object.fromEntries(Object.entries(sweep.errors).map(([key, rule]) => [`sweep.${key}`, rule])));
    if (Object.keys(errors).length > 0) return { errors };
    return { mutation: "launchSweep", input: { base, ...sweep.object, method, parameters: rows.parameters } };
  }
  if (draft.mode === "kFold") {
    const kFold = valuesToObject(specs.kFold, prefixed(draft.values, "kFold."));
    Object.assign(errors, Object.fromEntries(Object.entries(kFold.errors).map(([key, rule]) => [`kFold.${key}`, rule])));
    if (Object.keys(errors).length > 0) return { errors };
    return { mutation: "launchKFold", input: { base, ...kFold.object } };
  }
  if (Object.keys(errors).length > 0) return { errors };
  const clone = draft.cloneOf;
  if (clone !== undefined && clone.datasetId === draft.datasetId && clone.architectureId === draft.architectureId) {
    const changed = changedSettings(specs.settings, settings.object, clone.hyperparameters);
    return { mutation: "cloneRun", input: { runId: clone.runId, name, tags: base.tags, priority: runOptions.object.priority, settings: changed } };
  }
  return { mutation: "launchRun", input: base };
}
