/** Collects a model's scores and the labels over a whole source, batch by batch. */
import type { Predictions } from "./metrics.ts";

export class PredictionCollector {
  private readonly scores: Float32Array[] = [];
  private readonly labels: BigInt64Array[] = [];
  private lossSum = 0;
  private count = 0;

  constructor(readonly classes: number) {}

  add(scores: Float32Array, labels: BigInt64Array, loss: number): void {
    if (scores.length !== labels.length * this.classes)
      throw new Error(`predictions: expected [${labels.length}, ${this.classes}] scores, got ${scores.length} values`);
    this.scores.push(Float32Array.from(scores));
    this.labels.push(labels);
    this.lossSum += loss * labels.length;
    this.count += labels.length;
  }

  /** Mean loss per item. */
  get loss(): number {
    return this.count === 0 ? Number.NaN : this.lossSum / this.count;
  }

  result(): Predictions {
    const scores = new Float32Array(this.count * this.classes);
    const labels = new Int32Array(this.count);
    let offset = 0;
    this.scores.forEach((part, i) => {
      scores.set(part, offset * this.classes);
      labels.set(Array.from(this.labels[i]!, Number), offset);
      offset += this.labels[i]!.length;
    });
    return { scores, classes: this.classes, labels };
  }
}

/** Row-wise softmax of [N, K] logits. */
export function softmaxRows(logits: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let n = 0; n < logits.length / classes; n++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[n * classes + k]!);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += out[n * classes + k] = Math.exp(logits[n * classes + k]! - max);
    for (let k = 0; k < classes; k++) out[n * classes + k]! /= sum;
  }
  return out;
}
