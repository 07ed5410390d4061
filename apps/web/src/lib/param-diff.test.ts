import { describe, expect, it } from "vitest";
import { paramDiff } from "./param-diff.ts";

describe("paramDiff", () => {
  it("marks keys whose values differ, including a param one run lacks", () => {
    const rows = paramDiff([
      {
        params: [
          { key: "lr", value: 0.001 },
          { key: "arch", value: "mobilenet" },
          { key: "frozen", value: true },
        ],
      },
      {
        params: [
          { key: "lr", value: 0.01 },
          { key: "arch", value: "mobilenet" },
        ],
      },
    ]);
    expect(rows).toEqual([
      { key: "arch", values: ["mobilenet", "mobilenet"], differs: false },
      { key: "frozen", values: [true, undefined], differs: true },
      { key: "lr", values: [0.001, 0.01], differs: true },
    ]);
  });

  it('treats 1 and "1" as different and finds nothing to diff for no runs', () => {
    expect(paramDiff([{ params: [{ key: "k", value: 1 }] }, { params: [{ key: "k", value: "1" }] }])[0]?.differs).toBe(true);
    expect(paramDiff([])).toEqual([]);
  });
});
