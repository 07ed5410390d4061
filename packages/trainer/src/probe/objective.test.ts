import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Random } from "../data/random.ts";
import { allRows, fitStandardizer, standardizeRows } from "./feature-set.ts";
import { GemmRunner } from "./gemm.ts";
import { BIAS_SCALE, SoftmaxObjective } from "./objective.ts";
import { blobs, gaussian } from "./testing/data.ts";

let gemm: GemmRunner;
beforeAll(async () => {
  gemm = await GemmRunner.create(1);
});
afterAll(async () => {
  await gemm.release();
});

/** The objective of the brief, written out in Float64 with no shared code: mean CE + (l2/2)‖W‖². */
function referenceObjective(z: Float32Array, labels: Int32Array, d: number, c: number, weights: Float64Array, bias: Float64Array, l2: number): number {
  const n = labels.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const logits = Array.from({ length: c }, (_, k) => {
      let s = bias[k] as number;
      for (let j = 0; j < d; j++) s += (weights[k * d + j] as number) * (z[i * d + j] as number);
      return s;
    });
    const max = Math.max(...logits);
    loss += max + Math.log(logits.reduce((sum, v) => sum + Math.exp(v - max), 0)) - (logits[labels[i] as number] as number);
  }
  return loss / n + (l2 / 2) * weights.reduce((sum, w) => sum + w * w, 0);
}

async function setup(l2: number) {
  const data = blobs({ count: 40, dim: 6, classCount: 4, separation: 1, seed: 3, offset: 2, scale: 3 });
  const rows = allRows(data.count);
  const z = standardizeRows(data.features, data.dim, rows, fitStandardizer(data.features, data.dim, rows));
  const objective = new SoftmaxObjective(gemm, z, data.labels, data.classCount, l2);
  const random = new Random(11);
  const weights = Float64Array.from({ length: data.classCount * data.dim }, () => 0.5 * gaussian(random));
  const bias = Float64Array.from({ length: data.classCount }, () => gaussian(random));
  await objective.reset({ weights, bias });
  return { data, z, objective, weights, bias };
}

describe("SoftmaxObjective", () => {
  it("computes mean cross-entropy + (l2/2)·‖W‖² (bias not regularized)", async () => {
    const { data, z, objective, weights, bias } = await setup(0.3);
    expect(objective.value).toBeCloseTo(referenceObjective(z.data, data.labels, data.dim, data.classCount, weights, bias, 0.3), 5);
  });

  it("has the gradient of its value (central finite differences, weights and bias)", async () => {
    const { data, z, objective, weights, bias } = await setup(0.3);
    const gradient = objective.gradient.slice();
    const size = data.classCount * data.dim;
    const f = (w: Float64Array, b: Float64Array) => referenceObjective(z.data, data.labels, data.dim, data.classCount, w, b, 0.3);
    const h = 1e-5;
    for (let j = 0; j < size + data.classCount; j++) {
      const w = weights.slice();
      const b = bias.slice();
      const target = j < size ? w : b;
      const index = j < size ? j : j - size;
      target[index] = (target[index] as number) + h;
      const up = f(w, b);
      target[index] = (target[index] as number) - 2 * h;
      const down = f(w, b);
      const numeric = (up - down) / (2 * h);
      // The optimizer works on u = b / β, so its bias gradient is β·∂f/∂b.
      const analytic = j < size ? (gradient[j] as number) : (gradient[j] as number) / BIAS_SCALE;
      expect(analytic).toBeCloseTo(numeric, 5);
    }
  });

  it("gives φ(t) and φ'(t) along a line consistent with its value and gradient", async () => {
    const { objective } = await setup(0.05);
    const random = new Random(5);
    const direction = Float64Array.from({ length: objective.size }, () => gaussian(random));
    const slope0 = objective.gradient.reduce((sum, g, i) => sum + g * (direction[i] as number), 0);
    const value0 = objective.value;
    const phi = await objective.line(direction);
    expect(phi(0).value).toBeCloseTo(value0, 5);
    expect(phi(0).slope).toBeCloseTo(slope0, 4);
    for (const t of [0.01, 0.3]) {
      const h = 1e-6;
      expect(phi(t).slope).toBeCloseTo((phi(t + h).value - phi(t - h).value) / (2 * h), 5);
    }
    // Stepping there gives the same value as recomputing everything at the new point.
    const at = phi(0.3).value;
    await objective.step(0.3);
    expect(objective.value).toBeCloseTo(at, 10);
    const stepped = objective.gradient.slice();
    await objective.reset();
    expect(objective.value).toBeCloseTo(at, 5);
    objective.gradient.forEach((g, i) => expect(g).toBeCloseTo(stepped[i] as number, 5));
  });

  it("keeps 1 − p exact for confident rows (no cancellation in the loss or the residual)", async () => {
    const data = blobs({ count: 10, dim: 3, classCount: 4, separation: 1, seed: 2 });
    data.labels.fill(0);
    const rows = allRows(data.count);
    const z = standardizeRows(data.features, data.dim, rows, fitStandardizer(data.features, data.dim, rows));
    const objective = new SoftmaxObjective(gemm, z, data.labels, data.classCount, 1e-6);
    // Every row: logits (30, 0, 0, 0), so the loss is log(1 + 3e−30) ≈ 2.8e−13 and ∂f/∂b₀ = −3e−30/(1 + 3e−30).
    await objective.reset({ weights: new Float64Array(12), bias: Float64Array.of(30, 0, 0, 0) });
    const others = 3 * Math.exp(-30);
    expect(objective.dataLoss / Math.log1p(others)).toBeCloseTo(1, 12);
    const biasGradient = (objective.gradient[12] as number) / BIAS_SCALE;
    expect(biasGradient / (-others / (1 + others))).toBeCloseTo(1, 6);
  });
});
