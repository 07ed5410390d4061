/**
 * L-BFGS (Nocedal & Wright, Numerical Optimization, algorithms 7.4 and 7.5) with a strong Wolfe
 * line search (algorithms 3.5 and 3.6, cubic interpolation in the zoom). The problem is seen
 * through lines: `line(p)` prepares x + t·p and returns φ(t) and φ'(t), `step(t)` moves there
 * and returns the gradient. For the probe, the logits are linear in the parameters, so once
 * X·pᵀ is computed every trial step of the line search costs O(rows·classes), not a GEMM.
 * The point, value and gradient are Float64; the curvature pairs are float32 (see LbfgsMemory).
 *
 * Stops: "gradient" when ‖∇f‖ ≤ gradientTolerance·gradientScale (converged); "loss" when an
 * iteration lowers f by at most lossTolerance·|f| (converged: no progress left at this
 * precision); "maxIterations"; "lineSearch" when no step along −∇f decreases f (not converged).
 */

export interface LinePoint {
  value: number;
  slope: number;
}

export interface LineProblem {
  /** Number of parameters. */
  readonly size: number;
  /** Prepares the line x + t·p through the current point; returns φ(t) = f(x + t·p) and φ'(t). */
  line(direction: Float64Array): Promise<(t: number) => LinePoint>;
  /** Moves the current point to x + t·p on the last prepared line; returns ∇f there (the caller may keep it). */
  step(t: number): Promise<Float64Array>;
}

export interface LbfgsOptions {
  maxIterations: number;
  /** Converged when measure(∇f) ≤ gradientTolerance · gradientScale. */
  gradientTolerance: number;
  gradientScale: number;
  /** The size of a gradient; default ‖·‖∞. */
  measure?: (gradient: Float64Array) => number;
  /** Converged when one iteration lowers f by at most lossTolerance · |f|. */
  lossTolerance: number;
  /** Curvature pairs (s, y) kept, default 10. */
  memory?: number;
  signal?: AbortSignal;
}

export type StopReason = "gradient" | "loss" | "maxIterations" | "lineSearch";

export interface LbfgsResult {
  value: number;
  gradientMax: number;
  iterations: number;
  converged: boolean;
  reason: StopReason;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_TRIALS = 40;

/** Minimizes from the problem's current point, whose value and gradient are given. */
export async function minimizeLbfgs(problem: LineProblem, value: number, gradient: Float64Array, options: LbfgsOptions): Promise<LbfgsResult> {
  const memory = new LbfgsMemory(problem.size, options.memory ?? 10);
  const measure = options.measure ?? maxAbs;
  const target = options.gradientTolerance * options.gradientScale;
  let g = gradient;
  let f = value;
  const direction = new Float64Array(problem.size);
  let iterations = 0;
  const result = (reason: StopReason): LbfgsResult => ({
    value: f,
    gradientMax: measure(g),
    iterations,
    converged: reason === "gradient" || reason === "loss",
    reason,
  });
  for (;;) {
    if (measure(g) <= target) return result("gradient");
    if (iterations >= options.maxIterations) return result("maxIterations");
    options.signal?.throwIfAborted();
    let slope = memory.direction(g, direction);
    if (!(slope < 0)) {
      memory.clear();
      slope = memory.direction(g, direction);
    }
    let phi = await problem.line(direction);
    let t0 = memory.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
    let found = strongWolfe(phi, f, slope, t0);
    if (!found && memory.length > 0) {
      // A poor quasi-Newton direction: forget the curvature pairs and retry along −∇f.
      memory.clear();
      slope = memory.direction(g, direction);
      phi = await problem.line(direction);
      t0 = Math.min(1, 1 / Math.sqrt(-slope));
      found = strongWolfe(phi, f, slope, t0);
    }
    if (!found) return result("lineSearch");
    const next = await problem.step(found.t);
    iterations++;
    memory.push(direction, found.t, g, next);
    const decrease = f - found.value;
    f = found.value;
    g = next;
    if (decrease <= options.lossTolerance * Math.abs(f)) return result(measure(g) <= target ? "gradient" : "loss");
  }
}

/**
 * The (s, y) pairs and the two-loop recursion. The pairs are stored in float32: the recursion
 * is memory-bound (2m vectors read per direction), and ρ = 1/sᵀy is computed from the stored
 * values, so H stays positive definite; x, ∇f and f stay Float64.
 */
class LbfgsMemory {
  private readonly s: Float32Array[] = [];
  private readonly y: Float32Array[] = [];
  private readonly rho: number[] = [];
  /** yᵀy of each pair, for the initial scaling γ = sᵀy / yᵀy. */
  private readonly yy: number[] = [];
  private readonly alpha: Float64Array;

  constructor(
    private readonly size: number,
    private readonly capacity: number,
  ) {
    this.alpha = new Float64Array(capacity);
  }

  get length(): number {
    return this.s.length;
  }

  clear(): void {
    this.s.length = 0;
    this.y.length = 0;
    this.rho.length = 0;
    this.yy.length = 0;
  }

  /** s = t·p, y = g⁺ − g; skipped when sᵀy is not safely positive (no curvature information). */
  push(direction: Float64Array, t: number, before: Float64Array, after: Float64Array): void {
    const reuse = this.s.length === this.capacity;
    const s = reuse ? (this.s.shift() as Float32Array) : new Float32Array(this.size);
    const y = reuse ? (this.y.shift() as Float32Array) : new Float32Array(this.size);
    if (reuse) {
      this.rho.shift();
      this.yy.shift();
    }
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < this.size; i++) {
      s[i] = t * (direction[i] as number);
      y[i] = (after[i] as number) - (before[i] as number);
      sy += (s[i] as number) * (y[i] as number);
      yy += (y[i] as number) * (y[i] as number);
    }
    if (!(sy > 1e-12 * yy) || yy === 0) return;
    this.s.push(s);
    this.y.push(y);
    this.rho.push(1 / sy);
    this.yy.push(yy);
  }

