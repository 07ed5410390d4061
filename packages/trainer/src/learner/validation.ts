/**
 * What validation accumulates over a source, batch by batch: the mean loss and the metrics.
 * Classification keeps every image's scores for the learner's metrics; segmentation counts a
 * pixel confusion matrix (segmentation/metrics.ts) and reports pixel accuracy, per-class IoU,
 * mean IoU, frequency-weighted IoU and mean class accuracy, void pixels left out.
 */
import { argmaxClassMap, PixelConfusion, segmentationMetricRecord, segmentationMetrics } from "../segmentation/metrics.ts";
import type { LearnerBatch } from "./data.ts";
import { computeMetrics, type Metric } from "./metrics.ts";
import { PredictionCollector } from "./predictions.ts";

export interface ValidationCollector {
  add(scores: Float32Array, batch: LearnerBatch, loss: number): void;
  /** Mean loss per image. */
  readonly loss: number;
  metrics(): Record<string, number>;
}

export function classificationCollector(classes: number, metrics: readonly Metric[]): ValidationCollector {
  const collector = new PredictionCollector(classes);
  return {
    add: (scores, batch, loss) => collector.add(scores, batch.labels, loss),
    get loss() {
      return collector.loss;
    },
    metrics: () => computeMetrics(metrics, collector.result()),
  };
}

export function segmentationCollector(classNames: readonly string[], ignoreIndex: number): ValidationCollector {
  const confusion = new PixelConfusion(classNames.length, ignoreIndex);
  let lossSum = 0;
  let images = 0;
  return {
    add: (scores, batch, loss) => {
      const count = batch.shape[0];
      if (scores.length !== batch.labels.length * classNames.length) {
        throw new Error(
          `validation: expected scores for ${classNames.length} classes at each of ${batch.labels.length} labelled pixels, got ${scores.length} values`,
        );
      }
      confusion.add(argmaxClassMap(scores, count, classNames.length), batch.labels);
      lossSum += loss * count;
      images += count;
    },
    get loss() {
      return images === 0 ? Number.NaN : lossSum / images;
    },
    metrics: () => segmentationMetricRecord(segmentationMetrics(confusion), classNames),
  };
}
