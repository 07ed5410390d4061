/** Pure helpers of the run page's interpretation views: phase markers, lr_find curve, most confused pairs. */
import type { Sample } from "./series.ts";

/** The worker's `phase` metric: 0 while the backbone is frozen, 1 once it is unfrozen (one point per epoch). */
export const PHASE_NAMES: Record<number, string> = { 0: "frozen", 1: "unfrozen" };

export interface PhaseMarker {
  step: number;
  label: string;
}

/**
 * Where each phase starts. A phase point is logged at the end of its epoch, so a new phase
 * starts just after the last point of the one before (the first phase at step 0).
 */
export function phaseMarkers(points: readonly Sample[]): PhaseMarker[] {
  const markers: PhaseMarker[] = [];
  let previous: Sample | undefined;
  for (const point of [...points].sort((a, b) => a.step - b.step)) {
    const label = PHASE_NAMES[point.value] ?? `phase ${point.value}`;
    if (previous === undefined) markers.push({ step: 0, label });
    else if (previous.value !== point.value) markers.push({ step: previous.step + 1, label });
    previous = point;
  }
  return markers;
}

export interface LrFindResult {
  lrs: number[];
  losses: number[];
  suggestions: Record<string, { learningRate: number; point: [number, number] } | undefined>;
}

export interface PlotBox {
  width: number;
  height: number;
  padding: number;
}

/** Maps (learning rate, loss) to SVG coordinates: log10 on x, linear on y over the finite losses. */
export function lrFindScales(result: LrFindResult, box: PlotBox) {
  const pairs = result.lrs.map((lr, i) => [lr, result.losses[i] ?? Number.NaN] as const).filter(([lr, loss]) => lr > 0 && Number.isFinite(loss));
  const xs = pairs.map(([lr]) => Math.log10(lr));
  const ys = pairs.map(([, loss]) => loss);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const x = (lr: number) => box.padding + ((Math.log10(lr) - xMin) / (xMax - xMin || 1)) * (box.width - 2 * box.padding);
  const y = (loss: number) => box.height - box.padding - ((loss - yMin) / (yMax - yMin || 1)) * (box.height - 2 * box.padding);
  const path = pairs.map(([lr, loss], i) => `${i === 0 ? "M" : "L"}${x(lr).toFixed(1)},${y(loss).toFixed(1)}`).join(" ");
  return { x, y, path, xMin, xMax, yMin, yMax, count: pairs.length };
}

export interface ConfusionMatrix {
  classes: string[];
  counts: number[][];
}

/** Off-diagonal cells, largest first: (actual, predicted, count). */
export function mostConfused(matrix: ConfusionMatrix, limit = 5): Array<{ actual: string; predicted: string; count: number }> {
  const pairs = matrix.counts.flatMap((row, a) =>
    row.flatMap((count, p) => (a !== p && count > 0 ? [{ actual: matrix.classes[a]!, predicted: matrix.classes[p]!, count }] : [])),
  );
  return pairs.sort((left, right) => right.count - left.count || left.actual.localeCompare(right.actual)).slice(0, limit);
}
