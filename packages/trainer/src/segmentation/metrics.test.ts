import { describe, expect, it } from "vitest";
import { argmaxClassMap, PixelConfusion, segmentationMetricRecord, segmentationMetrics } from "./metrics.ts";

describe("segmentation metrics, hand-computed", () => {
  // pixel 6 is void (255) and counts nowhere
  const truth = [0, 0, 0, 1, 1, 2, 255, 2];
  const predicted = [0, 0, 1, 1, 2, 2, 0, 0];

  it("builds the pixel confusion matrix without void pixels", () => {
    const confusion = new PixelConfusion(3, 255).add(predicted, truth);
    expect(confusion.matrix()).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
  });

  it("pixel accuracy, per-class IoU, mean IoU, frequency-weighted IoU, mean class accuracy", () => {
    const metrics = segmentationMetrics(new PixelConfusion(3, 255).add(predicted, truth));
    expect(metrics.pixels).toBe(7);
    expect(metrics.pixelAccuracy).toBeCloseTo(4 / 7, 12);
    // IoU: 2 / (3 + 3 − 2), 1 / (2 + 2 − 1), 1 / (2 + 2 − 1)
    expect(metrics.iou[0]).toBeCloseTo(1 / 2, 12);
    expect(metrics.iou[1]).toBeCloseTo(1 / 3, 12);
    expect(metrics.iou[2]).toBeCloseTo(1 / 3, 12);
    expect(metrics.meanIoU).toBeCloseTo(7 / 18, 12);
    // 3/7 · ½ + 2/7 · ⅓ + 2/7 · ⅓
    expect(metrics.frequencyWeightedIoU).toBeCloseTo(17 / 42, 12);
    // (2/3 + 1/2 + 1/2) / 3
    expect(metrics.meanClassAccuracy).toBeCloseTo(5 / 9, 12);
  });

  it("accumulates batch by batch to the same counts, with int64 labels as the loss takes them", () => {
    const whole = new PixelConfusion(3, 255).add(predicted, truth);
    const parts = new PixelConfusion(3, 255)
      .add(predicted.slice(0, 3), BigInt64Array.from(truth.slice(0, 3).map(BigInt)))
      .add(predicted.slice(3), truth.slice(3));
    expect(Array.from(parts.counts)).toEqual(Array.from(whole.counts));
  });

  it("leaves classes neither true nor predicted out of the mean; a class only predicted scores 0", () => {
    const metrics = segmentationMetrics(new PixelConfusion(4, 11).add([0, 3, 1, 2], [0, 0, 1, 11]));
    expect(metrics.iou[0]).toBeCloseTo(0.5, 12);
    expect(metrics.iou[1]).toBe(1);
    expect(metrics.iou[2]).toBeNaN(); // predicted only on a void pixel, which does not count
    expect(metrics.iou[3]).toBe(0);
    expect(metrics.meanIoU).toBeCloseTo(0.5, 12);
    expect(metrics.frequencyWeightedIoU).toBeCloseTo((2 / 3) * 0.5 + (1 / 3) * 1, 12);
    const record = segmentationMetricRecord(metrics, ["a", "b", "c", "d"]);
    expect(record).toMatchObject({ mean_iou: metrics.meanIoU, "iou/b": 1, "iou/d": 0 });
  });

  it("is NaN, not 0, when every pixel is void", () => {
    const metrics = segmentationMetrics(new PixelConfusion(2, 255).add([0, 1], [255, 255]));
    expect(metrics.pixels).toBe(0);
    expect(metrics.pixelAccuracy).toBeNaN();
    expect(metrics.meanIoU).toBeNaN();
  });

  it("refuses classes outside the list and mismatched lengths", () => {
    expect(() => new PixelConfusion(3, 255).add([0, 1], [0, 3])).toThrow("true pixel 1 has class 3, outside 0-2 and not the ignore index 255");
    expect(() => new PixelConfusion(3, 255).add([0, 5], [0, 1])).toThrow("predicted pixel 1 has class 5, outside 0-2");
    expect(() => new PixelConfusion(3, 255).add([0], [0, 1])).toThrow("1 predicted pixels but 2 true pixels");
    expect(() => new PixelConfusion(3, 1)).toThrow(/ignoreIndex 1 is a class index/);
  });
});

describe("argmaxClassMap", () => {
  it("takes the highest score across the class planes of each image", () => {
    // 2 images, 3 classes, 1×2 pixels: planes c0, c1, c2 per image
    const scores = Float32Array.from([0.1, 0.9, 0.5, 0.2, 0.4, 0.95, /* image 2 */ 3, -1, 2, 0, 1, -2]);
    expect(Array.from(argmaxClassMap(scores, 2, 3))).toEqual([1, 2, 0, 1]);
    expect(() => argmaxClassMap(scores, 5, 3)).toThrow(/do not divide/);
  });
});
