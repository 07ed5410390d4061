import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { launchFieldsSource } from "../../../scripts/generate-launch-fields.ts";
import { inputFieldSpecs } from "./sdl-fields.ts";

const SDL = `
  enum Recipe { "fastai's fine_tune" FINE_TUNE FROZEN_HEAD }
  input Inner { flip: Boolean = true  maxRotate: Float = 10 }
  input Settings {
    "Peak rate."
    learningRate: Float = 0.002
    recipe: Recipe = FINE_TUNE
    imageSize: Int = null
    batchSize: Int!
    metrics: [String!] = ["accuracy"]
    augmentation: Inner = {}
  }
  type Query { ok(settings: Settings): Boolean }
`;

describe("inputFieldSpecs", () => {
  it("reads kinds, defaults, nullability, enum values and descriptions, flattening nested inputs", () => {
    const specs = inputFieldSpecs(buildSchema(SDL), "Settings");
    expect(specs.map((spec) => [spec.path, spec.kind, spec.defaultValue, spec.nullable])).toEqual([
      ["learningRate", "float", 0.002, true],
      ["recipe", "enum", "FINE_TUNE", true],
      ["imageSize", "int", null, true],
      ["batchSize", "int", null, false],
      ["metrics", "string-list", ["accuracy"], true],
      ["augmentation.flip", "boolean", true, true],
      ["augmentation.maxRotate", "float", 10, true],
    ]);
    expect(specs[0]!.description).toBe("Peak rate.");
    expect(specs[1]!.options).toEqual(["FINE_TUNE", "FROZEN_HEAD"]);
    expect(specs[1]!.optionDescriptions).toEqual({ FINE_TUNE: "fastai's fine_tune" });
    expect(specs[2]!.optionDescriptions).toBeUndefined();
  });

  it("refuses a type that is not an input", () => {
    expect(() => inputFieldSpecs(buildSchema(SDL), "Query")).toThrow("Query is not an input type");
  });
});

describe("the generated launch fields", () => {
  it("match the API's current SDL (run `npm run generate -w @runboard/web` when this fails)", () => {
    const committed = readFileSync(new URL("../../generated/launch-fields.ts", import.meta.url), "utf8");
    expect(committed).toBe(launchFieldsSource());
  });
});
