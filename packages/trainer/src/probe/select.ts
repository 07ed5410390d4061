/**
 * The role of scikit-learn's LogisticRegressionCV: the L2 strength chosen by stratified k-fold
 * cross-validation by group on the training rows only, then a refit on all rows at that strength.
 *
 * Inside each fold the grid is walked from the strongest regularization to the weakest, each fit
 * warm-started from the previous one (the solution path moves smoothly, and strong L2 converges
 * fastest). The standardization is fitted on each fold's training rows, so no statistic of the
 * held-out rows leaks into its fit.
 *
 * The chosen l2 has the best pooled held-out accuracy; ties go to the lower held-out log-loss,
 * then to the stronger l2.
 *
 * Default grid: l2 = 1e-6 … 1e1, one value per decade, on the mean-loss scale. scikit-learn's
 * default Cs = logspace(−4, 4, 10) is l2 = 1/(C·n) ∈ [1/(1e4·n), 1/(1e−4·n)]: about
 * 4e-8 … 4 for n = 2,400 training rows (370 images × 8 views, 4 of 5 folds), 3e-7 … 30 for
 * n = 300. Our range is C ≈ 4e-5 … 400 at n = 2,400: it drops the weakest end, where pooled CNN
 * features of a few thousand images are linearly separable, so the weights grow without bound,
 * predictions stop changing and L-BFGS needs the most iterations; and it keeps a decade
 * of strong regularization, where the probe nears the class prior (Oxford pets, 37 classes:
 * held-out log-loss 2.84 at l2 = 10 against log 37 = 3.61).
 */
import { allRows, type FeatureSet, standardizeRows, validateFeatureSet } from "./feature-set.ts";
import { foldRows, stratifiedGroupFolds } from "./folds.ts";
import { GemmRunner } from "./gemm.ts";
import { countCorrect, crossEntropySum, type LinearProbe, PROBE_DEFAULTS, ProbeFitter, rawAffine, requirePositive, validateFitOptions } from "./probe.ts";

export const DEFAULT_GRID: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

