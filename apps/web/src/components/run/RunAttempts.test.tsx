// @vitest-environment happy-dom
import { MantineProvider } from "@mantine/core";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RunAttempts, type RunAttemptRow } from "./RunAttempts.tsx";

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

function render(attempts: RunAttemptRow[], live = false) {
  act(() =>
    root.render(
      <MantineProvider>
        <RunAttempts attempts={attempts} live={live} />
      </MantineProvider>,
    ),
  );
}

const rows = () => [...container.querySelectorAll("tbody tr")].map((row) => [...row.children].map((cell) => cell.textContent?.trim()));

const LOST: RunAttemptRow = {
  number: 1,
  startedAt: "2026-12-08T01:00:00.000Z",
  endedAt: "2026-12-08T01:02:00.000Z",
  outcome: "LOST",
  error: "the training process of attempt 1 was killed (SIGKILL); queued again as attempt 2 of 3",
  resumedFromStep: null,
  resumedFromEpoch: null,
};

describe("RunAttempts", () => {
  it("shows nothing for a run trained in one attempt", () => {
    render([{ ...LOST, outcome: "FINISHED", error: null }]);
    expect(container.querySelector("section")).toBeNull();
  });

  it("lists every attempt with its outcome, reason and where it resumed from", () => {
    render(
      [
        LOST,
        {
          number: 2,
          startedAt: "2026-12-08T01:02:01.000Z",
          endedAt: "2026-12-08T01:02:30.000Z",
          outcome: "REQUEUED",
          error: null,
          resumedFromStep: 6,
          resumedFromEpoch: 2,
        },
        { number: 3, startedAt: "2026-12-08T01:03:00.000Z", endedAt: null, outcome: null, error: null, resumedFromStep: null, resumedFromEpoch: null },
      ],
      true,
    );
    expect(container.querySelector("section[aria-label='Attempts']")).not.toBeNull();
    expect(rows()).toEqual([
      ["1", "2026-12-08 01:00:00", "2026-12-08 01:02:00", `lost${LOST.error}`, "–"],
      ["2", "2026-12-08 01:02:01", "2026-12-08 01:02:30", "requeued", "step 6 (epoch 2)"],
      ["3", "2026-12-08 01:03:00", "–", "running", "the beginning"],
    ]);
  });
});
