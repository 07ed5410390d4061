/** Printing evaluation results: interpretation of the validation predictions and summary lines. */
import { classMetrics, confusionMatrix, mostConfused, resolvePredictions, topLosses } from "../src/interpret/index.ts";
import type { CaseResult } from "./fine-tune-case.ts";

export function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

export function printInterpretation(result: CaseResult, classes: readonly string[], paths: readonly string[]): void {
  const predictions = resolvePredictions({ classes, probabilities: result.probabilities, targets: result.targets, paths });
  const matrix = confusionMatrix(predictions);
  console.log(`    confusion (rows actual, columns predicted): ${JSON.stringify(matrix.counts)}`);
  for (const c of classMetrics(matrix)) console.log(`    ${c.name}: precision ${percent(c.precision)}, recall ${percent(c.recall)}, support ${c.support}`);
  const confused = mostConfused(matrix, 1)
    .slice(0, 5)
    .map((p) => `${p.actual}→${p.predicted} ×${p.count}`);
  console.log(`    most confused: ${confused.join(", ") || "none"}`);
  for (const t of topLosses(predictions, { count: 3 })) {
    console.log(
      `    top loss ${t.loss.toFixed(3)}: ${t.path?.split("/").slice(-2).join("/")} predicted ${t.predicted} (p ${t.probability.toFixed(3)}), actual ${t.actual}`,
    );
  }
}

export function printTiming(result: CaseResult): void {
  const perEpoch = result.epochs.map((e) => e.seconds.toFixed(1)).join(", ");
  console.log(
    `    time per epoch (s): ${perEpoch}; ${result.imagesPerSecond.toFixed(1)} img/s (train + valid); wall ${result.wallSeconds.toFixed(1)} s, CPU ${result.cpuSeconds.toFixed(1)} s`,
  );
}