export interface SelectOptions {
  /** L2 strengths to try (mean-loss scale, each > 0). Default DEFAULT_GRID. */
  grid?: readonly number[];
  /** Requested folds, default 5; fewer when a class has fewer groups (at least 2). */
  folds?: number;
  /** Seed of the fold assignment, default 42. */
  seed?: number;
  maxIterations?: number;
  /** Convergence tolerance of the refit on all rows (see FitOptions.tolerance), default 1e-4. */
  tolerance?: number;
  /** Convergence tolerance of the fold fits, which are only scored, default 1e-3 (see PROBE_DEFAULTS). */
  cvTolerance?: number;
  lossTolerance?: number;
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface ProbeScore {
  l2: number;
  /** Accuracy over all held-out rows of all folds (each row is held out once). */
  accuracy: number;
  /** Mean cross-entropy over all held-out rows. */
  logLoss: number;
  /** Seconds of fitting and scoring at this l2, summed over the folds. */
  seconds: number;
  /** L-BFGS iterations, summed over the folds. */
  iterations: number;
  /** Whether every fold's fit converged. */
  converged: boolean;
}

export interface ProbeSelection {
  /** Refit on all rows at the chosen l2. */
  probe: LinearProbe;
  l2: number;
  /** One per grid value, in the grid's order. */
  scores: ProbeScore[];
  folds: number;
  seconds: number;
}

export async function selectProbe(data: FeatureSet, options: SelectOptions = {}): Promise<ProbeSelection> {
  const started = performance.now();
  validateFeatureSet(data);
  validateFitOptions(options, data);
  const grid = validateGrid(options.grid ?? DEFAULT_GRID);
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (options.cvTolerance !== undefined) requirePositive("cvTolerance", options.cvTolerance);
  const { folds, foldOf } = stratifiedGroupFolds(data.labels, data.groups, options.folds ?? 5, seed);
  const progress = options.onProgress ?? (() => {});
  const fitOptions = {
    maxIterations: options.maxIterations ?? PROBE_DEFAULTS.maxIterations,
    tolerance: options.tolerance ?? PROBE_DEFAULTS.tolerance,
    lossTolerance: options.lossTolerance ?? PROBE_DEFAULTS.lossTolerance,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const foldOptions = { ...fitOptions, tolerance: options.cvTolerance ?? PROBE_DEFAULTS.cvTolerance };
  // Strongest regularization first: each fit starts from the previous, smoother solution.
  const path = [...grid].sort((a, b) => b - a);
  const tally = new Map(grid.map((l2) => [l2, { correct: 0, loss: 0, seconds: 0, iterations: 0, converged: true, probes: [] as LinearProbe[] }]));
  const gemm = await GemmRunner.create(options.threads ?? 0);
  try {
    for (let fold = 0; fold < folds; fold++) {
      const { train, heldOut } = foldRows(foldOf, fold);
      const fitter = await ProbeFitter.create(gemm, data, train, path[0] as number);
      const z = standardizeRows(data.features, data.dim, heldOut, fitter.standardizer);
      const labels = Int32Array.from(heldOut, (row) => data.labels[row] as number);
      for (const l2 of path) {
        const t0 = performance.now();
        const probe = await fitter.fit(l2, foldOptions, false);
        const logits = await gemm.rowsTimesT(z, probe.weights, data.classCount);
        for (let i = 0; i < heldOut.length; i++) {
          for (let k = 0; k < data.classCount; k++) logits[i * data.classCount + k] = (logits[i * data.classCount + k] as number) + (probe.bias[k] as number);
        }
        const entry = tally.get(l2)!;
        const correct = countCorrect(logits, labels, data.classCount);
        entry.correct += correct;
        entry.loss += crossEntropySum(logits, labels, data.classCount);
        entry.iterations += probe.iterations;
        entry.converged &&= probe.converged;
        entry.probes.push(probe);
        const seconds = (performance.now() - t0) / 1000;
        entry.seconds += seconds;
        progress(
          `fold ${fold + 1}/${folds}, l2 ${l2.toExponential(0)}: held-out accuracy ${((100 * correct) / heldOut.length).toFixed(1)}%, ` +
            `${probe.iterations} iterations${probe.converged ? "" : ` (not converged: ${probe.stopReason})`}, ${seconds.toFixed(2)} s`,
        );
      }
    }
    const scores: ProbeScore[] = grid.map((l2) => {
      const { correct, loss, seconds, iterations, converged } = tally.get(l2)!;
      return { l2, accuracy: correct / data.count, logLoss: loss / data.count, seconds, iterations, converged };
    });
    const best = scores.reduce((a, b) => (better(b, a) ? b : a));
    progress(`l2 ${best.l2.toExponential(0)} chosen: cross-validation accuracy ${(100 * best.accuracy).toFixed(2)}%, log-loss ${best.logLoss.toFixed(4)}`);
    const probe = await refit(gemm, data, best.l2, tally.get(best.l2)!.probes, fitOptions);
    progress(`refit on all ${data.count} rows: ${probe.iterations} iterations${probe.converged ? "" : ` (not converged: ${probe.stopReason})`}`);
    return { probe, l2: best.l2, scores, folds, seconds: (performance.now() - started) / 1000 };
  } finally {
    await gemm.release();
  }
}

/** The final fit on all rows, warm-started from the average of the folds' probes at that l2 (averaged as functions of the raw features). */
async function refit(
  gemm: GemmRunner,
  data: FeatureSet,
  l2: number,
  foldProbes: LinearProbe[],
  options: Parameters<ProbeFitter["fit"]>[1],
): Promise<LinearProbe> {
  const rows = allRows(data.count);
  const fitter = await ProbeFitter.create(gemm, data, rows, l2);
  const { classCount: c, dim: d } = data;
  const weights = new Float64Array(c * d);
  const bias = new Float64Array(c);
  for (const probe of foldProbes) {
    const raw = rawAffine(probe);
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) + (raw.weights[i] as number) / foldProbes.length;
    for (let k = 0; k < c; k++) bias[k] = (bias[k] as number) + (raw.bias[k] as number) / foldProbes.length;
  }
  const average: LinearProbe = {
    ...(foldProbes[0] as LinearProbe),
    mean: new Float32Array(d),
    std: new Float32Array(d).fill(1),
    weights: Float32Array.from(weights),
    bias: Float32Array.from(bias),
  };
  await fitter.start(average);
  return fitter.fit(l2, options);
}

function better(a: ProbeScore, b: ProbeScore): boolean {
  if (a.accuracy !== b.accuracy) return a.accuracy > b.accuracy;
  if (a.logLoss !== b.logLoss) return a.logLoss < b.logLoss;
  return a.l2 > b.l2;
}

function validateGrid(grid: readonly number[]): number[] {
  if (!Array.isArray(grid) || grid.length === 0) throw new Error("grid must be a non-empty array of l2 values");
  grid.forEach((l2, i) => requirePositive(`grid[${i}]`, l2));
  const seen = new Set<number>();
  for (const l2 of grid) {
    if (seen.has(l2)) throw new Error(`grid lists l2 ${l2} twice`);
    seen.add(l2);
  }
  return [...grid];
}
