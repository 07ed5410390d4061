import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TrainerConfig } from "./config.ts";
import { tinyBatch, tinyMlp, TINY_GROUPS } from "./testing/tiny-models.ts";
import { Trainer } from "./trainer.ts";

const config: TrainerConfig = {
  optimizer: { kind: "adamw", betas: [0.9, 0.99] },
  weightDecay: 0.01,
  layerGroups: TINY_GROUPS,
  session: { intraOpNumThreads: 1 },
};
const folder = mkdtempSync(join(tmpdir(), "trainer-checkpoint-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(trainer: Trainer, steps: number, from: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = from; i < from + steps; i++) {
    const { input, labels } = tinyBatch(6, 100 + i);
    losses.push((await trainer.step(input, labels, [0.001, 0.005, 0.01])).loss);
  }
  return losses;
}

describe("checkpoint and resume", () => {
  it("gives the same losses as training without stopping", async () => {
    const straight = new Trainer(tinyMlp(), config);
    const expected = await run(straight, 6, 0);

    const first = new Trainer(tinyMlp(), config);
    const before = await run(first, 3, 0);
    const path = join(folder, "step3.safetensors");
    first.saveCheckpoint(path);
    await first.release();

    const resumed = new Trainer(tinyMlp({ seed: 99 }), config);
    await resumed.loadCheckpoint(path);
    expect(resumed.stepCount).toBe(3);
    const after = await run(resumed, 3, 3);
    expect([...before, ...after]).toEqual(expected);
    await Promise.all([straight.release(), resumed.release()]);
  });

  it("keeps the freeze setting and refuses another optimizer's checkpoint", async () => {
    const trainer = new Trainer(tinyMlp(), { ...config, freezeTo: 2 });
    await run(trainer, 1, 0);
    const path = join(folder, "frozen.safetensors");
    trainer.saveCheckpoint(path);
    const resumed = new Trainer(tinyMlp(), config);
    await resumed.loadCheckpoint(path);
    expect(resumed.trainable).toEqual(["fc3/weight", "fc3/bias"]);
    const sgd = new Trainer(tinyMlp(), { ...config, optimizer: { kind: "sgd" } });
    await expect(sgd.loadCheckpoint(path)).rejects.toThrow(/written by optimizer 'adamw', this trainer uses 'sgd'/);
    await Promise.all([trainer.release(), resumed.release()]);
  });
});
