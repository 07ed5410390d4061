/**
 * Piecewise aggregate approximation: `size` segment means. Segment j covers the interval
 * [j·n/size, (j+1)·n/size) of sample positions, and each sample i (covering [i, i+1)) weighs
 * in by its overlap with it, so any n works, also n < size (then PAA stretches the series)
 * and n not a multiple of size (no sample is dropped or counted twice).
 */

/** For each segment, the samples it overlaps and their weights (summing to 1). */
export function paaWeights(length: number, size: number): { index: number; weight: number }[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`paa: size must be a positive integer, got ${size}`);
  if (length < 1) throw new Error("paa: the series is empty");
  const segmentLength = length / size;
  return Array.from({ length: size }, (_, j) => {
    const start = j * segmentLength;
    const end = (j + 1) * segmentLength;
    const parts: { index: number; weight: number }[] = [];
    for (let i = Math.floor(start); i < Math.min(length, Math.ceil(end)); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 1e-12) parts.push({ index: i, weight: overlap / segmentLength });
    }
    return parts;
  });
}

export function paa(values: ArrayLike<number>, size: number): Float64Array {
  const weights = paaWeights(values.length, size);
  return Float64Array.from(weights, (parts) => parts.reduce((sum, { index, weight }) => sum + weight * (values[index] as number), 0));
}
