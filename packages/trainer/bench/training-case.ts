/**
 * Training-step benchmark cases, each run in its own process (peak RSS is its own): a full
 * fine-tune step (every parameter trains) or a frozen-backbone step (head + BatchNormalization
 * scales and shifts train, fastai's freeze with train_bn), AdamW, on a synthetic model with a
 * new 10-class head. Optional ORT profile of the train step. Peak RSS is the process's peak
 * over the warm-up steps, before the inference session that times the ratio exists; the peak
 * with that session alongside is reported too.
 */
import * as ort from "onnxruntime-node";
import { countFlops } from "../src/models/flops.ts";
import { buildSyntheticModel } from "../src/models/synthetic/index.ts";
import type { Model } from "../src/onnx/ir.ts";
import { encodeModel } from "../src/onnx/serialize.ts";
import { createSession } from "../src/runtime/session.ts";
import { defaultOpset } from "../src/onnx/ir.ts";
import { inferShapes } from "../src/onnx/shape-inference.ts";
import { Trainer } from "../src/training/trainer.ts";
import type { CaseResult, CaseSpec } from "./cases.ts";

export interface TrainingCaseSpec extends CaseSpec {
  /** full: every parameter; frozen: head + BN scales/shifts (fastai train_bn); head: the head only. */
  mode: "full" | "frozen" | "head";
  optimizationLevel?: "disabled" | "basic" | "extended" | "all";
  depthwiseWeightGradient?: "grouped-conv" | "shifted-slices";
  enableCpuMemArena?: boolean;
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

/**
 * FLOPs of the train step: every node the counter knows (convolutions, including the
 * backward ones, GEMMs, elementwise ops), skipping the few it has no formula for (reductions,
 * OneHot, scatter), which are a small share.
 */
function trainingFlops(model: Model): number {
  inferShapes(model.graph, defaultOpset(model));
  let total = 0;
  for (const node of model.graph.nodes) {
    try {
      total += countFlops({ ...model.graph, nodes: [node] }, {}).total;
    } catch {
      // no formula for this op type
    }
  }
  return total;
}

export interface TrainingCaseResult extends CaseResult {
  /** Inference time per batch, measured interleaved with the steps (same load). */
  inferenceMsPerBatch: number;
  /** Step time per image / inference time per image. */
  ratioToInference: number;
  /** Peak RSS at the end, the inference session timed alongside included. */
  peakRssWithInferenceMb: number;
}

/**
 * With a backward pass through convolutions, level "all" converts the frozen ones to NCHWc and
 * reorders every activation back for the training ops (18% of kernel time in the MobileNetV2
 * frozen profile); "extended" keeps NCHW. The head-only step is inference plus a tiny head.
 */
function defaultLevel(mode: TrainingCaseSpec["mode"]): "extended" | "all" {
  return mode === "head" ? "all" : "extended";
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Times train steps and inference runs of the same model alternately, so both see the same
 * machine load (the bench machine is shared) and their ratio is meaningful; medians.
 */
export async function runTrainingCase(spec: TrainingCaseSpec): Promise<TrainingCaseResult> {
  const { model } = buildSyntheticModel(spec.source, { resolution: spec.resolution, numClasses: 10, seed: 1 });
  const trainer = new Trainer(model, {
    optimizer: { kind: "adamw" },
    weightDecay: 0.01,
    freezeTo: spec.mode === "full" ? 0 : -1,
    trainBatchNorm: spec.mode === "frozen",
    depthwiseWeightGradient: spec.depthwiseWeightGradient,
    session: {
      executionProvider: spec.executionProvider,
      graphOptimizationLevel: spec.optimizationLevel ?? defaultLevel(spec.mode),
      intraOpNumThreads: spec.threads,
      profileFile: spec.profileFile,
      enableCpuMemArena: spec.enableCpuMemArena,
    },
  });
  const { input, labels } = randomBatch(spec.batch, spec.resolution);
  const started = performance.now();
  await trainer.step(input, labels, 1e-4);
  const sessionSeconds = (performance.now() - started) / 1000;
  for (let i = 1; i < Math.max(spec.warmup, 2); i++) await trainer.step(input, labels, 1e-4);
  const trainingPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const inference = await createSession(encodeModel(model), {
    executionProvider: spec.executionProvider,
    graphOptimizationLevel: "all",
    intraOpNumThreads: spec.threads,
  });
  await inference.session.run({ input });
  const [stepMs, inferenceMs] = [[] as number[], [] as number[]];
  for (let i = 0; i < spec.iterations; i++) {
    let t = performance.now();
    await trainer.step(input, labels, 1e-4);
    stepMs.push(performance.now() - t);
    t = performance.now();
    await inference.session.run({ input });
    inferenceMs.push(performance.now() - t);
  }
  const flops = trainingFlops(trainer.trainStepModel(spec.batch));
  await Promise.all([trainer.release(), inference.release()]);
  const msPerBatch = median(stepMs);
  const imagesPerSecond = (spec.batch * 1000) / msPerBatch;
  return {
    label: spec.label,
    executionProvider: spec.executionProvider,
    gflopsPerImage: flops / spec.batch / 1e9,
    imagesPerSecond,
    msPerBatch,
    achievedGflopsPerSecond: (imagesPerSecond * flops) / spec.batch / 1e9,
    peakRssMb: trainingPeakRssMb,
    peakRssWithInferenceMb: process.resourceUsage().maxRSS / 1024,
    sessionSeconds,
    inferenceMsPerBatch: median(inferenceMs),
    ratioToInference: msPerBatch / median(inferenceMs),
  };
}
