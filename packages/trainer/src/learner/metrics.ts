/**
 * Classification metrics over a whole validation set, as pure functions of the scores
 * (logits or probabilities, [N, K] row-major) and the true labels. A metric returns one
 * number, or several named ones (per-class precision and recall).
 */

export interface Predictions {
  /** [N, K] logits or probabilities. */
  scores: Float32Array;
  classes: number;
  labels: Int32Array;
}

export interface Metric {
  readonly name: string;
  /** Higher is better (accuracy) or lower is better (error rate); used by trackers. */
  readonly higherIsBetter: boolean;
  compute(predictions: Predictions): number | Record<string, number>;
}

export function argmaxRows(scores: Float32Array, classes: number): Int32Array {
  const rows = scores.length / classes;
  const result = new Int32Array(rows);
  for (let n = 0; n < rows; n++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (scores[n * classes + k]! > scores[n * classes + best]!) best = k;
    result[n] = best;
  }
  return result;
}

/** counts[actual][predicted]. */
export function confusionCounts(predictions: Predictions): number[][] {
  const { classes, labels } = predictions;
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  argmaxRows(predictions.scores, classes).forEach((predicted, n) => counts[labels[n]!]![predicted]!++);
  return counts;
}

function checkRows(predictions: Predictions): number {
  const rows = predictions.labels.length;
  if (predictions.scores.length !== rows * predictions.classes)
    throw new Error(`metrics: scores must be [${rows}, ${predictions.classes}], got ${predictions.scores.length} values`);
  return rows;
}

/** Fraction of rows whose true class is among the k highest scores. */
export function topKAccuracyOf(predictions: Predictions, k: number): number {
  const rows = checkRows(predictions);
  if (rows === 0) return Number.NaN;
  const { scores, classes, labels } = predictions;
  let hits = 0;
  for (let n = 0; n < rows; n++) {
    const own = scores[n * classes + labels[n]!]!;
    let higher = 0;
    for (let c = 0; c < classes; c++) if (scores[n * classes + c]! > own) higher++;
    if (higher < k) hits++;
  }
  return hits / rows;
}

export const accuracy: Metric = { name: "accuracy", higherIsBetter: true, compute: (p) => topKAccuracyOf(p, 1) };

export const errorRate: Metric = { name: "error_rate", higherIsBetter: false, compute: (p) => 1 - topKAccuracyOf(p, 1) };

export function topKAccuracy(k = 5): Metric {
  if (!Number.isInteger(k) || k < 1) throw new Error(`topKAccuracy: k must be an integer ≥ 1, got ${k}`);
  return { name: `top_${k}_accuracy`, higherIsBetter: true, compute: (p) => topKAccuracyOf(p, k) };
}

/** Per class: precision = TP / predicted, recall = TP / actual (0 when the denominator is 0, as sklearn). */
export function precisionRecall(predictions: Predictions): { precision: number[]; recall: number[] } {
  checkRows(predictions);
  const counts = confusionCounts(predictions);
  const k = predictions.classes;
  const predicted = Array.from({ length: k }, (_, c) => counts.reduce((s, row) => s + row[c]!, 0));
  const actual = counts.map((row) => row.reduce((s, v) => s + v, 0));
  return {
    precision: counts.map((row, c) => (predicted[c]! === 0 ? 0 : row[c]! / predicted[c]!)),
    recall: counts.map((row, c) => (actual[c]! === 0 ? 0 : row[c]! / actual[c]!)),
  };
}

/** Unweighted mean over classes of F1 = 2PR / (P + R) (sklearn's f1_score average="macro"). */
export const macroF1: Metric = {
  name: "f1_macro",
  higherIsBetter: true,
  compute: (p) => {
    const { precision, recall } = precisionRecall(p);
    const f1 = precision.map((pr, c) => (pr + recall[c]! === 0 ? 0 : (2 * pr * recall[c]!) / (pr + recall[c]!)));
    return f1.reduce((s, v) => s + v, 0) / f1.length;
  },
};

/** precision/<class> and recall/<class> for every class. */
export function perClassPrecisionRecall(classNames?: readonly string[]): Metric {
  return {
    name: "per_class",
    higherIsBetter: true,
    compute: (p) => {
      const { precision, recall } = precisionRecall(p);
      const name = (c: number) => classNames?.[c] ?? String(c);
      return Object.fromEntries(
        precision.flatMap((pr, c) => [
          [`precision/${name(c)}`, pr],
          [`recall/${name(c)}`, recall[c]!],
        ]),
      );
    },
  };
}

/** Runs the metrics; multi-valued ones are flattened into the record under their own keys. */
export function computeMetrics(metrics: readonly Metric[], predictions: Predictions): Record<string, number> {
  const result: Record<string, number> = {};
  for (const metric of metrics) {
    const value = metric.compute(predictions);
    if (typeof value === "number") result[metric.name] = value;
    else Object.assign(result, value);
  }
  return result;
}

const NAMED: Record<string, () => Metric> = {
  accuracy: () => accuracy,
  error_rate: () => errorRate,
  top_5_accuracy: () => topKAccuracy(5),
  f1_macro: () => macroF1,
  per_class: () => perClassPrecisionRecall(),
};

/** Metrics by name (the CLI's --metrics); top_<k>_accuracy for any k. */
export function metricByName(name: string, classNames?: readonly string[]): Metric {
  const topK = /^top_(\d+)_accuracy$/.exec(name);
  if (topK) return topKAccuracy(Number(topK[1]));
  if (name === "per_class") return perClassPrecisionRecall(classNames);
  const make = NAMED[name];
  if (!make) throw new Error(`metric must be one of ${Object.keys(NAMED).join(", ")} or top_<k>_accuracy, got '${name}'`);
  return make();
}
