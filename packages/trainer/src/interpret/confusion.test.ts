import { describe, expect, it } from "vitest";
import { accuracyOf, classMetrics, confusionMatrix, mostConfused } from "./confusion.ts";
import { resolvePredictions } from "./predictions.ts";
import { topLosses } from "./top-losses.ts";

// Six items, three classes. Predicted (argmax): cat, cat, dog, dog, dog, cat.
const classes = ["cat", "dog", "fox"];
const probabilities = [
  [0.8, 0.1, 0.1], // cat → cat
  [0.6, 0.3, 0.1], // dog → cat
  [0.2, 0.7, 0.1], // dog → dog
  [0.1, 0.5, 0.4], // fox → dog
  [0.3, 0.6, 0.1], // fox → dog
  [0.5, 0.2, 0.3], // fox → cat
];
const targets = [0, 1, 1, 2, 2, 2];
const paths = ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"];

describe("confusion matrix", () => {
  const predictions = resolvePredictions({ classes, probabilities, targets, paths });
  const matrix = confusionMatrix(predictions);

  it("counts actual × predicted and normalizes rows", () => {
    expect(matrix.counts).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 2, 0],
    ]);
    expect(matrix.normalized[1]).toEqual([0.5, 0.5, 0]);
    expect(matrix.normalized[2]![1]).toBeCloseTo(2 / 3, 12);
    expect(accuracyOf(matrix)).toBeCloseTo(2 / 6, 12);
  });

  it("lists most confused pairs above a minimum count", () => {
    expect(mostConfused(matrix)).toEqual([
      { actual: "fox", predicted: "dog", count: 2 },
      { actual: "dog", predicted: "cat", count: 1 },
      { actual: "fox", predicted: "cat", count: 1 },
    ]);
    expect(mostConfused(matrix, 2)).toEqual([{ actual: "fox", predicted: "dog", count: 2 }]);
    expect(() => mostConfused(matrix, 0)).toThrow(/minCount/);
  });

  it("gives per-class precision and recall", () => {
    const [cat, dog, fox] = classMetrics(matrix);
    expect(cat).toMatchObject({ name: "cat", precision: 1 / 3, recall: 1, support: 1 });
    expect(dog).toMatchObject({ name: "dog", precision: 1 / 3, recall: 0.5, support: 2 });
    expect(dog!.f1).toBeCloseTo((2 * (1 / 3) * 0.5) / (1 / 3 + 0.5), 12);
    expect(fox).toMatchObject({ name: "fox", precision: 0, recall: 0, f1: 0, support: 3 });
  });
});

describe("top losses", () => {
  it("orders by cross-entropy of the true class when no losses are given", () => {
    const top = topLosses(resolvePredictions({ classes, probabilities, targets, paths }), { count: 3 });
    // True-class probabilities: 0.8, 0.3, 0.7, 0.4, 0.1, 0.3 → largest losses at e, b/f (tie: b first), d.
    expect(top.map((t) => t.path)).toEqual(["e.jpg", "b.jpg", "f.jpg"]);
    expect(top[0]).toMatchObject({ index: 4, predicted: "dog", actual: "fox", probability: 0.6, actualProbability: 0.1 });
    expect(top[0]!.loss).toBeCloseTo(-Math.log(0.1), 12);
  });

  it("uses given losses, flat probabilities and smallest-first order", () => {
    const losses = [5, 1, 3, 2, 4, 0];
    const top = topLosses(resolvePredictions({ classes, probabilities: probabilities.flat(), targets, losses }), { count: 2, largest: false });
    expect(top.map((t) => [t.index, t.loss])).toEqual([
      [5, 0],
      [1, 1],
    ]);
    expect(top[0]!.path).toBeUndefined();
  });
});

describe("prediction validation", () => {
  it("names the field and the rule", () => {
    expect(() => resolvePredictions({ classes, probabilities, targets: [0, 1, 1, 2, 2, 3] })).toThrow(/targets\[5\].*0 to 2/);
    expect(() => resolvePredictions({ classes, probabilities: [0.5, 0.5], targets: [0] })).toThrow(/probabilities must have .* 3 values/);
    expect(() => resolvePredictions({ classes, probabilities: [[0.5, 0.5, 2]], targets: [0] })).toThrow(/probabilities\[0\]\[2\].*\[0, 1\]/);
    expect(() => resolvePredictions({ classes, probabilities, targets, paths: ["x"] })).toThrow(/paths must have one entry per target/);
    expect(() => resolvePredictions({ classes, probabilities, targets, losses: [1, 2, 3, 4, 5, Number.NaN] })).toThrow(/losses\[5\]/);
  });
});
