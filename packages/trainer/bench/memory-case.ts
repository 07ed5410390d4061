/**
 * Child-process entry of the memory bench (bench/memory.ts): the peak RSS of training steps of
 * the ImageNet MobileNetV2 with fastai's head, built as the recipes build it (a Learner over
 * createClassifier, fastai's Adam), at one batch size, the whole body unfrozen ("full") or the
 * head alone ("head"). Its own process, so the peak is this case's alone. Prints one JSON line.
 */
import * as ort from "onnxruntime-node";
import { ArrayBatchSource, Learner } from "../src/learner/index.ts";
import { createClassifier } from "../src/models/head/index.ts";
import { loadZooModel } from "../src/models/zoo.ts";
import { trainingMemory } from "../src/recipes/memory.ts";

export interface MemoryCaseSpec {
  batch: number;
  mode: "full" | "head";
  steps: number;
  threads: number;
}

export interface MemoryCaseResult {
  batch: number;
  mode: MemoryCaseSpec["mode"];
  /** Peak RSS over the steps, bytes (the model loaded and the classifier built included). */
  peakRssBytes: number;
  /** Peak RSS before the learner existed: Node, onnxruntime, the imported model. */
  loadedRssBytes: number;
  /** The memory model's estimate for the whole body unfrozen at this batch (src/recipes/memory.ts). */
  estimatedPeakBytes: number;
  msPerStep: number;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as MemoryCaseSpec;

function randomBatch(batch: number, [height, width]: [number, number]): { input: ort.Tensor; labels: ort.Tensor } {
  const data = new Float32Array(batch * 3 * height * width);
  let state = 12345;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 4294967296 - 0.5;
  }
  const labels = BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % 10));
  return { input: new ort.Tensor("float32", data, [batch, 3, height, width]), labels: new ort.Tensor("int64", labels, [batch]) };
}

async function run(): Promise<MemoryCaseResult> {
  const classifier = createClassifier(loadZooModel("mobilenet-v2-imagenet"), { classes: 10, seed: 1 });
  const estimatedPeakBytes = trainingMemory(classifier).peakBytes(spec.batch);
  const loadedRssBytes = process.resourceUsage().maxRSS * 1024;
  const [height, width] = classifier.inputSize;
  const none = new ArrayBatchSource(new Float32Array(0), [3, height, width], new BigInt64Array(0), 1);
  const learner = new Learner({
    data: { train: none, valid: none, classes: Array.from({ length: 10 }, (_, i) => `c${i}`) },
    model: classifier,
    session: { intraOpNumThreads: spec.threads },
  });
  if (spec.mode === "head") learner.freeze();
  else learner.unfreeze();
  const { input, labels } = randomBatch(spec.batch, classifier.inputSize);
  const started = performance.now();
  for (let i = 0; i < spec.steps; i++) await learner.trainer.step(input, labels, 1e-4, 0.9);
  const msPerStep = (performance.now() - started) / spec.steps;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await learner.release();
  return { batch: spec.batch, mode: spec.mode, peakRssBytes, loadedRssBytes, estimatedPeakBytes, msPerStep };
}

try {
  process.stdout.write(`${JSON.stringify(await run())}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
}
