import { describe, expect, it } from "vitest";
import { DEFAULT_SORT, EMPTY_VIEW, parseParamValue, sortByColumn, toRunFilter, viewFromQuery, viewToQuery, type RunsView } from "./runs-view.ts";

const full: RunsView = {
  project: "project-1",
  query: '(accuracy > 0.9 or tags.baseline) and backbone = "mobilenet-v2"',
  status: ["RUNNING", "SUCCEEDED"],
  tags: ["baseline", "k-fold"],
  params: [
    { key: "optimizer", equals: "adamw" },
    { key: "lr", gte: 0.0001, lte: 0.01 },
    { key: "opt:betas", gte: 0.5 },
    { key: "frozen", equals: true },
  ],
  metrics: [{ key: "valid:accuracy", field: "MAX", gte: 0.9 }],
  sort: { field: "METRIC", key: "valid:accuracy", summary: "MAX", direction: "ASC" },
  columns: [
    { kind: "param", key: "lr" },
    { kind: "metric", key: "train_loss", summary: "MIN" },
  ],
  groupBy: { field: "PARAM", key: "opt:lr" },
};

describe("runs view in the URL", () => {
  it("round-trips every kind of filter, sort and column, keys with colons included", () => {
    const query = new URLSearchParams(viewToQuery(full).toString());
    expect(viewFromQuery(query)).toEqual({ view: full, problems: [] });
  });

  it("writes nothing for the empty view and reads it back", () => {
    expect(viewToQuery(EMPTY_VIEW).toString()).toBe("");
    expect(viewFromQuery(new URLSearchParams()).view).toEqual(EMPTY_VIEW);
  });

  it("drops entries that do not parse and names them", () => {
    const { view, problems } = viewFromQuery(new URLSearchParams("param=lr:abc:&metric=acc:MEDIAN::&sort=SIZE:DESC&col=x&status=NOPE"));
    expect(view).toEqual(EMPTY_VIEW);
    expect(problems).toEqual([
      'param lr min: "abc" is not a number',
      "metric acc: summary must be one of LAST, MIN, MAX",
      "sort: field must be one of CREATED_AT, NAME, PARAM, METRIC",
      'col: "x" must start with p: or m:',
    ]);
  });
});

describe("filters for the API", () => {
  it("sends only the conditions that are set, always scoped to the team", () => {
    expect(toRunFilter(EMPTY_VIEW, "t1")).toEqual({
      teamId: "t1",
      projectId: undefined,
      query: undefined,
      status: undefined,
      tags: undefined,
      params: undefined,
      metrics: undefined,
    });
    expect(toRunFilter(full, "t1").params).toEqual(full.params);
    expect(toRunFilter(full, "t1").projectId).toBe("project-1");
  });

  it("reads param values as booleans, numbers or strings", () => {
    expect([parseParamValue("true"), parseParamValue("1e-3"), parseParamValue("resnet18"), parseParamValue(" ")]).toEqual([true, 0.001, "resnet18", " "]);
  });
});

describe("sorting by a column header", () => {
  it("sorts a new column descending (names ascending) and flips a sorted one", () => {
    const byLoss = sortByColumn(DEFAULT_SORT, { field: "METRIC", key: "loss", summary: "MIN" });
    expect(byLoss).toEqual({ field: "METRIC", key: "loss", summary: "MIN", direction: "DESC" });
    expect(sortByColumn(byLoss, { field: "METRIC", key: "loss", summary: "MIN" }).direction).toBe("ASC");
    expect(sortByColumn(byLoss, { field: "NAME", summary: "LAST" }).direction).toBe("ASC");
  });
});
