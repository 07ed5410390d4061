/**
 * Grad-CAM heat maps as PNG overlays: the feature-resolution map upsampled bilinearly to the
 * image (pixel centres aligned, as torch's align_corners=False), coloured, and blended on the
 * exact image the model saw (the validation-prepared one).
 */
import sharp from "sharp";
import type { FloatImage } from "../data/index.ts";
import { colorAt, type ColormapName, isColormap } from "./colormap.ts";

export interface OverlayOptions {
  colormap?: ColormapName;
  /** Weight of the heat map over the image, in [0, 1] (default 0.5). */
  opacity?: number;
}

export interface HeatMap {
  heat: Float32Array;
  width: number;
  height: number;
}

/** Bilinear resize of an H × W map to `height` × `width`. */
export function upsample(map: HeatMap, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const sx = map.width / width;
  const sy = map.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(map.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(map.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(map.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(map.width - 1, x0 + 1);
      const tx = fx - x0;
      const top = map.heat[y0 * map.width + x0]! * (1 - tx) + map.heat[y0 * map.width + x1]! * tx;
      const bottom = map.heat[y1 * map.width + x0]! * (1 - tx) + map.heat[y1 * map.width + x1]! * tx;
      out[y * width + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** The heat map over the image as interleaved 8-bit RGB. */
export function blendHeatMap(image: FloatImage, map: HeatMap, options: OverlayOptions = {}): Buffer {
  const colormap = options.colormap ?? "jet";
  if (!isColormap(colormap)) throw new Error(`colormap must be viridis, jet or blues, got "${String(colormap)}"`);
  const opacity = options.opacity ?? 0.5;
  if (!(opacity >= 0 && opacity <= 1)) throw new Error(`opacity must be in [0, 1], got ${opacity}`);
  const { width, height } = image;
  const heat = upsample(map, width, height);
  const area = width * height;
  const pixels = Buffer.alloc(area * 3);
  const rgb = new Uint8Array(3);
  for (let p = 0; p < area; p++) {
    colorAt(colormap, heat[p]!, rgb);
    for (let c = 0; c < 3; c++) {
      const base = Math.min(1, Math.max(0, image.data[c * area + p]!)) * 255;
      pixels[p * 3 + c] = Math.round(base * (1 - opacity) + rgb[c]! * opacity);
    }
  }
  return pixels;
}

export async function renderGradCam(image: FloatImage, map: HeatMap, options: OverlayOptions = {}): Promise<Buffer> {
  const pixels = blendHeatMap(image, map, options);
  return sharp(pixels, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}
