import { describe, expect, it } from "vitest";
import { combineSchedules, constantSchedule, cosineSchedule, linearSchedule, oneCycleLearningRate, oneCycleMomentum, stepSchedule } from "./schedules.ts";

describe("schedules", () => {
  it("cosine goes from start to end through the midpoint", () => {
    const s = cosineSchedule(1, 3);
    expect(s(0)).toBeCloseTo(1, 12);
    expect(s(0.5)).toBeCloseTo(2, 12);
    expect(s(1)).toBeCloseTo(3, 12);
    // 1 + (1 + cos(0.75π))·2/2
    expect(s(0.25)).toBeCloseTo(1 + (1 + Math.cos(0.75 * Math.PI)), 12);
  });

  it("constant, linear and step", () => {
    expect(constantSchedule(0.3)(0.7)).toBe(0.3);
    expect(linearSchedule(2, 4)(0.25)).toBeCloseTo(2.5, 12);
    const s = stepSchedule(1, [0.5, 0.75], 0.1);
    expect([s(0), s(0.49), s(0.5), s(0.8), s(1)].map((v) => +v.toPrecision(6))).toEqual([1, 1, 0.1, 0.01, 0.01]);
  });

  it("one-cycle learning rate follows fastai: lrMax/25 → lrMax at 25% → lrMax/1e5", () => {
    const lr = oneCycleLearningRate({ lrMax: 0.01 });
    expect(lr(0)).toBeCloseTo(0.0004, 12);
    expect(lr(0.125)).toBeCloseTo((0.0004 + 0.01) / 2, 12);
    expect(lr(0.25)).toBeCloseTo(0.01, 12);
    // halfway through the annealing phase: the mean of lrMax and lrMax/1e5
    expect(lr(0.625)).toBeCloseTo((0.01 + 1e-7) / 2, 12);
    expect(lr(1)).toBeCloseTo(1e-7, 15);
  });

  it("one-cycle momentum goes 0.95 → 0.85 → 0.95", () => {
    const mom = oneCycleMomentum({ lrMax: 0.01 });
    expect(mom(0)).toBeCloseTo(0.95, 12);
    expect(mom(0.25)).toBeCloseTo(0.85, 12);
    expect(mom(0.625)).toBeCloseTo(0.9, 12);
    expect(mom(1)).toBeCloseTo(0.95, 12);
  });

  it("honours custom divisors and warm-up fraction", () => {
    const lr = oneCycleLearningRate({ lrMax: 1, div: 10, divFinal: 100, pctStart: 0.5 });
    expect(lr(0)).toBeCloseTo(0.1, 12);
    expect(lr(0.5)).toBeCloseTo(1, 12);
    expect(lr(1)).toBeCloseTo(0.01, 12);
    expect(oneCycleLearningRate({ lrMax: 1, pctStart: 0 })(0)).toBeCloseTo(1, 12);
  });

  it("validates positions and settings", () => {
    expect(() => cosineSchedule(0, 1)(1.5)).toThrow(/position must be in \[0, 1\]/);
    expect(() => combineSchedules([0.5, 0.6], [constantSchedule(1), constantSchedule(2)])).toThrow(/sum to 1/);
    expect(() => oneCycleLearningRate({ lrMax: -1 })).toThrow(/lrMax must be > 0/);
  });
});
