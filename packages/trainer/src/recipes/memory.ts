/**
 * How much memory a training step takes, and the largest batch that fits a budget. The estimate
 * is linear in the batch: a fixed part (the runtime, and the parameters with their gradients and
 * optimizer moments) plus a part per image (the forward activations the backward pass keeps, their
 * gradients, and the runtime's workspace), both read from the classifier's graph at its input size
 * and scaled by constants measured with the memory bench (bench/memory.ts).
 */
import { totalmem } from "node:os";
import type { Classifier } from "../models/head/index.ts";
import type { DataType, Graph } from "../onnx/ir.ts";
import { defaultOpset } from "../onnx/ir.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { SpecError, type TrainingSpec } from "./spec.ts";

const BYTES: Partial<Record<DataType, number>> = { float32: 4, float16: 2, float64: 8, int64: 8, int32: 4, int8: 1, uint8: 1, bool: 1 };

/*
 * Calibration, measured with the memory bench (bench/memory.ts) and whole runs on a 2-core,
 * 23 GiB Linux machine, onnxruntime-node 1.30.0, CPU provider. The model: the ImageNet
 * MobileNetV2 (mobilenet-v2-imagenet, 224²) with fastai's head; its graph holds 13.5 MiB of
 * parameters and 50.2 MiB of forward activations per image.
 * - Training steps alone, whole body unfrozen, fastai's Adam (bench/memory.ts), peak RSS at batch
 *   8 / 16 / 32 / 64: 676 MiB / 1.0 GiB / 1.7 GiB / 3.2 GiB; least squares 285 MiB + 46.8 MiB per
 *   image. Head only: 333 / 392 / 533 / 818 MiB, 257 MiB + 8.7 MiB per image.
 * - Whole runs (`runboard-train train`, FINE_TUNE, 150 generated images: the feature cache, the
 *   validation batches at twice the batch, the data loaders), peak RSS at batch 8 / 16 / 32 / 64:
 *   1.18 / 1.81 / 2.49 / 3.81 GiB; least squares 985 MiB + 46.3 MiB per image, points up to
 *   150 MiB off the line. With `--max-memory 2g` and a first calibration (fixed part 1.1 GiB) the
 *   batch went 64 → 20 and the run peaked at 2.01 GiB, over the budget.
 * So ACTIVATION_FACTOR = 46.8 / 50.2 (the backward pass keeps the activations, and the runtime
 * reuses freed buffers for their gradients), and the fixed part is the largest of the whole runs'
 * peak − 46.8 MiB × batch (1123 MiB, that batch-20 run; the others 830–1100 MiB) plus 150 MiB
 * for the spread between runs: 1.25 GiB. With these, `--max-memory 2g` gave batch 16 and a
 * 1.64 GiB peak, `--max-memory 3g` batch 38 and 2.71 GiB.
 * PARAMETER_COPIES is not fitted (one model cannot separate it from the runtime): the weights in
 * the process and in the session, their gradients, AdamW's two moments, and the update. The
 * estimate is for the whole body unfrozen, the most any recipe asks; head-only training peaks lower.
 */
const ACTIVATION_FACTOR = 0.93;
const PARAMETER_COPIES = 6;
const RUNTIME_BYTES = 1280 * 2 ** 20 - PARAMETER_COPIES * 13.5 * 2 ** 20;

export interface TrainingMemory {
  /** Bytes of the classifier's float parameters. */
  parameterBytes: number;
  /** Bytes of the forward graph's tensors that grow with the batch, per image (shape inference at the input size). */
  activationBytesPerImage: number;
  /** The estimate's parts: peak = fixedBytes + batch × perImageBytes. */
  fixedBytes: number;
  perImageBytes: number;
  peakBytes(batch: number): number;
}

/** The memory model of training `classifier` with every layer unfrozen. */
export function trainingMemory(classifier: Pick<Classifier, "model">): TrainingMemory {
  const { parameterBytes, activationBytesPerImage } = graphBytes(classifier.model.graph, defaultOpset(classifier.model));
  const fixedBytes = RUNTIME_BYTES + PARAMETER_COPIES * parameterBytes;
  const perImageBytes = ACTIVATION_FACTOR * activationBytesPerImage;
  return { parameterBytes, activationBytesPerImage, fixedBytes, perImageBytes, peakBytes: (batch) => fixedBytes + batch * perImageBytes };
}

