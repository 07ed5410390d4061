import { describe, expect, it } from "vitest";
import type { FeatureSet } from "./feature-set.ts";
import { fitProbe, type LinearProbe, probeAccuracy, probeLogits, restandardize } from "./probe.ts";
import { blobs } from "./testing/data.ts";

/**
 * An independent reference: plain gradient descent in Float64 on the same objective (its own
 * standardization, no shared code), run until the gradient is ~1e-10.
 */
function gradientDescent(data: FeatureSet, l2: number): { objective: number; weights: Float64Array; bias: Float64Array } {
  const { count: n, dim: d, classCount: c, features, labels } = data;
  const z = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += features[i * d + j] as number;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += ((features[i * d + j] as number) - mean) ** 2;
    const std = Math.sqrt(variance / n);
    for (let i = 0; i < n; i++) z[i * d + j] = ((features[i * d + j] as number) - mean) / std;
  }
  const weights = new Float64Array(c * d);
  const bias = new Float64Array(c);
  let objective = Infinity;
  for (let iteration = 0; iteration < 20_000; iteration++) {
    const gw = weights.map((w) => l2 * w);
    const gb = new Float64Array(c);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const logits = Array.from(
        { length: c },
        (_, k) =>
          (bias[k] as number) + Array.from({ length: d }, (_, j) => (weights[k * d + j] as number) * (z[i * d + j] as number)).reduce((a, b) => a + b, 0),
      );
      const max = Math.max(...logits);
      const sum = logits.reduce((a, v) => a + Math.exp(v - max), 0);
      loss += max + Math.log(sum) - (logits[labels[i] as number] as number);
      for (let k = 0; k < c; k++) {
        const g = (Math.exp((logits[k] as number) - max) / sum - (k === labels[i] ? 1 : 0)) / n;
        gb[k] = (gb[k] as number) + g;
        for (let j = 0; j < d; j++) gw[k * d + j] = (gw[k * d + j] as number) + g * (z[i * d + j] as number);
      }
    }
    objective = loss / n + (l2 / 2) * weights.reduce((a, w) => a + w * w, 0);
    const gradientMax = Math.max(...gw.map(Math.abs), ...gb.map(Math.abs));
    if (gradientMax < 1e-10) break;
    // Step 1/L with L ≤ ½·max‖z̃ᵢ‖² + l2 (z̃ = z with the bias's 1); 0.5 is safe for these sizes.
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) - 0.5 * (gw[i] as number);
    for (let k = 0; k < c; k++) bias[k] = (bias[k] as number) - 0.5 * (gb[k] as number);
  }
  return { objective, weights, bias };
}

