import { describe, expect, it } from "vitest";
import { CancelBatch, CancelEpoch, CancelFit, type Callback, type EventName } from "./events.ts";
import { AbortCallback } from "./hooks.ts";
import { mlpLearner } from "./testing/fixtures.ts";

function eventLog(events: EventName[], log: string[], raise?: { at: EventName; when: (n: number) => boolean; error: () => Error }): Callback {
  const callback: Record<string, unknown> = { name: "log" };
  const counts = new Map<EventName, number>();
  for (const event of events) {
    callback[event] = () => {
      log.push(event);
      const n = (counts.get(event) ?? 0) + 1;
      counts.set(event, n);
      if (raise && raise.at === event && raise.when(n)) throw raise.error();
    };
  }
  return callback as Callback;
}

const ALL: EventName[] = [
  "beforeFit",
  "beforeEpoch",
  "beforeTrain",
  "beforeBatch",
  "afterBatch",
  "afterTrain",
  "beforeValidate",
  "afterValidate",
  "afterEpoch",
  "afterFit",
  "afterCancelBatch",
  "afterCancelEpoch",
  "afterCancelFit",
];

describe("fit loop", () => {
  it("fires events in fastai's order: fit → epoch → train batches → validate batches", async () => {
    const learner = mlpLearner();
    const log: string[] = [];
    await learner.fit(1, 1e-3, { callbacks: [eventLog(ALL, log)] });
    // 24 training items in batches of 6 (4 batches), 12 validation items (2 batches).
    const batch = ["beforeBatch", "afterBatch"];
    expect(log).toEqual([
      "beforeFit",
      "beforeEpoch",
      "beforeTrain",
      ...batch,
      ...batch,
      ...batch,
      ...batch,
      "afterTrain",
      "beforeValidate",
      ...batch,
      ...batch,
      "afterValidate",
      "afterEpoch",
      "afterFit",
    ]);
    expect(learner.trainer.stepCount).toBe(4);
    await learner.release();
  });

  it("runs callbacks by ascending order", async () => {
    const learner = mlpLearner();
    const seen: string[] = [];
    const make = (name: string, order: number): Callback => ({ name, order, beforeFit: () => void seen.push(name) });
    await learner.fit(0, 1e-3, { callbacks: [make("late", 90), make("early", -5), make("middle", 10)] });
    expect(seen).toEqual(["early", "middle", "late"]);
  });

  it("CancelBatch from beforeBatch skips that step; afterCancelBatch and afterBatch still fire", async () => {
    const learner = mlpLearner();
    const log: string[] = [];
    await learner.fit(1, 1e-3, { callbacks: [eventLog(ALL, log, { at: "beforeBatch", when: (n) => n === 2, error: () => new CancelBatch() })] });
    expect(learner.trainer.stepCount).toBe(3);
    expect(log.slice(5, 8)).toEqual(["beforeBatch", "afterCancelBatch", "afterBatch"]);
    await learner.release();
  });

  it("CancelEpoch ends the epoch (no validation) and the fit goes on", async () => {
    const learner = mlpLearner();
    const log: string[] = [];
    await learner.fit(2, 1e-3, { callbacks: [eventLog(ALL, log, { at: "afterBatch", when: (n) => n === 1, error: () => new CancelEpoch() })] });
    expect(learner.trainer.stepCount).toBe(1 + 4);
    expect(log.filter((e) => e === "afterCancelEpoch")).toHaveLength(1);
    expect(log.filter((e) => e === "afterValidate")).toHaveLength(1);
    expect(learner.recorder.epochs).toHaveLength(2);
    await learner.release();
  });

  it("CancelFit stops at once and still fires afterCancelFit and afterFit", async () => {
    const learner = mlpLearner();
    const log: string[] = [];
    await learner.fit(3, 1e-3, { callbacks: [eventLog(ALL, log, { at: "afterBatch", when: (n) => n === 3, error: () => new CancelFit() })] });
    expect(learner.trainer.stepCount).toBe(3);
    expect(log.slice(-2)).toEqual(["afterCancelFit", "afterFit"]);
    await learner.release();
  });

  it("an AbortSignal stops the fit within one batch", async () => {
    const learner = mlpLearner();
    const controller = new AbortController();
    const abortDuringStep: Callback = { name: "abortAt", afterBatch: (s) => void (s.training && s.trainIteration === 6 && controller.abort("user")) };
    await learner.fit(5, 1e-3, { callbacks: [new AbortCallback(controller.signal), abortDuringStep] });
    expect(learner.trainer.stepCount).toBe(6);
    await learner.release();
    // The same through the learner's own signal, for every recipe.
    const stopper = new AbortController();
    const own = mlpLearner({ signal: stopper.signal, callbacks: [{ name: "abortAt", afterBatch: (s) => void (s.trainIteration === 2 && stopper.abort()) }] });
    await own.fineTune(3);
    expect(own.trainer.stepCount).toBe(2);
    await own.release();
  });

  it("other errors propagate without after events", async () => {
    const learner = mlpLearner();
    const log: string[] = [];
    const run = learner.fit(1, 1e-3, { callbacks: [eventLog(ALL, log, { at: "beforeTrain", when: () => true, error: () => new Error("boom") })] });
    await expect(run).rejects.toThrow("boom");
    expect(log).not.toContain("afterFit");
    await learner.release();
  });
});
