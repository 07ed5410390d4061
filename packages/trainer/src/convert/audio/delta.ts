/**
 * librosa.feature.delta: a Savitzky-Golay derivative along time (width 9 by default), order 1
 * fitting lines and order 2 fitting parabolas, with mode "interp" at the edges (the first and
 * last `width` frames share one fitted polynomial, evaluated at each frame's own position).
 */

/** Solves the small dense system A·x = b in place by Gaussian elimination with pivoting. */
function solve(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(matrix[row]![col]!) > Math.abs(matrix[pivot]![col]!)) pivot = row;
    [matrix[col], matrix[pivot]] = [matrix[pivot]!, matrix[col]!];
    [rhs[col], rhs[pivot]] = [rhs[pivot]!, rhs[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = matrix[row]![col]! / matrix[col]![col]!;
      for (let k = col; k < n; k++) matrix[row]![k]! -= factor * matrix[col]![k]!;
      rhs[row]! -= factor * rhs[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = rhs[row]!;
    for (let k = row + 1; k < n; k++) sum -= matrix[row]![k]! * x[k]!;
    x[row] = sum / matrix[row]![row]!;
  }
  return x;
}

/**
 * Weights w such that Σ w_k · y(offsets_k) is the `order`-th derivative at 0 of the
 * least-squares polynomial of degree `order` through the points (offsets_k, y_k).
 * The derivative of Σ c_j x^j at 0 is order! · c_order, and c = (AᵀA)⁻¹Aᵀy.
 */
export function derivativeWeights(offsets: number[], order: number): number[] {
  const terms = order + 1;
  const normal = Array.from({ length: terms }, (_, i) => Array.from({ length: terms }, (_, j) => offsets.reduce((sum, x) => sum + Math.pow(x, i + j), 0)));
  let factorial = 1;
  for (let k = 2; k <= order; k++) factorial *= k;
  // Row `order` of (AᵀA)⁻¹, from solving (AᵀA) r = e_order (AᵀA is symmetric).
  const unit = Array.from({ length: terms }, (_, i) => (i === order ? 1 : 0));
  const row = solve(normal, unit);
  return offsets.map((x) => factorial * row.reduce((sum, r, j) => sum + r * Math.pow(x, j), 0));
}

/** Delta of each row of a `[rows * frames]` matrix along frames. Width odd, ≥ 3, ≤ frames. */
export function delta(values: Float64Array, rows: number, frames: number, order: 1 | 2, width = 9): Float64Array {
  if (width < 3 || width % 2 === 0) throw new Error(`delta: width must be an odd integer ≥ 3, got ${width}`);
  if (frames < width) throw new Error(`delta: width ${width} is more than the ${frames} frames (mode "interp" needs width ≤ frames)`);
  const half = (width - 1) / 2;
  const weightsAt = (position: number): number[] =>
    derivativeWeights(
      Array.from({ length: width }, (_, k) => k - position),
      order,
    );
  const interior = weightsAt(half);
  const output = new Float64Array(values.length);
  for (let t = 0; t < frames; t++) {
    const edge = t < half || t >= frames - half;
    const start = t < half ? 0 : t >= frames - half ? frames - width : t - half;
    const weights = edge ? weightsAt(t - start) : interior;
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let k = 0; k < width; k++) sum += weights[k]! * values[r * frames + start + k]!;
      output[r * frames + t] = sum;
    }
  }
  return output;
}
