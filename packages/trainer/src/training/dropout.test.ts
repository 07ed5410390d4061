import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "../onnx/builder.ts";
import { createModel, type Model } from "../onnx/ir.ts";
import { appendHead, resolveHeadOptions } from "../models/head/index.ts";
import { SeededRandom } from "../models/synthetic/index.ts";
import type { TrainerConfig } from "./config.ts";
import { Trainer } from "./trainer.ts";

const CHANNELS = 8;
const session = { intraOpNumThreads: 1 };

/** fastai's head (concat pool, BatchNorm, Dropout 0.5 and 0.25, one hidden layer) on a 2×2 feature map. */
function headModel(): Model {
  const b = new GraphBuilder("head_only");
  const input = b.input("input", "float32", ["batch", CHANNELS, 2, 2]);
  const logits = appendHead(b, [{ tensor: input, shape: [CHANNELS, 2, 2] }], resolveHeadOptions({ classes: 3, hidden: [16], dropout: 0.5, seed: 2 }), "head");
  b.output("logits", "float32", ["batch", 3], logits);
  return createModel(b.build());
}

/** Features whose first channels say the class. */
function batch(size: number, seed = 1): { input: ort.Tensor; labels: ort.Tensor } {
  const random = new SeededRandom(seed);
  const features = new Float32Array(size * CHANNELS * 4);
  const labels = new BigInt64Array(size);
  for (let n = 0; n < size; n++) {
    labels[n] = BigInt(n % 3);
    for (let i = 0; i < CHANNELS * 4; i++) features[n * CHANNELS * 4 + i] = random.normal() * 0.3 + (Math.floor(i / 4) === n % 3 ? 1 : 0);
  }
  return { input: new ort.Tensor("float32", features, [size, CHANNELS, 2, 2]), labels: new ort.Tensor("int64", labels, [size]) };
}

async function losses(config: Partial<TrainerConfig>, steps: number, learningRate: number): Promise<number[]> {
  const trainer = new Trainer(headModel(), { optimizer: { kind: "adamw" }, session, ...config });
  const { input, labels } = batch(12);
  const result: number[] = [];
  for (let i = 0; i < steps; i++) result.push((await trainer.step(input, labels, learningRate)).loss);
  await trainer.release();
  return result;
}

describe("Dropout in train graphs", () => {
  it("runs every Dropout in training mode with its own seed in the train step, as the identity in eval", async () => {
    const trainer = new Trainer(headModel(), { optimizer: { kind: "sgd" }, session });
    const dropouts = trainer.trainStepModel(4).graph.nodes.filter((n) => n.opType === "Dropout");
    expect(dropouts).toHaveLength(2);
    for (const node of dropouts) expect(node.inputs[2]).toBeTruthy();
    const seeds = dropouts.map((n) => (n.attributes.seed?.kind === "int" ? n.attributes.seed.value : undefined));
    expect(new Set(seeds).size).toBe(2);
    // Eval: the same loss every time, and no trace of dropout's scaling.
    const { input, labels } = batch(6);
    const [first, second] = [await trainer.evaluate(input, labels), await trainer.evaluate(input, labels)];
    expect(second.loss).toBe(first.loss);
    await trainer.release();
  });

  it("draws new masks every step, the same ones for the same seed, others for another seed", async () => {
    // Learning rate 0: the weights stay, so the loss changes only with the masks.
    const [a, b, c] = [await losses({ dropoutSeed: 5 }, 4, 0), await losses({ dropoutSeed: 5 }, 4, 0), await losses({ dropoutSeed: 6 }, 4, 0)];
    expect(new Set(a).size).toBe(4);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("trains a head with dropout", async () => {
    const history = await losses({ dropoutSeed: 1 }, 30, 0.01);
    const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean(history.slice(-5))).toBeLessThan(0.6 * mean(history.slice(0, 5)));
  });
});