describe("fitProbe", () => {
  it("reaches 100% training accuracy on separable data, and converges", async () => {
    const data = blobs({ count: 120, dim: 10, classCount: 3, separation: 4, seed: 1, offset: 5, scale: 0.2 });
    const probe = await fitProbe(data, { l2: 1e-4 });
    expect(probe.converged).toBe(true);
    expect(probe.iterations).toBeGreaterThan(5);
    expect(probeAccuracy(probe, data)).toBe(1);
    expect(probe.trainLoss).toBeLessThan(0.01);
  });

  it("matches an independent gradient-descent reference on noisy Gaussian blobs", async () => {
    const data = blobs({ count: 150, dim: 4, classCount: 3, separation: 0.8, labelNoise: 0.1, seed: 7, offset: -3, scale: 2 });
    const l2 = 0.02;
    const reference = gradientDescent(data, l2);
    const probe = await fitProbe(data, { l2, tolerance: 1e-6 });
    expect(probe.converged).toBe(true);
    expect(probe.objective).toBeCloseTo(reference.objective, 6);
    probe.weights.forEach((w, i) => expect(w).toBeCloseTo(reference.weights[i] as number, 3));
    probe.bias.forEach((b, k) => expect(b).toBeCloseTo(reference.bias[k] as number, 3));
    // Noisy labels: accuracy well below 100%, the same as the reference's predictions.
    const accuracy = probeAccuracy(probe, data);
    expect(accuracy).toBeGreaterThan(0.6);
    expect(accuracy).toBeLessThan(0.95);
  });

  it("regularizes: a larger l2 gives smaller weights and a higher training loss", async () => {
    const data = blobs({ count: 100, dim: 8, classCount: 2, separation: 0.5, seed: 4 });
    const weak = await fitProbe(data, { l2: 1e-3 });
    const strong = await fitProbe(data, { l2: 1 });
    const norm = (p: LinearProbe) => p.weights.reduce((a, w) => a + w * w, 0);
    expect(norm(strong)).toBeLessThan(norm(weak) / 10);
    expect(strong.trainLoss).toBeGreaterThan(weak.trainLoss);
  });

  it("returns the standardization, and logits that use it: ((x − mean)/std)·Wᵀ + b", async () => {
    const data = blobs({ count: 60, dim: 5, classCount: 3, separation: 1, seed: 9, offset: 10, scale: 4 });
    const probe = await fitProbe(data, { l2: 0.01 });
    for (let j = 0; j < data.dim; j++) {
      const column = Array.from({ length: data.count }, (_, i) => data.features[i * data.dim + j] as number);
      const mean = column.reduce((a, b) => a + b, 0) / data.count;
      expect(probe.mean[j]).toBeCloseTo(mean, 3);
      expect(probe.std[j]).toBeCloseTo(Math.sqrt(column.reduce((a, v) => a + (v - mean) ** 2, 0) / data.count), 3);
    }
    const logits = probeLogits(probe, data.features, data.count);
    for (const i of [0, 17, 59]) {
      for (let k = 0; k < data.classCount; k++) {
        let expected = probe.bias[k] as number;
        for (let j = 0; j < data.dim; j++)
          expected +=
            (probe.weights[k * data.dim + j] as number) *
            (((data.features[i * data.dim + j] as number) - (probe.mean[j] as number)) / (probe.std[j] as number));
        expect(logits[i * data.classCount + k]).toBeCloseTo(expected, 4);
      }
    }
  });

  it("warm-starts from a probe with another standardization and lands on the same solution", async () => {
    const data = blobs({ count: 80, dim: 6, classCount: 3, separation: 1, seed: 12, offset: 1, scale: 3 });
    const subset: FeatureSet = { ...data, count: 40, features: data.features.slice(0, 40 * data.dim), labels: data.labels.slice(0, 40), groups: undefined };
    const fromSubset = await fitProbe(subset, { l2: 0.05 });
    const cold = await fitProbe(data, { l2: 0.05, tolerance: 1e-6 });
    const warm = await fitProbe(data, { l2: 0.05, tolerance: 1e-6, warmStart: fromSubset });
    expect(warm.objective).toBeCloseTo(cold.objective, 8);
    // The re-expressed warm start computes the same logits as the probe it came from.
    const moved = restandardize(fromSubset, { mean: Float64Array.from(cold.mean), std: Float64Array.from(cold.std) });
    const asProbe = { ...cold, weights: Float32Array.from(moved.weights), bias: Float32Array.from(moved.bias) };
    const a = probeLogits(fromSubset, data.features, data.count);
    const b = probeLogits(asProbe, data.features, data.count);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 3));
    // Starting from the solution itself leaves nothing to do.
    const again = await fitProbe(data, { l2: 0.05, warmStart: cold });
    expect(again.iterations).toBeLessThanOrEqual(1);
    expect(again.converged).toBe(true);
  });

  it("rejects an aborted signal", async () => {
    const data = blobs({ count: 30, dim: 3, classCount: 2, separation: 1, seed: 1 });
    const controller = new AbortController();
    controller.abort();
    await expect(fitProbe(data, { l2: 0.1, signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

describe("input validation", () => {
  const valid = () => blobs({ count: 20, dim: 3, classCount: 4, separation: 1, seed: 1 });
  const cases: [string, (d: FeatureSet) => FeatureSet, RegExp][] = [
    ["a label out of range", (d) => ({ ...d, labels: d.labels.map((v, i) => (i === 17 ? 40 : v)) }), /labels\[17\] must be an integer from 0 to 3, got 40/],
    ["a negative label", (d) => ({ ...d, labels: d.labels.map((v, i) => (i === 2 ? -1 : v)) }), /labels\[2\] must be an integer from 0 to 3, got -1/],
    [
      "a NaN feature",
      (d) => ({ ...d, features: d.features.map((v, i) => (i === 7 ? NaN : v)) }),
      /features\[row 2, column 1\] must be a finite number, got NaN/,
    ],
    [
      "an infinite feature",
      (d) => ({ ...d, features: d.features.map((v, i) => (i === 0 ? Infinity : v)) }),
      /features\[row 0, column 0\] must be a finite number, got Infinity/,
    ],
    ["features of the wrong length", (d) => ({ ...d, features: d.features.slice(1) }), /features\.length must be count × dim = 20 × 3 = 60, got 59/],
    ["labels of the wrong length", (d) => ({ ...d, labels: d.labels.slice(1) }), /labels has 19 entries; it must have one per row \(count = 20\)/],
    ["groups of the wrong length", (d) => ({ ...d, groups: new Int32Array(3) }), /groups has 3 entries; it must have one per row/],
    ["a zero count", (d) => ({ ...d, count: 0 }), /count must be a positive integer, got 0/],
    ["a fractional dim", (d) => ({ ...d, dim: 2.5 }), /dim must be a positive integer, got 2.5/],
    ["one class", (d) => ({ ...d, classCount: 1 }), /classCount must be an integer ≥ 2, got 1/],
    ["labels as a plain array", (d) => ({ ...d, labels: [...d.labels] as unknown as Int32Array }), /labels must be an Int32Array/],
  ];
  it.each(cases)("names the field and rule for %s", async (_, change, message) => {
    await expect(fitProbe(change(valid()), { l2: 0.1 })).rejects.toThrow(message);
    expect(() => probeAccuracy({ classCount: 4, dim: 3 } as LinearProbe, change(valid()))).toThrow(message);
  });

  it("checks the options", async () => {
    const data = valid();
    await expect(fitProbe(data, { l2: 0 })).rejects.toThrow("l2 must be a finite number > 0, got 0");
    await expect(fitProbe(data, { l2: NaN })).rejects.toThrow("l2 must be a finite number > 0, got NaN");
    await expect(fitProbe(data, { l2: 1, maxIterations: 0 })).rejects.toThrow("maxIterations must be a positive integer, got 0");
    await expect(fitProbe(data, { l2: 1, tolerance: -1 })).rejects.toThrow("tolerance must be a finite number > 0, got -1");
    await expect(fitProbe(data, { l2: 1, threads: 1.5 })).rejects.toThrow("threads must be a non-negative integer, got 1.5");
    const other = await fitProbe(blobs({ count: 20, dim: 5, classCount: 4, separation: 1, seed: 1 }), { l2: 1 });
    await expect(fitProbe(data, { l2: 1, warmStart: other })).rejects.toThrow("warmStart has classCount 4 and dim 5; the data has classCount 4 and dim 3");
  });

  it("checks the rows given to probeLogits", async () => {
    const probe = await fitProbe(valid(), { l2: 1 });
    expect(() => probeLogits(probe, new Float32Array(7), 2)).toThrow("features.length must be count × dim = 2 × 3 = 6, got 7");
  });
});
