/**
 * Validation predictions as plain arrays (whatever the Learner or a script collected), checked
 * once here so every interpretation below can trust them.
 */

export interface ValidationPredictions {
  /** Class names; targets and predictions index into them. */
  classes: readonly string[];
  /** Probabilities [N, K]: N·K values row-major, or N rows of K. */
  probabilities: ArrayLike<number> | readonly ArrayLike<number>[];
  /** The true class index of each item. */
  targets: ArrayLike<number>;
  /** Loss of each item; default: cross-entropy −log p(target). */
  losses?: ArrayLike<number>;
  /** Image file of each item (for top losses). */
  paths?: readonly string[];
}

/** Checked predictions with the argmax class of each item. */
export interface ResolvedPredictions {
  classes: readonly string[];
  count: number;
  /** [N, K] row-major. */
  probabilities: Float64Array;
  targets: Int32Array;
  predicted: Int32Array;
  losses: Float64Array;
  paths?: readonly string[];
}

function isRows(value: ValidationPredictions["probabilities"]): value is readonly ArrayLike<number>[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] !== "number";
}

function flatProbabilities(input: ValidationPredictions, count: number, classes: number): Float64Array {
  const source = input.probabilities;
  const flat = new Float64Array(count * classes);
  if (isRows(source)) {
    if (source.length !== count) throw new Error(`probabilities must have one row per target (${count}), got ${source.length} rows`);
    source.forEach((row, n) => {
      if (row.length !== classes) throw new Error(`probabilities[${n}] must have ${classes} values (one per class), got ${row.length}`);
      for (let k = 0; k < classes; k++) flat[n * classes + k] = row[k] as number;
    });
  } else {
    if (source.length !== count * classes) throw new Error(`probabilities must have targets × classes = ${count * classes} values, got ${source.length}`);
    for (let i = 0; i < flat.length; i++) flat[i] = source[i] as number;
  }
  const bad = flat.findIndex((p) => !(p >= 0 && p <= 1));
  if (bad >= 0) throw new Error(`probabilities[${Math.floor(bad / classes)}][${bad % classes}] must be in [0, 1], got ${flat[bad]}`);
  return flat;
}

function checkTargets(targets: ArrayLike<number>, classes: number): Int32Array {
  const out = new Int32Array(targets.length);
  for (let n = 0; n < targets.length; n++) {
    const t = targets[n] as number;
    if (!Number.isInteger(t) || t < 0 || t >= classes) throw new Error(`targets[${n}] must be a class index from 0 to ${classes - 1}, got ${t}`);
    out[n] = t;
  }
  return out;
}

function argmaxRows(probabilities: Float64Array, count: number, classes: number): Int32Array {
  const out = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[n * classes + k]! > probabilities[n * classes + best]!) best = k;
    out[n] = best;
  }
  return out;
}

function resolveLosses(input: ValidationPredictions, probabilities: Float64Array, targets: Int32Array, classes: number): Float64Array {
  const count = targets.length;
  if (input.losses === undefined) {
    // Cross-entropy of the probability given to the true class; clamped so p = 0 stays finite.
    return Float64Array.from(targets, (t, n) => -Math.log(Math.max(probabilities[n * classes + t]!, 1e-12)));
  }
  if (input.losses.length !== count) throw new Error(`losses must have one value per target (${count}), got ${input.losses.length}`);
  const losses = Float64Array.from(input.losses);
  const bad = losses.findIndex((l) => !Number.isFinite(l));
  if (bad >= 0) throw new Error(`losses[${bad}] must be a finite number, got ${losses[bad]}`);
  return losses;
}

export function resolvePredictions(input: ValidationPredictions): ResolvedPredictions {
  const classes = input.classes.length;
  if (classes < 1) throw new Error("classes must name at least one class");
  const count = input.targets.length;
  const targets = checkTargets(input.targets, classes);
  const probabilities = flatProbabilities(input, count, classes);
  if (input.paths !== undefined && input.paths.length !== count) throw new Error(`paths must have one entry per target (${count}), got ${input.paths.length}`);
  return {
    classes: input.classes,
    count,
    probabilities,
    targets,
    predicted: argmaxRows(probabilities, count, classes),
    losses: resolveLosses(input, probabilities, targets, classes),
    ...(input.paths === undefined ? {} : { paths: input.paths }),
  };
}
