// @vitest-environment happy-dom
import { MantineProvider } from "@mantine/core";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ParamRow } from "../../lib/run-story.ts";
import { RunParams } from "./RunParams.tsx";

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

function render(params: ParamRow[]) {
  act(() =>
    root.render(
      <MantineProvider>
        <RunParams params={params} />
      </MantineProvider>,
    ),
  );
}

/** Each section's name and whether its control says it is open. */
const sections = () =>
  [...container.querySelectorAll("[data-param-group]")].map((item) => [
    item.getAttribute("data-param-group"),
    item.querySelector("button")?.getAttribute("aria-expanded") === "true",
  ]);

const LAUNCHED = [
  { key: "augmentation.flip", value: true },
  { key: "epochs", value: 3 },
];
const TRAINED = [...LAUNCHED, { key: "transfer.recipe", value: "FINE_TUNE" }, { key: "auto.chosen", value: "FINE_TUNE" }, { key: "data.classes", value: 2 }];

describe("RunParams", () => {
  it("says so when the run has no params", () => {
    render([]);
    expect(container.textContent).toContain("This run recorded no params.");
  });

  it("opens transfer.* and auto.* once the worker records them, whatever was open before", () => {
    render(LAUNCHED);
    expect(sections()).toEqual([
      ["augmentation", true],
      ["other", false],
    ]);
    render(TRAINED);
    expect(sections()).toEqual([
      ["transfer", true],
      ["auto", true],
      ["data", false],
      ["augmentation", false],
      ["other", false],
    ]);
  });

  it("keeps the reader's choice once a section is opened or folded", () => {
    render(TRAINED);
    const data = container.querySelector("[data-param-group='data'] button") as HTMLButtonElement;
    act(() => data.click());
    expect(sections()).toEqual([
      ["transfer", true],
      ["auto", true],
      ["data", true],
      ["augmentation", false],
      ["other", false],
    ]);
    render([...TRAINED, { key: "worker.device", value: "cpu" }]);
    expect(
      sections()
        .filter(([, open]) => open)
        .map(([name]) => name),
    ).toEqual(["transfer", "auto", "data"]);
  });
});
