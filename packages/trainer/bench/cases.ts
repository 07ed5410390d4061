/**
 * One benchmark case, measured in its own process so that its peak RSS is its own:
 * build (or import) the model, count its FLOPs, create an optimized CPU session, time
 * inference on random batches.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { countFlops } from "../src/models/flops.ts";
import { importTfliteFile } from "../src/models/import/tflite-import.ts";
import { buildSyntheticModel } from "../src/models/synthetic/index.ts";
import type { Model } from "../src/onnx/ir.ts";
import { defaultOpset } from "../src/onnx/ir.ts";
import { encodeModel } from "../src/onnx/serialize.ts";
import { inferShapes } from "../src/onnx/shape-inference.ts";
import type { ExecutionProvider } from "../src/runtime/providers.ts";
import { createSession } from "../src/runtime/session.ts";

export interface CaseSpec {
  label: string;
  /** A synthetic architecture name, or "tflite:<path relative to the shared folder>". */
  source: string;
  batch: number;
  resolution: number;
  warmup: number;
  iterations: number;
  /** 0 lets ONNX Runtime use every core. */
  threads: number;
  executionProvider: ExecutionProvider;
}

export interface CaseResult {
  label: string;
  executionProvider: ExecutionProvider;
  gflopsPerImage: number;
  imagesPerSecond: number;
  msPerBatch: number;
  achievedGflopsPerSecond: number;
  peakRssMb: number;
  sessionSeconds: number;
}

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** A file under the shared folder beside the repository, or undefined when absent. */
export function sharedFile(relative: string): string | undefined {
  const path = join(REPO_ROOT, "..", "shared", relative);
  return existsSync(path) ? path : undefined;
}

function loadModel(spec: CaseSpec): Model {
  if (!spec.source.startsWith("tflite:")) {
    return buildSyntheticModel(spec.source, { resolution: spec.resolution, seed: 1 }).model;
  }
  const relative = spec.source.slice("tflite:".length);
  const path = sharedFile(relative);
  if (!path) throw new Error(`skipped: ../shared/${relative} is not present`);
  const model = importTfliteFile(path);
  inferShapes(model.graph, defaultOpset(model));
  return model;
}

function randomBatch(batch: number, resolution: number): ort.Tensor {
  const data = new Float32Array(batch * 3 * resolution * resolution);
  let state = 12345;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 4294967296 - 0.5;
  }
  return new ort.Tensor("float32", data, [batch, 3, resolution, resolution]);
}

export async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const model = loadModel(spec);
  const flops = countFlops(model.graph, { symbols: { batch: 1 } });
  const bytes = encodeModel(model);
  const started = performance.now();
  const runtime = await createSession(bytes, {
    executionProvider: spec.executionProvider,
    graphOptimizationLevel: "all",
    intraOpNumThreads: spec.threads,
  });
  const sessionSeconds = (performance.now() - started) / 1000;
  const feeds = { [runtime.session.inputNames[0] as string]: randomBatch(spec.batch, spec.resolution) };
  for (let i = 0; i < spec.warmup; i++) await runtime.session.run(feeds);
  const timed = performance.now();
  for (let i = 0; i < spec.iterations; i++) await runtime.session.run(feeds);
  const seconds = (performance.now() - timed) / 1000;
  await runtime.release();
  const imagesPerSecond = (spec.batch * spec.iterations) / seconds;
  return {
    label: spec.label,
    executionProvider: runtime.executionProvider,
    gflopsPerImage: flops.total / 1e9,
    imagesPerSecond,
    msPerBatch: (seconds * 1000) / spec.iterations,
    achievedGflopsPerSecond: (imagesPerSecond * flops.total) / 1e9,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    sessionSeconds,
  };
}
