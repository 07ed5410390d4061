import { describe, expect, it } from "vitest";
import type { TrainerConfig } from "./config.ts";
import { tinyBatch, tinyMlp, TINY_GROUPS } from "./testing/tiny-models.ts";
import { Trainer } from "./trainer.ts";

const session = { intraOpNumThreads: 1 };
const adamw: TrainerConfig = { optimizer: { kind: "adamw" }, layerGroups: TINY_GROUPS, session };

async function losses(trainer: Trainer, steps: number, lr: number | number[]): Promise<number[]> {
  const { input, labels } = tinyBatch(12);
  const result: number[] = [];
  for (let i = 0; i < steps; i++) result.push((await trainer.step(input, labels, lr)).loss);
  return result;
}

describe("Trainer", () => {
  it("overfits one batch", async () => {
    const trainer = new Trainer(tinyMlp(), adamw);
    const history = await losses(trainer, 60, 0.02);
    expect(history[0]).toBeGreaterThan(0.5);
    expect(history.at(-1)).toBeLessThan(0.05);
    const { input, labels } = tinyBatch(12);
    expect((await trainer.evaluate(input, labels)).loss).toBeLessThan(0.05);
    await trainer.release();
  });

  it("gives the same losses for the same seed, different ones for another", async () => {
    const [a, b, c] = [new Trainer(tinyMlp({ seed: 3 }), adamw), new Trainer(tinyMlp({ seed: 3 }), adamw), new Trainer(tinyMlp({ seed: 4 }), adamw)];
    const [la, lb, lc] = [await losses(a, 5, 0.01), await losses(b, 5, 0.01), await losses(c, 5, 0.01)];
    expect(la).toEqual(lb);
    expect(la).not.toEqual(lc);
    await Promise.all([a.release(), b.release(), c.release()]);
  });
});
