/** Seeded test values, shaped so finite differences stay away from kinks and ties. */
import type { DataType, Tensor } from "../../onnx/ir.ts";
import { elementCount, typedArrayFor } from "../../onnx/ir.ts";

export type Random = () => number;

/** mulberry32: a tiny seeded generator, so every run checks the same points. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * uniform: U(-1, 1). awayFromZero: ±U(0.2, 1), for kinks at 0. positive: U(0.5, 2), for logs,
 * roots and divisors. distinct: a shuffled grid with spacing 0.05, so max-pooling has no near ties.
 * wide: U(-5, 5), to reach the saturated parts of hard activations.
 */
export type ValueKind = "uniform" | "awayFromZero" | "positive" | "distinct" | "wide";

export function randomValues(kind: ValueKind, count: number, random: Random): number[] {
  switch (kind) {
    case "uniform":
      return Array.from({ length: count }, () => random() * 2 - 1);
    case "awayFromZero":
      return Array.from({ length: count }, () => (random() < 0.5 ? -1 : 1) * (0.2 + 0.8 * random()));
    case "wide":
      return Array.from({ length: count }, () => random() * 10 - 5);
    case "positive":
      return Array.from({ length: count }, () => 0.5 + 1.5 * random());
    case "distinct": {
      const values = Array.from({ length: count }, (_, i) => (i - count / 2) * 0.05);
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [values[i], values[j]] = [values[j]!, values[i]!];
      }
      return values;
    }
  }
}

export function randomTensor(kind: ValueKind, dims: number[], dataType: DataType, random: Random): Tensor {
  const values = randomValues(kind, elementCount(dims), random);
  const data = typedArrayFor(dataType, values.length);
  if (data instanceof BigInt64Array) throw new Error("randomTensor: use intTensor for integer tensors");
  data.set(values);
  return { dataType, dims, data };
}

export function intTensor(dims: number[], values: readonly number[]): Tensor {
  return { dataType: "int64", dims, data: BigInt64Array.from(values.map(BigInt)) };
}
