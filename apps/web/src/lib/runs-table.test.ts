import { describe, expect, it } from "vitest";
import { backboneOf, describeSummary, durationSeconds, formatDuration, markPosition, progressOf, recipeOf, type TableRun } from "./runs-table.ts";
import { EMPTY_VIEW, toRunFilter, viewFromQuery, viewToQuery } from "./runs-view.ts";

const base: TableRun = { status: "SUCCEEDED", params: [], metrics: [] };
const at = (iso: string) => Date.parse(iso);

describe("runs table cells", () => {
  it("reads backbone and recipe from the architecture and the worker's params", () => {
    expect(backboneOf({ ...base, architecture: { name: "mobilenet-v2-imagenet" } })).toBe("mobilenet-v2-imagenet");
    expect(backboneOf({ ...base, params: [{ key: "transfer.backbone", value: "resnet18" }] })).toBe("resnet18");
    expect(backboneOf(base)).toBeUndefined();
    const launched = { ...base, params: [{ key: "recipe", value: "AUTO" }] };
    expect(recipeOf(launched)).toBe("AUTO");
    expect(recipeOf({ ...launched, params: [...launched.params, { key: "transfer.recipe", value: "LP_FT" }] })).toBe("LP_FT");
  });

  it("measures durations, growing while running", () => {
    const run = { ...base, startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:01:05Z" };
    expect(durationSeconds(run, at("2026-02-01T00:00:00Z"))).toBe(65);
    expect(durationSeconds({ ...run, finishedAt: null }, at("2026-01-01T00:00:30Z"))).toBe(30);
    expect(durationSeconds(base, 0)).toBeUndefined();
    expect([5, 65, 3 * 3600 + 120, 2 * 86_400 + 3600].map(formatDuration)).toEqual(["5s", "1m 05s", "3h 02m", "2d 01h"]);
    expect(formatDuration(undefined)).toBe("–");
  });

  it("counts epochs of running runs and estimates the time left", () => {
    const running: TableRun = {
      status: "RUNNING",
      startedAt: "2026-01-01T00:00:00Z",
      params: [
        { key: "transfer.recipe", value: "FINE_TUNE" },
        { key: "transfer.epochs", value: 6 },
        { key: "transfer.freeze_epochs", value: 2 },
      ],
      metrics: [{ key: "valid_loss", last: 0.3, min: 0.3, max: 1, count: 2 }],
    };
    expect(progressOf(running, at("2026-01-01T00:01:00Z"))).toEqual({ done: 2, total: 8, fraction: 0.25, etaSeconds: 180 });
    expect(progressOf({ ...running, metrics: [] }, at("2026-01-01T00:01:00Z"))).toEqual({ done: 0, total: 8, fraction: 0 });
    expect(progressOf({ ...running, status: "SUCCEEDED" }, 0)).toBeUndefined();
    expect(progressOf({ ...running, params: [{ key: "transfer.recipe", value: "LINEAR_PROBE" }] }, 0)).toBeUndefined();
    // not FINE_TUNE: the frozen epochs are not added
    expect(progressOf({ ...running, params: [{ key: "epochs", value: 4 }] }, at("2026-01-01T00:01:00Z"))?.total).toBe(4);
  });

  it("describes summaries and marks the error position", () => {
    expect(describeSummary({ last: 0.91, min: 0.5, max: 0.96 })).toBe("last 0.91 · min 0.5 · max 0.96");
    expect(markPosition("accuracy >", 11)).toEqual({ before: "accuracy >", at: " ", after: "" });
    expect(markPosition("a > > 1", 5)).toEqual({ before: "a > ", at: ">", after: " 1" });
  });

  it("keeps the search in the URL and sends it as filter.query", () => {
    const view = { ...EMPTY_VIEW, query: '  accuracy > 0.9 and backbone = "mobilenet"  ' };
    const query = viewToQuery(view);
    expect(query.get("q")).toBe('accuracy > 0.9 and backbone = "mobilenet"');
    expect(viewFromQuery(query).view.query).toBe('accuracy > 0.9 and backbone = "mobilenet"');
    expect(toRunFilter(view, "team").query).toBe('accuracy > 0.9 and backbone = "mobilenet"');
    expect(toRunFilter(EMPTY_VIEW, "team").query).toBeUndefined();
    expect(viewToQuery(EMPTY_VIEW).has("q")).toBe(false);
  });
});
