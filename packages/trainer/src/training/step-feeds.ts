/** The per-step feeds of the train graph: the batch, its labels (or soft targets) and the scheduled scalars. */
import * as ort from "onnxruntime-node";
import { INPUT, LABELS, learningRateInput, MOMENTUM } from "./train-graph.ts";
import { TARGETS } from "./train-modes.ts";
import { scalar } from "./tensors.ts";

export function checkLearningRates(learningRates: number | readonly number[], groupCount: number): number[] {
  const rates = typeof learningRates === "number" ? Array.from({ length: groupCount }, () => learningRates) : [...learningRates];
  if (rates.length !== groupCount) throw new Error(`learningRates: give one per layer group (${groupCount}), got ${rates.length}`);
  rates.forEach((rate, i) => {
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new Error(`learningRates[${i}] must be a finite number ≥ 0, got ${rate}`);
  });
  return rates;
}

/** Soft targets: float32 [batch, classes], one row per image. */
function checkSoftTargets(input: ort.Tensor, targets: ort.Tensor, classes: number): void {
  if (targets.type !== "float32") throw new Error(`targets must be a float32 tensor (loss.targets is "soft"), got ${targets.type}`);
  if (targets.dims.length !== 2 || targets.dims[0] !== input.dims[0] || targets.dims[1] !== classes) {
    throw new Error(`targets must have shape [${input.dims[0]}, ${classes}] (one row of class weights per image), got [${targets.dims}]`);
  }
}

/**
 * Labels: int64 [batch], one per image; or with `pixels` (a segmentation loss, the [H, W] of
 * the model's scores) int64 [batch, H, W], one per pixel.
 */
export function checkLabels(input: ort.Tensor, labels: ort.Tensor, pixels?: readonly number[]): void {
  if (labels.type !== "int64") throw new Error(`labels must be an int64 tensor, got ${labels.type}`);
  if (pixels !== undefined) {
    const expected = [input.dims[0]!, ...pixels];
    if (labels.dims.length !== expected.length || labels.dims.some((d, i) => d !== expected[i])) {
      throw new Error(`labels must have shape [${expected}] (a class index per pixel of the model's scores), got [${labels.dims}]`);
    }
  } else if (labels.dims.length !== 1 || labels.dims[0] !== input.dims[0]) {
    throw new Error(`labels must have shape [${input.dims[0]}] (one per image), got [${labels.dims}]`);
  }
}

/**
 * softClasses: given when the graph takes soft targets ([batch, classes]) instead of labels;
 * pixels: the [H, W] of per-pixel labels (segmentation).
 */
export function stepFeeds(
  input: ort.Tensor,
  labels: ort.Tensor,
  rates: readonly number[],
  momentum: number | undefined,
  softClasses?: number,
  pixels?: readonly number[],
): Record<string, ort.Tensor> {
  if (softClasses !== undefined) checkSoftTargets(input, labels, softClasses);
  else checkLabels(input, labels, pixels);
  const feeds: Record<string, ort.Tensor> = { [INPUT]: input, [softClasses === undefined ? LABELS : TARGETS]: labels };
  rates.forEach((rate, i) => (feeds[learningRateInput(i)] = scalar(rate)));
  if (momentum !== undefined) feeds[MOMENTUM] = scalar(momentum);
  return feeds;
}
