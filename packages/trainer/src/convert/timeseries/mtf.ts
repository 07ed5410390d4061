/**
 * Markov transition field (Wang & Oates 2015). Values are put in quantile bins (equal counts;
 * edges by linear interpolation, as numpy's percentile); W[p][q] is the share of steps from
 * bin p that go to bin q (each row sums to 1, or is all zero if the bin is never left); and
 * MTF[i][j] = W[bin(x_i)][bin(x_j)] over all time points. Reduced to the image size by block
 * means, computed directly as F·W·Fᵀ with F[a][p] the share of block a's points in bin p.
 */
import { paaWeights } from "./paa.ts";

export function quantileEdges(values: ArrayLike<number>, bins: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  return Float64Array.from({ length: bins + 1 }, (_, k) => {
    const position = (k / bins) * (sorted.length - 1);
    const low = Math.floor(position);
    const high = Math.min(sorted.length - 1, low + 1);
    return sorted[low]! + (position - low) * (sorted[high]! - sorted[low]!);
  });
}

/** Bin of each value: the number of inner edges at or below it (0 … bins−1). */
export function binIndices(values: ArrayLike<number>, edges: Float64Array): Int32Array {
  const bins = edges.length - 1;
  return Int32Array.from({ length: values.length }, (_, i) => {
    let bin = 0;
    while (bin < bins - 1 && (values[i] as number) >= edges[bin + 1]!) bin++;
    return bin;
  });
}

/** Row-normalized first-order transition counts, `[from * bins + to]`. */
export function transitionMatrix(binOf: Int32Array, bins: number): Float64Array {
  const matrix = new Float64Array(bins * bins);
  for (let t = 1; t < binOf.length; t++) matrix[binOf[t - 1]! * bins + binOf[t]!]! += 1;
  for (let from = 0; from < bins; from++) {
    let total = 0;
    for (let to = 0; to < bins; to++) total += matrix[from * bins + to]!;
    if (total > 0) for (let to = 0; to < bins; to++) matrix[from * bins + to]! /= total;
  }
  return matrix;
}

export function markovTransitionField(values: ArrayLike<number>, size: number, bins: number): Float32Array {
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`markov transition field: bins must be an integer ≥ 2, got ${bins}`);
  const binOf = binIndices(values, quantileEdges(values, bins));
  const transitions = transitionMatrix(binOf, bins);
  const shares = paaWeights(values.length, size).map((parts) => {
    const share = new Float64Array(bins);
    for (const { index, weight } of parts) share[binOf[index]!]! += weight;
    return share;
  });
  // left[a][q] = Σ_p F[a][p]·W[p][q]; then field[a][b] = Σ_q left[a][q]·F[b][q].
  const left = shares.map((share) => {
    const row = new Float64Array(bins);
    for (let p = 0; p < bins; p++) for (let q = 0; q < bins; q++) row[q]! += share[p]! * transitions[p * bins + q]!;
    return row;
  });
  const field = new Float32Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      let sum = 0;
      for (let q = 0; q < bins; q++) sum += left[a]![q]! * shares[b]![q]!;
      field[a * size + b] = sum;
    }
  }
  return field;
}
