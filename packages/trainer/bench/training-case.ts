/**
 * Training-step benchmark cases, each run in its own process (peak RSS is its own): a full
 * fine-tune step (every parameter trains) or a frozen-backbone step (head + BatchNormalization
 * scales and shifts train, fastai's freeze with train_bn), AdamW, on a synthetic model with a
 * new 10-class head. Optional ORT profile of the train step.
 */
import * as ort from "onnxruntime-node";
import { countFlops } from "../src/models/flops.ts";
import { buildSyntheticModel } from "../src/models/synthetic/index.ts";
import { Trainer } from "../src/training/trainer.ts";
import type { CaseResult, CaseSpec } from "./cases.ts";

export interface TrainingCaseSpec extends CaseSpec {
  mode: "full" | "frozen";
  /** Write an ORT profile of the train session here (Chrome trace JSON). */
  profileFile?: string;
}

function randomBatch(batch: number, resolution: number): { input: ort.Tensor; labels: ort.Tensor } {
  const data = new Float32Array(batch * 3 * resolution * resolution);
  let state = 12345;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 4294967296 - 0.5;
  }
  const labels = BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % 10));
  return { input: new ort.Tensor("float32", data, [batch, 3, resolution, resolution]), labels: new ort.Tensor("int64", labels, [batch]) };
}

export async function runTrainingCase(spec: TrainingCaseSpec): Promise<CaseResult> {
  const { model } = buildSyntheticModel(spec.source, { resolution: spec.resolution, numClasses: 10, seed: 1 });
  const trainer = new Trainer(model, {
    optimizer: { kind: "adamw" },
    weightDecay: 0.01,
    freezeTo: spec.mode === "frozen" ? -1 : 0,
    session: { executionProvider: spec.executionProvider, graphOptimizationLevel: "all", intraOpNumThreads: spec.threads, profileFile: spec.profileFile },
  });
  const { input, labels } = randomBatch(spec.batch, spec.resolution);
  const started = performance.now();
  await trainer.step(input, labels, 1e-4);
  const sessionSeconds = (performance.now() - started) / 1000;
  for (let i = 1; i < spec.warmup; i++) await trainer.step(input, labels, 1e-4);
  const timed = performance.now();
  for (let i = 0; i < spec.iterations; i++) await trainer.step(input, labels, 1e-4);
  const seconds = (performance.now() - timed) / 1000;
  const flops = countFlops(trainer.trainStepModel(spec.batch).graph, {});
  await trainer.release();
  const imagesPerSecond = (spec.batch * spec.iterations) / seconds;
  return {
    label: spec.label,
    executionProvider: spec.executionProvider,
    gflopsPerImage: flops.total / spec.batch / 1e9,
    imagesPerSecond,
    msPerBatch: (seconds * 1000) / spec.iterations,
    achievedGflopsPerSecond: (imagesPerSecond * flops.total) / spec.batch / 1e9,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    sessionSeconds,
  };
}
