import { describe, expect, it } from "vitest";
import { formKeyFor, placeApiErrors } from "./api-errors.ts";

const KEYS = new Set(["learningRate", "metrics", "augmentation.pAffine", "datasetId", "seed", "sweep", "sweep:batchSize", "sweep.trials", "kFold.folds"]);

describe("formKeyFor", () => {
  it("maps the API's field paths onto the form's fields, per launch mode", () => {
    expect(formKeyFor("input.settings.learningRate", "single", KEYS)).toBe("learningRate");
    expect(formKeyFor("input.base.settings.augmentation.pAffine", "sweep", KEYS)).toBe("augmentation.pAffine");
    expect(formKeyFor("input.settings.metrics.0", "single", KEYS)).toBe("metrics");
    expect(formKeyFor("input.base.datasetId", "kFold", KEYS)).toBe("datasetId");
    expect(formKeyFor("input.parameters (run 2).batchSize", "sweep", KEYS)).toBe("sweep:batchSize");
    expect(formKeyFor("input.parameters.0.values", "sweep", KEYS)).toBe("sweep");
    expect(formKeyFor("input.trials", "sweep", KEYS)).toBe("sweep.trials");
    expect(formKeyFor("input.seed", "sweep", KEYS)).toBe(null);
    expect(formKeyFor("input.base.settings.seed", "sweep", KEYS)).toBe("seed");
    expect(formKeyFor("input.folds", "kFold", KEYS)).toBe("kFold.folds");
    expect(formKeyFor("input.runId", "single", KEYS)).toBe(null);
  });
});

describe("placeApiErrors", () => {
  it("puts rules at their fields and keeps the rest general", () => {
    const placed = placeApiErrors(
      [
        {
          message: "input.settings.learningRate: must be > 0",
          extensions: { code: "BAD_USER_INPUT", field: "input.settings.learningRate", rule: "must be > 0" },
        },
        { message: "missing permission run:launch", extensions: { code: "FORBIDDEN" } },
      ],
      "single",
      KEYS,
    );
    expect(placed).toEqual({ fields: { learningRate: "must be > 0" }, general: ["missing permission run:launch"] });
  });
});
