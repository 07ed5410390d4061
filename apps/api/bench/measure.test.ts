import { describe, expect, it } from "vitest";
import { latencySummary } from "./measure.ts";

describe("latencySummary", () => {
  it("takes nearest-rank percentiles, whatever the order of the durations", () => {
    const times = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(latencySummary(times)).toEqual({ count: 200, p50: 100, p95: 190, p99: 198, max: 200 });
  });

  it("gives the one duration of a single request for every percentile", () => {
    expect(latencySummary([7.5])).toEqual({ count: 1, p50: 7.5, p95: 7.5, p99: 7.5, max: 7.5 });
  });

  it("gives NaN rather than 0 when there was no request", () => {
    expect(latencySummary([]).p99).toBeNaN();
  });
});
