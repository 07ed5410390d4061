/**
 * Trainer benchmarks: `npm run bench -w @runboard/trainer [-- --batch 16 --iterations 5
 * --warmup 2 --threads 0 --provider cpu]`. Each case runs in its own process so its peak RSS
 * is its own. Prints numbers; asserts nothing.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { listProviders } from "../src/runtime/providers.ts";
import type { CaseResult, CaseSpec } from "./cases.ts";
import type { TrainingCaseResult, TrainingCaseSpec } from "./training-case.ts";

const { values } = parseArgs({
  options: {
    batch: { type: "string", default: "16" },
    iterations: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    threads: { type: "string", default: "0" },
    provider: { type: "string", default: "cpu" },
  },
});

function positiveInt(name: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got '${text}'`);
  return value;
}

const common = {
  batch: positiveInt("batch", values.batch),
  iterations: positiveInt("iterations", values.iterations),
  warmup: positiveInt("warmup", values.warmup, true),
  threads: positiveInt("threads", values.threads, true),
  executionProvider: values.provider as CaseSpec["executionProvider"],
};

function runInChild(spec: CaseSpec): CaseResult | { error: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), "run-case.ts");
  const output = execFileSync(process.execPath, ["--import", "tsx", script, JSON.stringify(spec)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as CaseResult | { error: string };
}

function printResult(result: CaseResult | { error: string }, label: string): void {
  if ("error" in result) {
    console.log(`  ${label.padEnd(34)} ${result.error}`);
    return;
  }
  console.log(
    `  ${label.padEnd(34)} ${result.imagesPerSecond.toFixed(1).padStart(8)} img/s  ${result.msPerBatch.toFixed(0).padStart(6)} ms/batch  ` +
      `${result.gflopsPerImage.toFixed(3).padStart(7)} GFLOP/img  ${result.achievedGflopsPerSecond.toFixed(1).padStart(7)} GFLOP/s achieved  ` +
      `peak RSS ${result.peakRssMb.toFixed(0).padStart(5)} MB  (session ${result.sessionSeconds.toFixed(2)} s, ${result.executionProvider})`,
  );
}

console.log(
  `onnxruntime-node ${ort.env.versions.node}; providers: ${listProviders()
    .map((p) => `${p.name}${p.installed ? "" : " (not installed)"}`)
    .join(", ")}`,
);
console.log(
  `batch ${common.batch}, ${common.warmup} warm-up + ${common.iterations} timed runs, intra-op threads ${common.threads || "auto"}, provider ${common.executionProvider}`,
);
console.log("FLOPs counted from the graph: multiply-add = 2 FLOPs, BN/activations/pools included.\n");

console.log("Inference (ORT graph optimization 'all', random weights):");
for (const [label, source] of [
  ["MobileNetV2-1.0 224²", "mobilenet-v2"],
  ["ResNet-18 224²", "resnet18"],
] as const) {
  printResult(runInChild({ ...common, label, source, resolution: 224 }), label);
}

// ---------------------------------------------------------------------------------------------
// TRAINING STEPS: AdamW steps of the train graph (forward + backward + update in one session),
// batch and threads as above, new 10-class head. Three freeze settings:
//   full   every parameter trains;
//   frozen head + BatchNormalization scales/shifts train (fastai freeze with train_bn): the
//          backward pass runs through the whole body for dX, without conv weight gradients;
//   head   only the head trains: the body is baked (BN folded) and has no backward nodes.
// Ratios compare time per image with the inference case of the same model.
// ---------------------------------------------------------------------------------------------
function runTrainingInChild(spec: TrainingCaseSpec): TrainingCaseResult | { error: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), "run-training-case.ts");
  const output = execFileSync(process.execPath, ["--import", "tsx", script, JSON.stringify(spec)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as TrainingCaseResult | { error: string };
}

console.log("\nTraining steps (AdamW, ratio = step time per image / inference time per image):");
console.log("  peak RSS: the training steps alone, before the inference session that times the ratio is created");
for (const [label, source] of [
  ["MobileNetV2-1.0 224²", "mobilenet-v2"],
  ["ResNet-18 224²", "resnet18"],
] as const) {
  for (const mode of ["full", "frozen", "head"] as const) {
    const caseLabel = `${label} ${mode}`;
    const result = runTrainingInChild({ ...common, label: caseLabel, source, resolution: 224, mode });
    printResult(result, caseLabel);
    if (!("error" in result)) {
      console.log(
        `  ${"".padEnd(34)} ${result.ratioToInference.toFixed(2)}× inference time per image (inference ${result.inferenceMsPerBatch.toFixed(0)} ms/batch, timed alternately; peak RSS with its session ${result.peakRssWithInferenceMb.toFixed(0)} MB)`,
      );
    }
  }
}

console.log("\nReal ImageNet MobileNetV2 (TFLite uint8 from ../shared/models, dequantized to float32):");
printResult(
  runInChild({ ...common, label: "MobileNetV2-1.0 224² ImageNet", source: "tflite:models/mobilenet_v2_1.0_224_quant.tflite", resolution: 224 }),
  "MobileNetV2-1.0 224² ImageNet",
);

// The linear probe on generated feature rows (fitProbe, selectProbe): its own process, like the cases above.
console.log("\nLinear probe (bench/probe.ts):");
execFileSync(process.execPath, ["--import", "tsx", join(dirname(fileURLToPath(import.meta.url)), "probe.ts"), "--threads", String(common.threads)], {
  stdio: "inherit",
});

// Peak RSS per batch size, each in a fresh process, and the fitted line (calibrates src/recipes/memory.ts).
console.log("\nMemory (bench/memory.ts):");
execFileSync(process.execPath, ["--import", "tsx", join(dirname(fileURLToPath(import.meta.url)), "memory.ts"), "--threads", String(common.threads)], {
  stdio: "inherit",
});
