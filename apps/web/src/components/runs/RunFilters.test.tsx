// @vitest-environment happy-dom
import { MantineProvider } from "@mantine/core";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMPTY_VIEW, type RunsView } from "../../lib/runs-view.ts";
import { RunFilters } from "./RunFilters.tsx";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
let changes: RunsView[];

function render(view: RunsView) {
  act(() =>
    root.render(
      <MantineProvider>
        <RunFilters view={view} onChange={(next) => changes.push(next)} />
      </MantineProvider>,
    ),
  );
}

function field(label: string): HTMLInputElement | HTMLSelectElement {
  const labelElement = [...container.querySelectorAll("label")].find((element) => element.textContent?.trim().startsWith(label));
  // A label names its control by `for` (Mantine's inputs) or by wrapping it.
  const control = labelElement?.htmlFor ? container.querySelector(`[id="${labelElement.htmlFor}"]`) : labelElement?.querySelector("input, select");
  if (!control) throw new Error(`no field labelled ${label}`);
  return control as HTMLInputElement | HTMLSelectElement;
}

function fill(label: string, value: string) {
  const control = field(label);
  control.value = value;
}

function submit() {
  const form = container.querySelector("form[aria-label='Add a filter']") as HTMLFormElement;
  act(() => form.requestSubmit());
}

beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  changes = [];
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe("RunFilters", () => {
  it("adds a metric range on the chosen summary", () => {
    render(EMPTY_VIEW);
    fill("Key", "valid_accuracy");
    fill("Summary", "MAX");
    fill("Min", "0.8");
    submit();
    expect(changes).toEqual([{ ...EMPTY_VIEW, metrics: [{ key: "valid_accuracy", field: "MAX", gte: 0.8, lte: undefined }] }]);
  });

  it("adds a param equality with its value typed, and a tag", () => {
    render(EMPTY_VIEW);
    fill("Filter on", "param");
    fill("Key", "frozen");
    fill("Param equals", "true");
    submit();
    fill("Filter on", "tag");
    fill("Key", "k-fold");
    submit();
    expect(changes.map((view) => [view.params, view.tags])).toEqual([
      [[{ key: "frozen", equals: true }], []],
      [[], ["k-fold"]],
    ]);
  });

  it("names the field when a range has no bound or a bound is not a number", () => {
    render(EMPTY_VIEW);
    fill("Key", "loss");
    submit();
    expect(container.querySelector("[role='alert']")?.textContent).toBe("min/max: give a value, a min or a max");
    fill("Key", "loss");
    fill("Max", "abc");
    submit();
    expect(container.querySelector("[role='alert']")?.textContent).toBe("min/max: must be numbers");
    expect(changes).toEqual([]);
  });

  it("toggles a status and removes an active filter", () => {
    const view: RunsView = { ...EMPTY_VIEW, status: ["FAILED"], tags: ["a", "b"] };
    render(view);
    const running = field("running") as HTMLInputElement;
    act(() => running.click());
    const removeA = container.querySelector("button[aria-label='Remove filter tag a']") as HTMLButtonElement;
    act(() => removeA.click());
    expect(changes).toEqual([
      { ...view, status: ["FAILED", "RUNNING"] },
      { ...view, tags: ["b"] },
    ]);
  });
});
