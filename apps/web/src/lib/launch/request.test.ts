import { describe, expect, it } from "vitest";
import { LAUNCH_FIELDS } from "../../generated/launch-fields.ts";
import { initialValues } from "./form.ts";
import { type LaunchDraft, buildLaunchRequest } from "./request.ts";
import { emptyRow } from "./sweep.ts";

const SPECS = LAUNCH_FIELDS;
const ALL = [...SPECS.settings, ...SPECS.run];
function draft(extra: Partial<LaunchDraft> = {}): LaunchDraft {
  const values = {
    ...initialValues(ALL),
    ...Object.fromEntries(Object.entries(initialValues(SPECS.sweep)).map(([key, value]) => [`sweep.${key}`, value])),
    ...Object.fromEntries(Object.entries(initialValues(SPECS.kFold)).map(([key, value]) => [`kFold.${key}`, value])),
  };
  return { mode: "single", projectId: "p", datasetId: "d", architectureId: "a", name: "", tags: "x, y", values, sweepMethod: "GRID", sweepRows: [], ...extra };
}

describe("buildLaunchRequest", () => {
  it("sends every setting at its SDL default for a plain launch", () => {
    const request = buildLaunchRequest(draft(), SPECS);
    if (!("input" in request)) throw new Error(JSON.stringify(request.errors));
    expect(request.mutation).toBe("launchRun");
    expect(request.input).toMatchObject({ projectId: "p", datasetId: "d", architectureId: "a", tags: ["x", "y"], priority: 0, maxAttempts: 3 });
    expect(request.input.settings).toMatchObject({
      recipe: "AUTO",
      learningRate: null,
      batchSize: 64,
      imageSize: null,
      metrics: ["accuracy"],
      augmentation: { flip: true, maxRotate: 10 },
    });
    expect(request.input.settings).toHaveProperty("budgetSeconds");
  });

  it("builds a grid sweep and a k-fold from the same base", () => {
    const base = draft();
    const sweep = buildLaunchRequest({ ...base, mode: "sweep", sweepRows: [{ ...emptyRow("learningRate"), values: "0.001, 0.01" }] }, SPECS);
    expect(sweep).toMatchObject({
      mutation: "launchSweep",
      input: { method: "GRID", trials: 10, seed: 0, parameters: [{ key: "learningRate", values: [0.001, 0.01] }] },
    });
    const kFold = buildLaunchRequest({ ...base, mode: "kFold", values: { ...base.values, "kFold.folds": "3" } }, SPECS);
    expect(kFold).toMatchObject({ mutation: "launchKFold", input: { folds: 3, base: { datasetId: "d" } } });
  });

  it("clones with only the changed settings while dataset and architecture stay", () => {
    const cloneOf = { runId: "r1", datasetId: "d", architectureId: "a", hyperparameters: { recipe: "AUTO", learningRate: null, epochs: 1 } };
    const values = { ...draft().values, epochs: "4" };
    expect(buildLaunchRequest(draft({ cloneOf, values, name: "again" }), SPECS)).toEqual({
      mutation: "cloneRun",
      input: { runId: "r1", name: "again", tags: ["x", "y"], priority: 0, settings: { epochs: 4 } },
    });
    expect(buildLaunchRequest(draft({ cloneOf, values, datasetId: "other" }), SPECS)).toMatchObject({ mutation: "launchRun" });
  });

  it("names every field that is missing or does not parse", () => {
    const values = { ...draft().values, learningRate: "fast" };
    expect(buildLaunchRequest(draft({ datasetId: "", values }), SPECS)).toEqual({
      errors: { datasetId: "choose a dataset", learningRate: "must be a number" },
    });
    expect(buildLaunchRequest(draft({ mode: "sweep" }), SPECS)).toEqual({ errors: { sweep: "add at least one hyperparameter to sweep" } });
  });
});
