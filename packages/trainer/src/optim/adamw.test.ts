import { describe, expect, it } from "vitest";
import { createAdamW } from "./adamw.ts";
import { expectClose, randomSteps, stepsFor, twoGroupParams } from "./testing/compare.ts";
import { adamWReference } from "./testing/reference.ts";
import { runUpdates } from "./testing/update-harness.ts";

describe("AdamW update graph", () => {
  for (const weightDecay of [0, 0.05]) {
    it(`matches torch.optim.AdamW over 6 steps with bias correction (wd ${weightDecay})`, async () => {
      const params = twoGroupParams(weightDecay);
      const steps = randomSteps(params, 6);
      const history = await runUpdates(createAdamW({ kind: "adamw", betas: [0.9, 0.99], eps: 1e-6 }), params, steps);
      params.forEach((p, i) => {
        const reference = { beta2: 0.99, eps: 1e-6, weightDecay: p.weightDecay };
        const expected = adamWReference(reference, p.values, stepsFor(steps, i, p.group, 0.9));
        history.forEach((values, t) => expectClose(values[i]!, expected[t]!));
      });
    });
  }

  it("uses a scheduled β₁ (one-cycle momentum) in the moments and the bias correction", async () => {
    const params = twoGroupParams(0.01);
    const momenta = [0.95, 0.92, 0.88, 0.85, 0.9];
    const steps = randomSteps(params, 5, momenta);
    const history = await runUpdates(createAdamW({ kind: "adamw" }), params, steps, true);
    const expected = adamWReference({ beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }, params[0]!.values, stepsFor(steps, 0, 0, 0.9));
    history.forEach((values, t) => expectClose(values[0]!, expected[t]!));
  });

  it("keeps moments and its own step count per parameter and validates its settings", () => {
    expect(
      createAdamW({ kind: "adamw" })
        .stateSlots("w")
        .map((s) => s.name),
    ).toEqual(["w.exp_avg", "w.exp_avg_sq", "w.step"]);
    expect(() => createAdamW({ kind: "adamw", betas: [1, 0.9] })).toThrow(/adamw.betas\[0\] must be in \[0, 1\)/);
  });
});
