import { describe, expect, it } from "vitest";
import { createSgd } from "./sgd.ts";
import { expectClose, randomSteps, stepsFor, twoGroupParams } from "./testing/compare.ts";
import { sgdReference } from "./testing/reference.ts";
import { runUpdates } from "./testing/update-harness.ts";

const cases = [
  { title: "plain", momentum: 0, nesterov: false, weightDecay: 0, decoupled: false },
  { title: "momentum", momentum: 0.9, nesterov: false, weightDecay: 0, decoupled: false },
  { title: "nesterov", momentum: 0.9, nesterov: true, weightDecay: 0, decoupled: false },
  { title: "L2 weight decay", momentum: 0.9, nesterov: false, weightDecay: 0.1, decoupled: false },
  { title: "decoupled weight decay", momentum: 0.8, nesterov: true, weightDecay: 0.1, decoupled: true },
];

describe("SGD update graph", () => {
  for (const c of cases) {
    it(`matches the PyTorch rule over 5 steps: ${c.title}`, async () => {
      const params = twoGroupParams(c.weightDecay);
      const steps = randomSteps(params, 5);
      const sgd = createSgd({ kind: "sgd", momentum: c.momentum, nesterov: c.nesterov, decoupledWeightDecay: c.decoupled });
      const history = await runUpdates(sgd, params, steps);
      params.forEach((p, i) => {
        const expected = sgdReference({ ...c, weightDecay: p.weightDecay }, p.values, stepsFor(steps, i, p.group, c.momentum));
        history.forEach((values, t) => expectClose(values[i]!, expected[t]!));
      });
    });
  }

  it("takes a scheduled momentum input in place of the constant", async () => {
    const params = twoGroupParams(0);
    const momenta = [0.95, 0.9, 0.85, 0.9, 0.95];
    const steps = randomSteps(params, 5, momenta);
    const config = { momentum: 0.5, nesterov: false, weightDecay: 0, decoupled: false };
    const history = await runUpdates(createSgd({ kind: "sgd", momentum: 0.5 }), params, steps, true);
    const expected = sgdReference(config, params[0]!.values, stepsFor(steps, 0, 0, 0.5));
    history.forEach((values, t) => expectClose(values[0]!, expected[t]!));
  });

  it("keeps no state without momentum and rejects bad settings", () => {
    expect(createSgd({ kind: "sgd" }).stateSlots("w")).toEqual([]);
    expect(createSgd({ kind: "sgd", momentum: 0.9 }).stateSlots("w")).toEqual([{ name: "w.momentum_buffer", shape: "param" }]);
    expect(() => createSgd({ kind: "sgd", momentum: 1.5 })).toThrow(/sgd.momentum must be in \[0, 1\]/);
    expect(() => createSgd({ kind: "sgd", nesterov: true })).toThrow(/nesterov requires/);
  });
});
