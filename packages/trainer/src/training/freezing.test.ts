import type * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { TrainerConfig } from "./config.ts";
import { tinyBatch, tinyMlp, TINY_GROUPS } from "./testing/tiny-models.ts";
import { Trainer } from "./trainer.ts";

const session = { intraOpNumThreads: 1 };
const sgd: TrainerConfig = { optimizer: { kind: "sgd" }, layerGroups: TINY_GROUPS, session };

function snapshot(trainer: Trainer): Map<string, Float32Array> {
  return new Map([...trainer.parameterValues()].map(([name, t]) => [name, Float32Array.from(t.data as Float32Array)]));
}

function delta(before: Map<string, Float32Array>, after: ReadonlyMap<string, ort.Tensor>, name: string): number[] {
  const old = before.get(name)!;
  return Array.from(after.get(name)!.data as Float32Array, (v, i) => v - old[i]!);
}

describe("freezing and parameter groups", () => {
  it("leaves frozen weights bit-identical, and trains them after unfreeze", async () => {
    const trainer = new Trainer(tinyMlp(), { ...sgd, optimizer: { kind: "adamw" }, freezeTo: 1 });
    expect(trainer.trainable).toEqual(["fc2/weight", "fc2/bias", "fc3/weight", "fc3/bias"]);
    const before = snapshot(trainer);
    const { input, labels } = tinyBatch(6);
    for (let i = 0; i < 3; i++) await trainer.step(input, labels, 0.05);
    const after = trainer.parameterValues();
    for (const name of ["fc1/weight", "fc1/bias"])
      expect(Buffer.from((after.get(name)!.data as Float32Array).buffer).equals(Buffer.from(before.get(name)!.buffer))).toBe(true);
    expect(delta(before, after, "fc2/weight").some((d) => d !== 0)).toBe(true);

    trainer.unfreeze();
    await trainer.step(input, labels, 0.05);
    expect(delta(before, trainer.parameterValues(), "fc1/weight").some((d) => d !== 0)).toBe(true);
    await trainer.release();
  });

  it("freeze() trains the head only; normalization layers too with trainBatchNorm", async () => {
    const plain = new Trainer(tinyMlp({ batchNorm: true }), { ...sgd, trainBatchNorm: false });
    plain.freeze();
    expect(plain.trainable).toEqual(["fc3/weight", "fc3/bias"]);
    const withBn = new Trainer(tinyMlp({ batchNorm: true }), sgd);
    withBn.freeze();
    expect(withBn.trainable).toEqual(["bn1/scale", "bn1/bias", "fc3/weight", "fc3/bias"]);
    expect(() => withBn.freezeTo(3)).toThrow(/freezeTo must be an integer in \[-3, 2\]/);
  });

  it("applies each layer group's own learning rate (discriminative LRs)", async () => {
    const { input, labels } = tinyBatch(6);
    const base = snapshot(new Trainer(tinyMlp(), sgd));
    const a = new Trainer(tinyMlp(), sgd);
    const b = new Trainer(tinyMlp(), sgd);
    await a.step(input, labels, [0.01, 0.02, 0.04]);
    await b.step(input, labels, [0.03, 0.02, 0.04]);
    // Plain SGD: Δp = −lr·g, so tripling group 0's rate triples its step and nothing else changes.
    const [da, db] = [delta(base, a.parameterValues(), "fc1/weight"), delta(base, b.parameterValues(), "fc1/weight")];
    da.forEach((d, i) => expect(db[i]!).toBeCloseTo(3 * d, 6));
    expect(da.some((d) => Math.abs(d) > 1e-5)).toBe(true);
    for (const name of ["fc2/weight", "fc3/bias"]) expect(delta(base, b.parameterValues(), name)).toEqual(delta(base, a.parameterValues(), name));
    await Promise.all([a.release(), b.release()]);
  });

  it("bounds the global gradient norm when clipping", async () => {
    const { input, labels } = tinyBatch(6);
    const maxNorm = 0.05;
    const trainer = new Trainer(tinyMlp(), { ...sgd, maxGradientNorm: maxNorm });
    const before = snapshot(trainer);
    const { gradientNorm } = await trainer.step(input, labels, 1);
    expect(gradientNorm).toBeGreaterThan(maxNorm * 10);
    // With lr 1 the step is the clipped gradient itself.
    const squares = trainer.trainable.flatMap((name) => delta(before, trainer.parameterValues(), name)).reduce((s, d) => s + d * d, 0);
    expect(Math.sqrt(squares)).toBeLessThanOrEqual(maxNorm * (1 + 1e-4));
    expect(Math.sqrt(squares)).toBeGreaterThan(maxNorm * 0.99);
    await trainer.release();
  });
});
