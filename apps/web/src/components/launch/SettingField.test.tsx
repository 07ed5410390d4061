// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LAUNCH_FIELDS } from "../../generated/launch-fields.ts";
import { SettingField } from "./SettingField.tsx";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

const recipe = LAUNCH_FIELDS.settings.find((spec) => spec.path === "recipe")!;

describe("the recipe field", () => {
  it("offers AUTO first and shows the chosen recipe's description", () => {
    act(() => root.render(<SettingField spec={recipe} formKey="recipe" value="AUTO" error={undefined} onChange={() => undefined} />));
    const options = [...container.querySelectorAll("option")];
    expect(options.map((option) => option.value)).toEqual(["AUTO", "LINEAR_PROBE", "LP_FT", "FINE_TUNE", "FIT_ONE_CYCLE", "FROZEN_HEAD"]);
    expect(options.every((option) => (option.getAttribute("title") ?? "").length > 0)).toBe(true);
    expect(container.querySelector("#field-recipe-option")?.textContent).toMatch(/^AUTO: chooses among the linear probe and fine-tuning/);
    expect(container.querySelector("select")?.getAttribute("aria-describedby")).toContain("field-recipe-option");
    act(() => root.render(<SettingField spec={recipe} formKey="recipe" value="LINEAR_PROBE" error={undefined} onChange={() => undefined} />));
    expect(container.querySelector("#field-recipe-option")?.textContent).toMatch(/^LINEAR_PROBE: logistic regression/);
  });

  it("states AUTO's budget with its default", () => {
    const budget = LAUNCH_FIELDS.settings.find((spec) => spec.path === "budgetSeconds")!;
    act(() => root.render(<SettingField spec={budget} formKey="budgetSeconds" value="300" error={undefined} onChange={() => undefined} />));
    expect(container.querySelector("#field-budgetSeconds-hint")?.textContent).toMatch(/^default \d+ · AUTO's time budget/);
    expect(container.querySelector("#field-budgetSeconds-option")).toBeNull();
  });
});
