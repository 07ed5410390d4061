/**
 * Segmentation metrics from a pixel confusion matrix, accumulated batch by batch over predicted
 * and true class maps; pixels whose truth is the ignore index (void) are left out everywhere.
 *
 *   pixel accuracy         Σ_c TP_c / Σ_c T_c                       (T_c: true pixels of class c)
 *   IoU_c                  TP_c / (TP_c + FP_c + FN_c)             (NaN when the class is neither
 *                                                                    true nor predicted anywhere)
 *   mean IoU               mean of the defined IoU_c
 *   frequency-weighted IoU Σ_c (T_c / Σ T)·IoU_c                    (classes with T_c = 0 add 0)
 *   mean class accuracy    mean over classes with T_c > 0 of TP_c / T_c
 */

export class PixelConfusion {
  readonly classes: number;
  readonly ignoreIndex: number;
  /** counts[truth · classes + predicted]. */
  readonly counts: Float64Array;

  constructor(classes: number, ignoreIndex: number) {
    if (!Number.isInteger(classes) || classes < 1) throw new Error(`metrics: classes must be a positive integer, got ${classes}`);
    if (Number.isInteger(ignoreIndex) && ignoreIndex >= 0 && ignoreIndex < classes) {
      throw new Error(`metrics: ignoreIndex ${ignoreIndex} is a class index (0-${classes - 1})`);
    }
    this.classes = classes;
    this.ignoreIndex = ignoreIndex;
    this.counts = new Float64Array(classes * classes);
  }

  /** Adds one or more class maps (same length, any layout); truth may be int64 labels as fed to the loss. */
  add(predicted: ArrayLike<number>, truth: ArrayLike<number> | BigInt64Array): this {
    if (predicted.length !== truth.length) throw new Error(`metrics: ${predicted.length} predicted pixels but ${truth.length} true pixels`);
    const { classes, ignoreIndex, counts } = this;
    for (let i = 0; i < truth.length; i++) {
      const actual = Number(truth[i]);
      if (actual === ignoreIndex) continue;
      const guess = predicted[i]!;
      if (!(actual >= 0 && actual < classes && Number.isInteger(actual))) {
        throw new Error(`metrics: true pixel ${i} has class ${actual}, outside 0-${classes - 1} and not the ignore index ${ignoreIndex}`);
      }
      if (!(guess >= 0 && guess < classes && Number.isInteger(guess)))
        throw new Error(`metrics: predicted pixel ${i} has class ${guess}, outside 0-${classes - 1}`);
      counts[actual * classes + guess]!++;
    }
    return this;
  }

  /** counts[truth][predicted] as rows. */
  matrix(): number[][] {
    return Array.from({ length: this.classes }, (_, t) => Array.from(this.counts.subarray(t * this.classes, (t + 1) * this.classes)));
  }
}

export interface SegmentationMetrics {
  pixelAccuracy: number;
  meanClassAccuracy: number;
  /** Per class, in index order; NaN where the class is neither true nor predicted anywhere. */
  iou: number[];
  meanIoU: number;
  frequencyWeightedIoU: number;
  /** Labelled (not ignored) pixels counted. */
  pixels: number;
}

export function segmentationMetrics(confusion: PixelConfusion): SegmentationMetrics {
  const { classes, counts } = confusion;
  const truePixels = new Array<number>(classes).fill(0);
  const predictedPixels = new Array<number>(classes).fill(0);
  let total = 0;
  let correct = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) {
      const count = counts[t * classes + p]!;
      truePixels[t]! += count;
      predictedPixels[p]! += count;
      total += count;
      if (t === p) correct += count;
    }
  }
  const iou = truePixels.map((actual, c) => {
    const hit = counts[c * classes + c]!;
    const union = actual + predictedPixels[c]! - hit;
    return union === 0 ? Number.NaN : hit / union;
  });
  const defined = iou.filter((v) => !Number.isNaN(v));
  const present = truePixels.map((actual, c) => (actual === 0 ? Number.NaN : counts[c * classes + c]! / actual)).filter((v) => !Number.isNaN(v));
  const mean = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
  return {
    pixelAccuracy: total === 0 ? Number.NaN : correct / total,
    meanClassAccuracy: mean(present),
    iou,
    meanIoU: mean(defined),
    frequencyWeightedIoU: total === 0 ? Number.NaN : truePixels.reduce((sum, actual, c) => (actual === 0 ? sum : sum + (actual / total) * iou[c]!), 0),
    pixels: total,
  };
}

/** The class with the highest score at each pixel of [N, C, H, W] (or [N, C, d…]) scores: [N, H, W]. */
export function argmaxClassMap(scores: Float32Array | Float64Array, batch: number, classes: number): Uint8Array | Uint16Array {
  const plane = scores.length / (batch * classes);
  if (!Number.isInteger(plane)) throw new Error(`metrics: ${scores.length} scores do not divide into ${batch} × ${classes} planes`);
  const out = classes <= 256 ? new Uint8Array(batch * plane) : new Uint16Array(batch * plane);
  for (let n = 0; n < batch; n++) {
    const base = n * classes * plane;
    for (let i = 0; i < plane; i++) {
      let best = 0;
      let bestScore = scores[base + i]!;
      for (let c = 1; c < classes; c++) {
        const score = scores[base + c * plane + i]!;
        if (score > bestScore) [best, bestScore] = [c, score];
      }
      out[n * plane + i] = best;
    }
  }
  return out;
}

/** Named numbers for trackers and history: pixel_accuracy, mean_iou, fw_iou, mean_class_accuracy, iou/<class>. */
export function segmentationMetricRecord(metrics: SegmentationMetrics, classNames: readonly string[]): Record<string, number> {
  const record: Record<string, number> = {
    pixel_accuracy: metrics.pixelAccuracy,
    mean_iou: metrics.meanIoU,
    fw_iou: metrics.frequencyWeightedIoU,
    mean_class_accuracy: metrics.meanClassAccuracy,
  };
  metrics.iou.forEach((value, c) => (record[`iou/${classNames[c] ?? c}`] = value));
  return record;
}
