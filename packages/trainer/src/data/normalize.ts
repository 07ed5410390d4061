/** Normalization with the backbone's own input statistics, applied per channel: (x - mean) / std. */
import type { FloatImage } from "./decode.ts";

export type Triple = [number, number, number];

export interface Normalization {
  mean: Triple;
  std: Triple;
}

export const normalizations = {
  /** torchvision / timm ImageNet backbones. */
  imagenet: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  /** Inputs in [0, 1] as they are (e.g. nsfwjs, many TF.js models). */
  unit: { mean: [0, 0, 0], std: [1, 1, 1] },
  /** Inputs in [-1, 1] (Keras MobileNet "tf" preprocessing, TFLite float models). */
  symmetric: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
} as const satisfies Record<string, Normalization>;

export type NormalizationName = keyof typeof normalizations;

function isTriple(value: unknown): value is Triple {
  return Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === "number" && Number.isFinite(v));
}

export function resolveNormalization(spec: NormalizationName | Normalization): Normalization {
  if (typeof spec === "string") {
    const preset = (normalizations as Record<string, { mean: readonly number[]; std: readonly number[] }>)[spec];
    if (!preset) throw new Error(`normalization must be one of ${Object.keys(normalizations).join(", ")} or { mean, std }, got "${spec}"`);
    return { mean: [...preset.mean] as Triple, std: [...preset.std] as Triple };
  }
  if (!isTriple(spec.mean)) throw new Error("normalization.mean must be 3 finite numbers (R, G, B)");
  if (!isTriple(spec.std) || spec.std.some((s) => s <= 0)) throw new Error("normalization.std must be 3 positive numbers (R, G, B)");
  return { mean: [...spec.mean], std: [...spec.std] };
}

/** Writes (x - mean) / std of a CHW image into `target` starting at `offset`. */
export function writeNormalized(image: FloatImage, normalization: Normalization, target: Float32Array, offset: number): void {
  const area = image.width * image.height;
  for (let channel = 0; channel < 3; channel++) {
    const mean = normalization.mean[channel] as number;
    const scale = 1 / (normalization.std[channel] as number);
    const base = channel * area;
    for (let i = 0; i < area; i++) target[offset + base + i] = ((image.data[base + i] as number) - mean) * scale;
  }
}
