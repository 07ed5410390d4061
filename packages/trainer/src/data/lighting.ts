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

export function applyLighting(image: FloatImage, lighting: Lighting): FloatImage {
  if (lighting.brightness === 0.5 && lighting.contrast === 1) return image;
  const shift = logit(lighting.brightness);
  const scale = lighting.contrast;
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = 1 / (1 + Math.exp(-(logit(image.data[i] as number) + shift) * scale));
  }
  return { data: out, width: image.width, height: image.height };
}