  /**
   * p = −H·g by the two-loop recursion (H₀ = γI, γ = sᵀy/yᵀy of the newest pair); returns gᵀp.
   * Each update of p is fused with the dot product the next step needs: 2m + 2 passes, not 4m.
   */
  direction(g: Float64Array, out: Float64Array): number {
    const n = this.size;
    for (let i = 0; i < n; i++) out[i] = -(g[i] as number);
    const m = this.s.length;
    if (m === 0) return -dot(g, g);
    const { s, y, rho, alpha } = this;
    let a = (rho[m - 1] as number) * mixedDot(s[m - 1] as Float32Array, out);
    for (let k = m - 1; k >= 0; k--) {
      alpha[k] = a;
      const yk = y[k] as Float32Array;
      const next = k > 0 ? (s[k - 1] as Float32Array) : undefined;
      a = next ? (rho[k - 1] as number) * axpyDot(-a, yk, out, next) : (axpy(-a, yk, out), 0);
    }
    const gamma = 1 / ((rho[m - 1] as number) * (this.yy[m - 1] as number));
    let b = (rho[0] as number) * scaleDot(gamma, out, y[0] as Float32Array);
    for (let k = 0; k < m; k++) {
      const coefficient = (alpha[k] as number) - b;
      const sk = s[k] as Float32Array;
      const next = k + 1 < m ? (y[k + 1] as Float32Array) : undefined;
      b = next ? (rho[k + 1] as number) * axpyDot(coefficient, sk, out, next) : (axpy(coefficient, sk, out), 0);
    }
    return dot(g, out);
  }
}

/** out ← out + a·x; returns v·out (after the update). */
function axpyDot(a: number, x: Float32Array, out: Float64Array, v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const o = (out[i] as number) + a * (x[i] as number);
    out[i] = o;
    sum += (v[i] as number) * o;
  }
  return sum;
}

/** out ← γ·out; returns v·out. */
function scaleDot(gamma: number, out: Float64Array, v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const o = gamma * (out[i] as number);
    out[i] = o;
    sum += (v[i] as number) * o;
  }
  return sum;
}

interface Accepted {
  t: number;
  value: number;
}

/** A step t satisfying the strong Wolfe conditions, or undefined when none was found. */
export function strongWolfe(phi: (t: number) => LinePoint, f0: number, slope0: number, t0: number): Accepted | undefined {
  let previous = { t: 0, value: f0, slope: slope0 };
  let t = t0;
  for (let trial = 0; trial < MAX_LINE_TRIALS; trial++) {
    const { value, slope } = phi(t);
    if (!Number.isFinite(value)) {
      t = previous.t + (t - previous.t) / 10;
      continue;
    }
    const current = { t, value, slope };
    if (value > f0 + C1 * t * slope0 || (trial > 0 && value >= previous.value)) return zoom(phi, f0, slope0, previous, current);
    if (Math.abs(slope) <= -C2 * slope0) return { t, value };
    if (slope >= 0) return zoom(phi, f0, slope0, current, previous);
    previous = current;
    t *= 4;
  }
  return undefined;
}

interface Bracket {
  t: number;
  value: number;
  slope: number;
}

/** Algorithm 3.6: `low` satisfies sufficient decrease and has the lower value; the minimizer lies between low and high. */
function zoom(phi: (t: number) => LinePoint, f0: number, slope0: number, low: Bracket, high: Bracket): Accepted | undefined {
  for (let trial = 0; trial < MAX_LINE_TRIALS; trial++) {
    const width = Math.abs(high.t - low.t);
    if (width <= 1e-16 * Math.max(low.t, high.t)) break;
    let t = cubicMinimizer(low, high);
    const lo = Math.min(low.t, high.t);
    const hi = Math.max(low.t, high.t);
    // Stay away from the ends so the bracket keeps shrinking.
    if (!(t > lo + 0.1 * width && t < hi - 0.1 * width)) t = (low.t + high.t) / 2;
    const { value, slope } = phi(t);
    if (!Number.isFinite(value) || value > f0 + C1 * t * slope0 || value >= low.value) {
      high = { t, value: Number.isFinite(value) ? value : Infinity, slope };
      continue;
    }
    if (Math.abs(slope) <= -C2 * slope0) return { t, value };
    if (slope * (high.t - low.t) >= 0) high = low;
    low = { t, value, slope };
  }
  // The bracket collapsed (round-off): accept the best point if it decreased f at all.
  return low.t > 0 && low.value < f0 ? { t: low.t, value: low.value } : undefined;
}

/** Minimizer of the cubic through (a, φa, φ'a) and (b, φb, φ'b); NaN when it has none. */
function cubicMinimizer(a: Bracket, b: Bracket): number {
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.t - b.t);
  const disc = d1 * d1 - a.slope * b.slope;
  if (!(disc >= 0) || !Number.isFinite(b.value)) return NaN;
  const d2 = Math.sign(b.t - a.t) * Math.sqrt(disc);
  return b.t - ((b.t - a.t) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
}

function mixedDot(a: Float32Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += (a[i] as number) * (b[i] as number);
    s1 += (a[i + 1] as number) * (b[i + 1] as number);
  }
  if (i < n) s0 += (a[i] as number) * (b[i] as number);
  return s0 + s1;
}

function axpy(alpha: number, x: Float32Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + alpha * (x[i] as number);
}

export function maxAbs(values: Float64Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i] as number);
    if (a > max || Number.isNaN(a)) max = a;
  }
  return max;
}
