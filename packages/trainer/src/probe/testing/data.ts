/** Generated feature sets for the probe's tests and bench. */
import { Random } from "../../data/random.ts";
import type { FeatureSet } from "../feature-set.ts";

export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

export interface BlobOptions {
  count: number;
  dim: number;
  classCount: number;
  /** Standard deviation of the class centres (the within-class noise is 1). */
  separation: number;
  /** Fraction of rows whose label is replaced by a uniformly random class. */
  labelNoise?: number;
  /** Rows per group: consecutive rows share a group and a label (views of one image). Default 1. */
  groupSize?: number;
  /** Offset and scale of every feature, so standardization has work to do. */
  offset?: number;
  scale?: number;
  seed: number;
}

/** Gaussian blobs: class centres N(0, separation²), rows centre + N(0, 1), then ·scale + offset. */
export function blobs(options: BlobOptions): FeatureSet {
  const { count, dim, classCount, separation, labelNoise = 0, groupSize = 1, offset = 0, scale = 1 } = options;
  const random = new Random(options.seed);
  const centres = Array.from({ length: classCount }, () => Float64Array.from({ length: dim }, () => separation * gaussian(random)));
  const features = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  const groups = new Int32Array(count);
  let label = 0;
  for (let i = 0; i < count; i++) {
    const group = Math.floor(i / groupSize);
    if (i % groupSize === 0) {
      const truth = group % classCount;
      label = random.next() < labelNoise ? random.int(0, classCount - 1) : truth;
    }
    const centre = centres[group % classCount] as Float64Array;
    for (let j = 0; j < dim; j++) features[i * dim + j] = ((centre[j] as number) + gaussian(random)) * scale + offset;
    labels[i] = label;
    groups[i] = group;
  }
  return { features, count, dim, labels, classCount, groups };
}

/**
 * Feature-like rows for timing: `images` images of `classCount` classes, each seen in `views`
 * augmented views; a 64-d latent (class centre + image + view noise) mapped to `dim`
 * non-negative features (a random projection through a ReLU, like pooled CNN activations).
 */
export function featureLike(images: number, views: number, dim: number, classCount: number, seed: number): FeatureSet {
  const random = new Random(seed);
  const latent = 64;
  const projection = Float64Array.from({ length: dim * latent }, () => gaussian(random) / Math.sqrt(latent));
  const centres = Array.from({ length: classCount }, () => Float64Array.from({ length: latent }, () => 0.6 * gaussian(random)));
  const count = images * views;
  const features = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  const groups = new Int32Array(count);
  const z = new Float64Array(latent);
  for (let image = 0; image < images; image++) {
    const label = image % classCount;
    const base = Float64Array.from(centres[label] as Float64Array, (c) => c + gaussian(random));
    for (let view = 0; view < views; view++) {
      const row = image * views + view;
      for (let k = 0; k < latent; k++) z[k] = (base[k] as number) + 0.3 * gaussian(random);
      for (let j = 0; j < dim; j++) {
        let sum = 0;
        for (let k = 0; k < latent; k++) sum += (projection[j * latent + k] as number) * (z[k] as number);
        features[row * dim + j] = Math.max(0, sum + 0.5 * gaussian(random));
      }
      labels[row] = label;
      groups[row] = image;
    }
  }
  return { features, count, dim, labels, classCount, groups };
}

/**
 * Two classes in a rank-`rank` latent (class shift ±1.5 along its first axis) seen through a
 * random linear map into `dim` features plus small isotropic noise, with some labels flipped. With
 * dim ≫ count a weakly regularized probe interpolates the flipped labels along the small-noise
 * directions; a strongly regularized one stays in the latent's span.
 */
export function lowRank(count: number, dim: number, rank: number, noise: number, labelNoise: number, seed: number): FeatureSet {
  const random = new Random(seed);
  const map = Float64Array.from({ length: dim * rank }, () => gaussian(random));
  const features = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = i % 2;
    const latent = Array.from({ length: rank }, (_, k) => gaussian(random) + (k === 0 ? (y ? 1.5 : -1.5) : 0));
    for (let j = 0; j < dim; j++) {
      let sum = 0;
      for (let k = 0; k < rank; k++) sum += (map[j * rank + k] as number) * (latent[k] as number);
      features[i * dim + j] = sum + noise * gaussian(random);
    }
    labels[i] = random.next() < labelNoise ? 1 - y : y;
  }
  return { features, count, dim, labels, classCount: 2 };
}
