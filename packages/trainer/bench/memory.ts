/**
 * Peak RSS of MobileNetV2 training steps per batch size: a section of `npm run bench -w
 * @runboard/trainer`, or alone with `node --import tsx bench/memory.ts [--batches 8,16,32,64]
 * [--threads 0] [--steps 2]` from the package folder. Each batch size and freeze setting runs in a
 * fresh process (bench/memory-case.ts), so no peak carries into the next; then the least-squares
 * line peak = fixed + batch × per-image, beside the memory model's estimate
 * (src/recipes/memory.ts, whose constants come from this bench).
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatBytes } from "../src/recipes/memory.ts";
import type { MemoryCaseResult, MemoryCaseSpec } from "./memory-case.ts";

const { values } = parseArgs({
  options: { batches: { type: "string", default: "8,16,32,64" }, threads: { type: "string", default: "0" }, steps: { type: "string", default: "2" } },
  strict: false,
});

function runInChild(spec: MemoryCaseSpec): MemoryCaseResult | { error: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), "memory-case.ts");
  const output = execFileSync(process.execPath, ["--import", "tsx", script, JSON.stringify(spec)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as MemoryCaseResult | { error: string };
}

/** Least squares y = a + b·x. */
export function fitLine(points: readonly { x: number; y: number }[]): { intercept: number; slope: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  return { intercept: my - slope * mx, slope };
}

const batches = String(values.batches).split(",").map(Number);
if (batches.some((b) => !Number.isInteger(b) || b < 1)) throw new Error(`--batches must be positive integers separated by commas, got '${values.batches}'`);
const common = { threads: Number(values.threads), steps: Number(values.steps) };

console.log("Peak RSS of MobileNetV2 (mobilenet-v2-imagenet, 224², fastai head, 10 classes) training steps, fastai's Adam, one process per row:");
for (const mode of ["full", "head"] as const) {
  const points: { x: number; y: number }[] = [];
  for (const batch of batches) {
    const result = runInChild({ ...common, batch, mode });
    const label = `  ${mode === "full" ? "whole body" : "head only "} batch ${String(batch).padStart(3)}`;
    if ("error" in result) {
      console.log(`${label}  ${result.error}`);
      continue;
    }
    points.push({ x: batch, y: result.peakRssBytes });
    const estimate = mode === "full" ? `  memory model (a whole run) ${formatBytes(result.estimatedPeakBytes).padStart(8)}` : "";
    console.log(
      `${label}  peak RSS ${formatBytes(result.peakRssBytes).padStart(8)}  (${formatBytes(result.loadedRssBytes)} before the learner; ${result.msPerStep.toFixed(0)} ms/step)${estimate}`,
    );
  }
  if (points.length >= 2) {
    const { intercept, slope } = fitLine(points);
    console.log(
      `  ${mode === "full" ? "whole body" : "head only "} fit: ${formatBytes(intercept)} fixed + ${formatBytes(slope)} per image (${(intercept / 2 ** 20).toFixed(0)} MiB + ${(slope / 2 ** 20).toFixed(2)} MiB × batch)`,
    );
  }
}
