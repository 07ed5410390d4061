/**
 * Feature rows for the probe, their validation, and the standardization z = (x − mean) / std
 * fitted on the training rows of each fit (so a cross-validation fold never sees its held-out
 * rows' statistics).
 */
import { matrix, type Matrix } from "./gemm.ts";

export interface FeatureSet {
  /** Row-major [count × dim]. */
  features: Float32Array;
  count: number;
  dim: number;
  /** Class index of each row, 0 … classCount − 1. */
  labels: Int32Array;
  classCount: number;
  /**
   * Which source item each row came from (several augmented views of one image share a group);
   * cross-validation folds never split a group. Default: each row its own group.
   */
  groups?: Int32Array;
}

/** Standard deviations below this are raised to it: a constant feature gets z = 0 on the training rows and weight 0. */
export const STD_FLOOR = 1e-6;

export function validateFeatureSet(data: FeatureSet, name = "data"): void {
  const { count, dim, classCount } = data;
  if (!Number.isInteger(count) || count < 1) throw new Error(`${name}.count must be a positive integer, got ${count}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${name}.dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(classCount) || classCount < 2) throw new Error(`${name}.classCount must be an integer ≥ 2, got ${classCount}`);
  validateFeatures(data.features, count, dim, `${name}.features`);
  if (!(data.labels instanceof Int32Array)) throw new Error(`${name}.labels must be an Int32Array`);
  if (data.labels.length !== count) throw new Error(`${name}.labels has ${data.labels.length} entries; it must have one per row (count = ${count})`);
  for (let i = 0; i < count; i++) {
    const label = data.labels[i] as number;
    if (label < 0 || label >= classCount) throw new Error(`${name}.labels[${i}] must be an integer from 0 to ${classCount - 1}, got ${label}`);
  }
  if (data.groups !== undefined) {
    if (!(data.groups instanceof Int32Array)) throw new Error(`${name}.groups must be an Int32Array`);
    if (data.groups.length !== count) throw new Error(`${name}.groups has ${data.groups.length} entries; it must have one per row (count = ${count})`);
  }
}

export function validateFeatures(features: Float32Array, count: number, dim: number, name = "features"): void {
  if (!(features instanceof Float32Array)) throw new Error(`${name} must be a Float32Array`);
  if (features.length !== count * dim) {
    throw new Error(`${name}.length must be count × dim = ${count} × ${dim} = ${count * dim}, got ${features.length}`);
  }
  for (let i = 0; i < features.length; i++) {
    const value = features[i] as number;
    // value − value is NaN exactly for NaN and ±Infinity.
    if (value - value !== 0) throw new Error(`${name}[row ${Math.floor(i / dim)}, column ${i % dim}] must be a finite number, got ${value}`);
  }
}

export interface Standardizer {
  mean: Float64Array;
  std: Float64Array;
}

/** Per-column mean and population standard deviation (floored at STD_FLOOR) over the given rows; two passes in Float64. */
export function fitStandardizer(features: Float32Array, dim: number, rows: ArrayLike<number>): Standardizer {
  const mean = new Float64Array(dim);
  const variance = new Float64Array(dim);
  for (let r = 0; r < rows.length; r++) {
    const offset = (rows[r] as number) * dim;
    for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (features[offset + j] as number);
  }
  for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) / rows.length;
  for (let r = 0; r < rows.length; r++) {
    const offset = (rows[r] as number) * dim;
    for (let j = 0; j < dim; j++) {
      const d = (features[offset + j] as number) - (mean[j] as number);
      variance[j] = (variance[j] as number) + d * d;
    }
  }
  const std = new Float64Array(dim);
  for (let j = 0; j < dim; j++) std[j] = Math.max(Math.sqrt((variance[j] as number) / rows.length), STD_FLOOR);
  return { mean, std };
}

/** The given rows standardized into a new [rows × dim] matrix. */
export function standardizeRows(features: Float32Array, dim: number, rows: ArrayLike<number>, { mean, std }: Standardizer): Matrix {
  const out = new Float32Array(rows.length * dim);
  const inverse = new Float64Array(dim);
  for (let j = 0; j < dim; j++) inverse[j] = 1 / (std[j] as number);
  for (let r = 0; r < rows.length; r++) {
    const from = (rows[r] as number) * dim;
    const to = r * dim;
    for (let j = 0; j < dim; j++) out[to + j] = ((features[from + j] as number) - (mean[j] as number)) * (inverse[j] as number);
  }
  return matrix(out, rows.length, dim);
}

export function allRows(count: number): Int32Array {
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}
