import { describe, expect, it } from "vitest";
import { changedSettings, initialValues, parseField, valuesToObject } from "./form.ts";
import type { FieldSpec } from "./sdl-fields.ts";

const spec = (path: string, kind: FieldSpec["kind"], defaultValue: FieldSpec["defaultValue"], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  path,
  kind,
  defaultValue,
  nullable: true,
  description: "",
  ...extra,
});
const SPECS: FieldSpec[] = [
  spec("recipe", "enum", "FINE_TUNE", { options: ["FINE_TUNE", "FROZEN_HEAD"] }),
  spec("epochs", "int", 1),
  spec("learningRate", "float", 0.002),
  spec("imageSize", "int", null),
  spec("metrics", "string-list", ["accuracy"]),
  spec("augmentation.flip", "boolean", true),
];

describe("initialValues", () => {
  it("shows the defaults as text, a cloned run's values over them", () => {
    expect(initialValues(SPECS)).toEqual({
      recipe: "FINE_TUNE",
      epochs: "1",
      learningRate: "0.002",
      imageSize: "",
      metrics: "accuracy",
      "augmentation.flip": true,
    });
    const cloned = initialValues(SPECS, { learningRate: 0.01, metrics: ["accuracy", "f1_macro"], augmentation: { flip: false } });
    expect(cloned).toMatchObject({ learningRate: "0.01", metrics: "accuracy, f1_macro", "augmentation.flip": false, epochs: "1" });
  });
});

describe("parseField", () => {
  it("types each kind and names the rule a bad value breaks", () => {
    expect(parseField(SPECS[1]!, "3")).toEqual({ value: 3 });
    expect(parseField(SPECS[1]!, "2.5")).toEqual({ error: "must be a whole number" });
    expect(parseField(SPECS[2]!, "1e-3")).toEqual({ value: 0.001 });
    expect(parseField(SPECS[2]!, "fast")).toEqual({ error: "must be a number" });
    expect(parseField(SPECS[0]!, "FROZEN")).toEqual({ error: "must be one of FINE_TUNE, FROZEN_HEAD" });
    expect(parseField(SPECS[3]!, " ")).toEqual({ value: null });
    expect(parseField({ ...SPECS[1]!, nullable: false }, "")).toEqual({ error: "is required" });
  });
});

describe("valuesToObject", () => {
  it("nests dotted paths and collects errors by field", () => {
    const values = { ...initialValues(SPECS), epochs: "x", metrics: "accuracy, top_5_accuracy", "augmentation.flip": false };
    const { object, errors } = valuesToObject(SPECS, values);
    expect(errors).toEqual({ epochs: "must be a whole number" });
    expect(object).toEqual({
      recipe: "FINE_TUNE",
      learningRate: 0.002,
      imageSize: null,
      metrics: ["accuracy", "top_5_accuracy"],
      augmentation: { flip: false },
    });
  });
});

describe("changedSettings", () => {
  it("keeps only what differs from the cloned run (its missing values count as defaults)", () => {
    const original = { recipe: "FINE_TUNE", learningRate: 0.01, augmentation: { flip: true } };
    const now = { recipe: "FINE_TUNE", epochs: 1, learningRate: 0.02, imageSize: null, metrics: ["accuracy"], augmentation: { flip: false } };
    expect(changedSettings(SPECS, now, original)).toEqual({ learningRate: 0.02, augmentation: { flip: false } });
  });
});
