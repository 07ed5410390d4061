/**
 * Gramian angular fields (Wang & Oates 2015). The series is rescaled to [-1, 1] and read as
 * angles φ = arccos(x̃); GASF[i][j] = cos(φi + φj) = x̃i·x̃j − √(1−x̃i²)·√(1−x̃j²) and
 * GADF[i][j] = sin(φi − φj) = √(1−x̃i²)·x̃j − x̃i·√(1−x̃j²). Values lie in [-1, 1].
 */

/** Min-max rescaling to [-1, 1]; a constant series maps to 0. */
export function rescaleToUnitRange(values: ArrayLike<number>): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i] as number);
    max = Math.max(max, values[i] as number);
  }
  const range = max - min;
  return Float64Array.from({ length: values.length }, (_, i) => {
    if (range === 0) return 0;
    const scaled = (2 * ((values[i] as number) - min)) / range - 1;
    return Math.max(-1, Math.min(1, scaled));
  });
}

export function gramianAngularField(rescaled: Float64Array, kind: "summation" | "difference"): Float32Array {
  const n = rescaled.length;
  const sines = rescaled.map((x) => Math.sqrt(Math.max(0, 1 - x * x)));
  const field = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const cosI = rescaled[i]!;
    const sinI = sines[i]!;
    for (let j = 0; j < n; j++) {
      field[i * n + j] = kind === "summation" ? cosI * rescaled[j]! - sinI * sines[j]! : sinI * rescaled[j]! - cosI * sines[j]!;
    }
  }
  return field;
}
