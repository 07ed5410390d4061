/**
 * Profile of one train step (AdamW; full: every parameter trains, frozen: head + BN) of a synthetic
 * model: ONNX Runtime's per-node kernel times of the last of a few steps, split into forward,
 * backward and optimizer, and the backward ranked by the forward op whose rule emitted each
 * node and by the emitted op. Prints milliseconds.
 * Run: node --import tsx src/autodiff/bench-backward.ts [architecture=mobilenet-v2] [resolution=224] [batch=16] [threads=2] [steps=3] [depthwise dW=grouped-conv] [mode=full|frozen]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import type { DepthwiseWeightGradient } from "./builder.ts";
import { buildSyntheticModel } from "../models/synthetic/index.ts";
import { Trainer } from "../training/trainer.ts";

interface TraceEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

const [architecture = "mobilenet-v2", resolution = "224", batch = "16", threads = "2", steps = "3", depthwise = "grouped-conv", mode = "full"] =
  process.argv.slice(2);
const size = Number(resolution);
const count = Number(batch);

function randomInput(): ort.Tensor {
  let state = 12345;
  const data = Float32Array.from({ length: count * 3 * size * size }, () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
  return new ort.Tensor("float32", data, [count, 3, size, size]);
}

/** Kernel events of the last model run. */
function lastRun(events: TraceEvent[]): TraceEvent[] {
  const runs = events.filter((e) => e.cat === "Session" && e.name === "model_run");
  const last = runs.at(-1)!;
  return events.filter((e) => e.cat === "Node" && e.name.endsWith("_kernel_time") && e.ts >= last.ts && e.ts <= last.ts + last.dur);
}

function table(title: string, totals: Map<string, number>, top = 18): void {
  console.log(`\n${title}`);
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(us / 1000).toFixed(1).padStart(9)} ms  ${key}`);
}

const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);

const { model } = buildSyntheticModel(architecture, { resolution: size, numClasses: 10, seed: 1 });
const opTypeOf = new Map(model.graph.nodes.map((n) => [n.name, n.opType]));
const folder = mkdtempSync(join(tmpdir(), "bench-backward-"));
const profileFile = join(folder, "profile.json");
const trainer = new Trainer(model, {
  optimizer: { kind: "adamw" },
  depthwiseWeightGradient: depthwise as DepthwiseWeightGradient,
  ...(mode === "frozen" ? { freezeTo: -1, trainBatchNorm: true } : {}),
  session: { intraOpNumThreads: Number(threads), graphOptimizationLevel: "extended", profileFile },
});
const input = randomInput();
const labels = new ort.Tensor(
  "int64",
  BigInt64Array.from({ length: count }, (_, i) => BigInt(i % 10)),
  [count],
);
const wall: number[] = [];
for (let i = 0; i < Number(steps); i++) {
  const start = performance.now();
  await trainer.step(input, labels, 1e-4);
  wall.push(performance.now() - start);
}
await trainer.release();
const events = lastRun(JSON.parse(readFileSync(profileFile, "utf8")) as TraceEvent[]);
rmSync(folder, { recursive: true, force: true });

const parts = new Map<string, number>();
const byRule = new Map<string, number>();
const byEmitted = new Map<string, number>();
for (const event of events) {
  const node = event.name.slice(0, -"_kernel_time".length);
  const gradAt = node.indexOf("_grad");
  const part = gradAt >= 0 ? "backward" : opTypeOf.has(node) || node.startsWith("loss") || node.includes("/pointwise/") ? "forward" : "optimizer and other";
  add(parts, part, event.dur);
  if (part !== "backward") continue;
  const rule = opTypeOf.get(node.slice(0, gradAt)) ?? "(fan-in Sum, loss)";
  const label =
    node
      .slice(gradAt)
      .replace(/^_grad\/?/, "")
      .replace(/_\d+$/, "") || "sum";
  add(byRule, rule, event.dur);
  add(byEmitted, `${rule} → ${event.args?.op_name ?? "?"} ${label}`, event.dur);
}
console.log(`${architecture} ${mode} ${size}² batch ${count}, ${threads} threads; wall ms per step: ${wall.map((w) => w.toFixed(0)).join(", ")}`);
table("kernel time of the last step", parts);
table("backward by forward op (rule)", byRule);
table("backward by emitted node", byEmitted, 25);
const byNode = new Map<string, number>();
for (const event of events) add(byNode, `${event.args?.op_name ?? "?"} ${event.name.slice(0, -"_kernel_time".length)}`, event.dur);
table("slowest nodes", byNode, 25);
