/**
 * Linear probe timings on generated feature-like rows (non-negative, correlated, 8 views per
 * image): one fitProbe at rows 2,500 × dim 1,280 × 2 classes, and selectProbe (5 folds × the
 * default 8 l2 values, then the refit) at 370 images × 8 views × dim 1,280 × 37 classes.
 * `node --import tsx bench/probe.ts [--threads 0]`; also run by bench/index.ts. Prints numbers;
 * asserts nothing. Wall times depend on what else the machine runs: the load average and this
 * process's CPU time are printed beside them.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { fitProbe, probeAccuracy, selectProbe } from "../src/probe/index.ts";
import { featureLike } from "../src/probe/testing/data.ts";

const { values } = parseArgs({ options: { threads: { type: "string", default: "0" } }, strict: false });
const threads = Number(values.threads);
if (!Number.isInteger(threads) || threads < 0) throw new Error(`--threads must be a non-negative integer, got '${String(values.threads)}'`);

function measure<T>(run: () => Promise<T>): Promise<{ result: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  return run().then((result) => {
    const cpu = process.cpuUsage(cpu0);
    return { result, wall: (performance.now() - wall0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  });
}

const load = () => loadavg()[0]!.toFixed(1);
console.log(`ONNX Runtime intra-op threads ${threads || "auto"}; wall s, this process's CPU s (all threads), 1-min load average of the machine`);

const binary = featureLike(2500, 1, 1280, 2, 1);
console.log(`\nfitProbe, rows ${binary.count} × dim ${binary.dim}, ${binary.classCount} classes, cold start (default tolerance):`);
for (const l2 of [1e-1, 1e-3, 1e-5]) {
  const { result: probe, wall, cpu } = await measure(() => fitProbe(binary, { l2, threads }));
  console.log(
    `  l2 ${l2.toExponential(0).padEnd(5)} ${wall.toFixed(2).padStart(6)} s wall ${cpu.toFixed(2).padStart(6)} s CPU  ${String(probe.iterations).padStart(4)} iterations ` +
      `(${probe.stopReason})  train accuracy ${(100 * probeAccuracy(probe, binary)).toFixed(1)}%  load ${load()}`,
  );
}

const pets = featureLike(370, 8, 1280, 37, 2);
console.log(`\nselectProbe, ${pets.count} rows (370 images × 8 views) × dim ${pets.dim}, ${pets.classCount} classes, default grid and folds:`);
const { result: selection, wall, cpu } = await measure(() => selectProbe(pets, { threads }));
for (const score of selection.scores) {
  console.log(
    `  l2 ${score.l2.toExponential(0).padEnd(5)} CV accuracy ${(100 * score.accuracy).toFixed(2).padStart(6)}%  log-loss ${score.logLoss.toFixed(4)}  ` +
      `${String(score.iterations).padStart(4)} iterations over ${selection.folds} folds${score.converged ? "" : " (not all converged)"}  ${score.seconds.toFixed(2).padStart(6)} s`,
  );
}
const iterations = selection.scores.reduce((sum, s) => sum + s.iterations, 0) + selection.probe.iterations;
console.log(
  `  chose l2 ${selection.l2.toExponential(0)}; refit ${selection.probe.iterations} iterations (${selection.probe.stopReason}). ` +
    `Total ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${iterations} iterations (${((1000 * wall) / iterations).toFixed(1)} ms each, all included); load ${load()}`,
);
