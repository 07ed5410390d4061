import { describe, expect, it } from "vitest";
import {
  accuracy,
  computeMetrics,
  errorRate,
  macroF1,
  metricByName,
  perClassPrecisionRecall,
  precisionRecall,
  type Predictions,
  topKAccuracy,
} from "./metrics.ts";

// 5 items, 3 classes; predicted (argmax) = [0, 1, 1, 2, 0], actual = [0, 1, 2, 2, 1].
const predictions: Predictions = {
  scores: Float32Array.from([0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.2, 0.5, 0.3, 0.1, 0.2, 0.7, 0.6, 0.3, 0.1]),
  classes: 3,
  labels: Int32Array.from([0, 1, 2, 2, 1]),
};

describe("metrics", () => {
  it("accuracy, error rate and top-k", () => {
    expect(accuracy.compute(predictions)).toBeCloseTo(3 / 5);
    expect(errorRate.compute(predictions)).toBeCloseTo(2 / 5);
    // Item 2's class 2 is second (0.3 < 0.5); item 4's class 1 is second (0.3 < 0.6).
    expect(topKAccuracy(2).compute(predictions)).toBe(1);
    expect(topKAccuracy(3).compute(predictions)).toBe(1);
  });

  it("per-class precision and recall, macro F1 (as sklearn)", () => {
    const { precision, recall } = precisionRecall(predictions);
    // class 0: predicted {0, 4}, TP 1 → P ½; actual {0} → R 1. class 1: predicted {1, 2}, TP 1 → ½; actual {1, 4} → ½. class 2: predicted {3} → 1; actual {2, 3} → ½.
    expect(precision).toEqual([0.5, 0.5, 1]);
    expect(recall).toEqual([1, 0.5, 0.5]);
    const f1 = [2 / 3, 0.5, 2 / 3];
    expect(macroF1.compute(predictions)).toBeCloseTo((f1[0]! + f1[1]! + f1[2]!) / 3, 10);
    expect(perClassPrecisionRecall(["a", "b", "c"]).compute(predictions)).toMatchObject({ "precision/a": 0.5, "recall/c": 0.5 });
  });

  it("named metrics for the CLI, flattened results", () => {
    const result = computeMetrics([metricByName("accuracy"), metricByName("top_2_accuracy"), metricByName("per_class", ["a", "b", "c"])], predictions);
    expect(Object.keys(result)).toEqual(["accuracy", "top_2_accuracy", "precision/a", "recall/a", "precision/b", "recall/b", "precision/c", "recall/c"]);
    expect(() => metricByName("auc")).toThrow(/metric must be one of accuracy/);
  });
});
