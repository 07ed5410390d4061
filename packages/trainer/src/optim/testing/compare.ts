import { expect } from "vitest";
import type { HarnessParam, HarnessStep } from "./update-harness.ts";
import type { ReferenceStep } from "./reference.ts";
import { randomValues } from "./reference.ts";

/** Two parameters in two groups (different learning rates); only the first has weight decay. */
export function twoGroupParams(weightDecay: number): HarnessParam[] {
  return [
    { name: "body.weight", values: randomValues(1, 6), group: 0, weightDecay },
    { name: "head.bias", values: randomValues(2, 3), group: 1, weightDecay: 0 },
  ];
}

export function randomSteps(params: HarnessParam[], count: number, momenta?: number[]): HarnessStep[] {
  return Array.from({ length: count }, (_, t) => ({
    gradients: params.map((p, i) => randomValues(100 * t + i + 7, p.values.length)),
    learningRates: [0.05 / (t + 1), 0.2],
    momentum: momenta?.[t],
  }));
}

/** The reference steps one parameter sees. */
export function stepsFor(steps: HarnessStep[], paramIndex: number, group: number, fixedMomentum: number): ReferenceStep[] {
  return steps.map((s, t) => ({ gradient: s.gradients[paramIndex]!, lr: s.learningRates[group]!, momentum: s.momentum ?? fixedMomentum, t: t + 1 }));
}

export function expectClose(actual: number[], expected: number[], tolerance = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) =>
    expect(Math.abs(value - expected[i]!), `element ${i}: ${value} vs ${expected[i]}`).toBeLessThan(tolerance * (1 + Math.abs(expected[i]!))),
  );
}
