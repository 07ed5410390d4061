import { describe, expect, it } from "vitest";
import { rankGroups } from "./leaderboard-math.ts";

const runs = [
  { runId: "a1", group: "resnet-kfold", value: 0.9 },
  { runId: "a2", group: "resnet-kfold", value: 0.8 },
  { runId: "a3", group: "resnet-kfold", value: 0.7 },
  { runId: "b1", group: "mobilenet", value: 0.85 },
];

describe("rankGroups", () => {
  it("ranks groups by their best run and reports mean ± sample std", () => {
    const [first, second] = rankGroups(runs, "MAX");
    expect(first).toMatchObject({ group: "resnet-kfold", bestRunId: "a1", best: 0.9, runCount: 3 });
    expect(first?.mean).toBeCloseTo(0.8, 12);
    expect(first?.std).toBeCloseTo(0.1, 12);
    expect(second).toMatchObject({ group: "mobilenet", best: 0.85, mean: 0.85, std: 0, runCount: 1 });
  });

  it("prefers lower values when minimizing", () => {
    const ranked = rankGroups(runs, "MIN");
    expect(ranked.map((g) => [g.group, g.best])).toEqual([
      ["resnet-kfold", 0.7],
      ["mobilenet", 0.85],
    ]);
  });

  it("breaks equal bests by the mean", () => {
    const tied = [
      { runId: "x1", group: "x", value: 1 },
      { runId: "x2", group: "x", value: 0 },
      { runId: "y1", group: "y", value: 1 },
    ];
    expect(rankGroups(tied, "MAX").map((g) => g.group)).toEqual(["y", "x"]);
  });
});
