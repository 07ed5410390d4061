import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Callback } from "./events.ts";
import { type MetricEvent, MetricHook } from "./hooks.ts";
import type { Metric } from "./metrics.ts";
import { ProgressCallback } from "./progress.ts";
import { mlpLearner } from "./testing/fixtures.ts";
import { EarlyStopping, SaveBest } from "./tracker.ts";

const folder = mkdtempSync(join(tmpdir(), "runboard-learner-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A metric that reports a scripted value per epoch. */
function scripted(values: number[]): Metric {
  let call = 0;
  return { name: "score", higherIsBetter: true, compute: () => values[call++] ?? 0 };
}

function snapshotAfterEpoch(store: Map<number, Float32Array>): Callback {
  return {
    name: "snapshot",
    order: 100,
    afterEpoch: (s) => void store.set(s.epoch, Float32Array.from(s.learner.trainer.parameterValues().get("fc1/weight")!.data as Float32Array)),
  };
}

describe("callbacks", () => {
  it("EarlyStopping stops after `patience` epochs without improvement", async () => {
    const learner = mlpLearner({ metrics: [scripted([0.5, 0.6, 0.6, 0.55, 0.7, 0.8])] });
    const stopper = new EarlyStopping({ monitor: "score", patience: 2 });
    await learner.fit(6, 1e-3, { callbacks: [stopper] });
    // Best at epoch 1 (0.6); epochs 2 and 3 do not beat it.
    expect(learner.recorder.epochs).toHaveLength(4);
    expect(stopper.stoppedAtEpoch).toBe(3);
    await learner.release();
  });

  it("EarlyStopping on valid_loss: at a negligible lr nothing improves by minDelta, so it stops after patience epochs", async () => {
    const learner = mlpLearner();
    await learner.fit(10, 1e-12, { callbacks: [new EarlyStopping({ patience: 1, minDelta: 1e-4 })] });
    expect(learner.recorder.epochs).toHaveLength(2);
    await learner.release();
  });

  it("SaveBest writes a checkpoint at each new best and loads the best weights at the end", async () => {
    const learner = mlpLearner({ metrics: [scripted([0.5, 0.9, 0.7])] });
    const snapshots = new Map<number, Float32Array>();
    const saver = new SaveBest(join(folder, "best.safetensors"), { monitor: "score" });
    await learner.fit(3, 0.01, { callbacks: [saver, snapshotAfterEpoch(snapshots)] });
    expect(saver.bestEpoch).toBe(1);
    const final = learner.trainer.parameterValues().get("fc1/weight")!.data as Float32Array;
    expect(Array.from(final)).toEqual(Array.from(snapshots.get(1)!));
    expect(Array.from(final)).not.toEqual(Array.from(snapshots.get(2)!));
    await learner.release();
  });

  it("MetricHook reports steps and epochs to onMetrics", async () => {
    const events: MetricEvent[] = [];
    const learner = mlpLearner();
    await learner.fit(2, 0.01, { callbacks: [new MetricHook({ onMetrics: (e) => void events.push(e), everySteps: 2 })] });
    expect(events.filter((e) => e.kind === "step").map((e) => (e.kind === "step" ? e.step : -1))).toEqual([2, 4, 6, 8]);
    const epochs = events.filter((e) => e.kind === "epoch");
    expect(epochs).toHaveLength(2);
    expect(epochs[1]).toMatchObject({ kind: "epoch", epoch: 1, metrics: { accuracy: expect.any(Number) } });
    await learner.release();
  });

  it("ProgressCallback prints bars with an ETA and one row per epoch", async () => {
    let text = "";
    const learner = mlpLearner();
    await learner.fit(2, 0.01, { callbacks: [new ProgressCallback({ stream: { write: (t: string) => (text += t) } })] });
    expect(text).toMatch(/epoch 1\/2 train \[#+\.*\] 1\/4 25% loss \d\.\d{4} eta \d\d:\d\d/);
    expect(text).toMatch(/epoch 2\/2 valid \[#+\] 2\/2 100% eta 00:00/);
    expect(text).toMatch(/^epoch\s+train_loss\s+valid_loss\s+accuracy\s+time/m);
    expect(text.match(/^1\s+\d\.\d{6}/m)).not.toBeNull();
    await learner.release();
  });
});
