import type * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { evenMultiples, oneCycleLearningRate, oneCycleMomentum } from "../optim/index.ts";
import { tinyMlp } from "../training/testing/tiny-models.ts";
import type { Learner } from "./learner.ts";
import { mlpLearner } from "./testing/fixtures.ts";

interface StepCall {
  learningRates: number[];
  momentum: number;
  trainable: string[];
}

/** Records what each real trainer.step call receives (the call goes through unchanged). */
function watchSteps(learner: Learner): StepCall[] {
  const calls: StepCall[] = [];
  const trainer = learner.trainer;
  const step = trainer.step.bind(trainer);
  trainer.step = (input: ort.Tensor, labels: ort.Tensor, rates: number | readonly number[], momentum?: number) => {
    calls.push({ learningRates: [...(rates as number[])], momentum: momentum!, trainable: [...trainer.trainable] });
    return step(input, labels, rates, momentum);
  };
  return calls;
}

describe("fastai recipes", () => {
  it("fit_one_cycle: the optimizer sees exactly the pure one-cycle schedule, per group and for momentum", async () => {
    const learner = mlpLearner();
    const calls = watchSteps(learner);
    await learner.fitOneCycle(3, 0.01);
    const total = 3 * 4;
    expect(calls).toHaveLength(total);
    const lr = oneCycleLearningRate({ lrMax: 0.01 });
    const mom = oneCycleMomentum({ lrMax: 0.01 });
    calls.forEach((call, i) => {
      for (const rate of call.learningRates) expect(rate).toBeCloseTo(lr(i / total), 12);
      expect(call.momentum).toBeCloseTo(mom(i / total), 12);
    });
    expect(calls[0]!.learningRates[0]).toBeCloseTo(0.01 / 25, 12);
    expect(calls[0]!.momentum).toBeCloseTo(0.95, 12);
    expect(learner.recorder.steps.map((s) => s.learningRates)).toEqual(calls.map((c) => c.learningRates));
    await learner.release();
  });

  it("fine_tune: frozen one-cycle at slice(base_lr) with pct_start 0.99, then unfrozen at slice(base_lr/2/lr_mult, base_lr/2), div 5", async () => {
    const learner = mlpLearner();
    const calls = watchSteps(learner);
    await learner.fineTune(2, { baseLr: 2e-3, freezeEpochs: 1 });
    const [frozen, unfrozen] = [calls.slice(0, 4), calls.slice(4)];
    expect(unfrozen).toHaveLength(8);
    for (const call of frozen) expect(call.trainable).toEqual(["fc3/weight", "fc3/bias"]);
    for (const call of unfrozen) expect(call.trainable).toHaveLength(6);
    // slice(2e-3): every group but the last gets a tenth.
    const frozenSchedules = [2e-4, 2e-4, 2e-3].map((lrMax) => oneCycleLearningRate({ lrMax, pctStart: 0.99 }));
    frozen.forEach((call, i) => call.learningRates.forEach((rate, g) => expect(rate).toBeCloseTo(frozenSchedules[g]!(i / 4), 12)));
    // slice(1e-5, 1e-3) over 3 groups: 1e-5, 1e-4, 1e-3.
    const peaks = evenMultiples(1e-3 / 100, 1e-3, 3);
    expect(peaks.map((p) => Number(p.toPrecision(6)))).toEqual([1e-5, 1e-4, 1e-3]);
    const unfrozenSchedules = peaks.map((lrMax) => oneCycleLearningRate({ lrMax, pctStart: 0.3, div: 5 }));
    unfrozen.forEach((call, i) => call.learningRates.forEach((rate, g) => expect(rate).toBeCloseTo(unfrozenSchedules[g]!(i / 8), 12)));
    expect(unfrozen[0]!.learningRates[2]).toBeCloseTo(1e-3 / 5, 12);
    await learner.release();
  });

  it("gives the same losses for the same seeds, and different ones for another model seed", async () => {
    const run = async (seed: number) => {
      const learner = mlpLearner({ model: tinyMlp({ seed }) });
      await learner.fitOneCycle(2, 0.01);
      await learner.release();
      return learner.recorder.steps.map((s) => s.loss);
    };
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