/**
 * Parameters: the float initializers. Activations: every node output whose shape has a symbolic
 * dim (the batch), at 1 for each such dim; tensors whose shape inference cannot tell are left out.
 * Inference runs on a copy of the value infos, so the model is not touched.
 */
function graphBytes(graph: Graph, opset: number): { parameterBytes: number; activationBytesPerImage: number } {
  let parameterBytes = 0;
  for (const tensor of graph.initializers.values()) {
    if (tensor.dataType === "float32" || tensor.dataType === "float16" || tensor.dataType === "float64")
      parameterBytes += tensor.data.length * (BYTES[tensor.dataType] ?? 4);
  }
  const copy: Graph = { ...graph, valueInfo: new Map(graph.valueInfo) };
  inferShapes(copy, opset);
  let activationBytesPerImage = 0;
  const outputs = [...graph.inputs.map((i) => i.name), ...graph.nodes.flatMap((n) => n.outputs)];
  for (const name of new Set(outputs)) {
    const info = copy.valueInfo.get(name) ?? graph.inputs.find((i) => i.name === name);
    const shape = info?.shape;
    if (!info || !shape || shape.some((d) => d === null) || shape.every((d) => typeof d === "number")) continue;
    const elements = shape.reduce<number>((product, d) => product * (typeof d === "number" ? d : 1), 1);
    activationBytesPerImage += elements * (BYTES[info.dataType] ?? 4);
  }
  return { parameterBytes, activationBytesPerImage };
}

/** The budget a spec allows: its maxMemoryBytes, else half of this machine's memory. */
export function memoryBudget(spec: Pick<TrainingSpec, "maxMemoryBytes">): number {
  return spec.maxMemoryBytes ?? Math.floor(totalmem() / 2);
}

export interface BatchFit {
  batchSize: number;
  estimatedPeakBytes: number;
  /** The line to log when the batch was lowered; undefined when the requested batch fits. */
  note: string | undefined;
}

/**
 * The largest batch ≤ `requested` whose estimated peak fits `budgetBytes`. Throws a SpecError on
 * maxMemoryBytes when even one image per batch does not fit.
 */
export function fitBatchSize(memory: TrainingMemory, requested: number, budgetBytes: number): BatchFit {
  const fits = Math.floor((budgetBytes - memory.fixedBytes) / memory.perImageBytes);
  if (!(fits >= 1)) {
    throw new SpecError(
      "maxMemoryBytes",
      `of ${formatBytes(budgetBytes)} is too small: training this model needs an estimated ${formatBytes(memory.peakBytes(1))} at batch 1`,
    );
  }
  const batchSize = Math.min(requested, fits);
  const estimatedPeakBytes = memory.peakBytes(batchSize);
  const note =
    batchSize < requested
      ? `batch ${requested} → ${batchSize} to fit the ${formatBytes(budgetBytes)} memory budget (estimated peak ${formatBytes(estimatedPeakBytes)}; at ${requested}: ${formatBytes(memory.peakBytes(requested))})`
      : undefined;
  return { batchSize, estimatedPeakBytes, note };
}

/** Bytes in powers of 1024, as the size flags read them: "2.0 GB", "512 MB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"] as const;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * "512m", "4g", "4GB", "1.5GiB" or a number of bytes; units are powers of 1024 (as Docker and the
 * JVM read them). Errors name `flag`.
 */
export function parseByteSize(text: string, flag = "--max-memory"): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!match) throw new SpecError(flag, `must be a size such as 512m, 4g or 4GB, got '${text}'`);
  const unit = match[2]?.toLowerCase() ?? "";
  const bytes = Math.floor(Number(match[1]) * (SIZE_UNITS[unit] ?? 1));
  if (!(bytes >= 1)) throw new SpecError(flag, `must be at least 1 byte, got '${text}'`);
  return bytes;
}
