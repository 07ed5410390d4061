/**
 * The geometry of images applied to masks, exactly: every output pixel takes the class index of
 * one source pixel (nearest neighbour), so no value is blended or invented. Areas an image
 * transform fills with padding take the ignore index (their labels are unknown), except under
 * reflection padding of the warp, where the mask is reflected with the image.
 */
import { perspectiveCoefficients, type Affine, type SamplePadMode, type WarpCorners } from "../warp.ts";
import type { Box, ResizePlan, Size } from "../resize-plan.ts";
import type { Mask } from "./mask.ts";

export function cropMask(mask: Mask, box: Box): Mask {
  if (box.left < 0 || box.top < 0 || box.left + box.width > mask.width || box.top + box.height > mask.height) {
    throw new Error(`crop ${box.width}×${box.height}+${box.left}+${box.top} is outside the ${mask.width}×${mask.height} mask`);
  }
  const data = new Uint8Array(box.width * box.height);
  for (let row = 0; row < box.height; row++) {
    const start = (box.top + row) * mask.width + box.left;
    data.set(mask.data.subarray(start, start + box.width), row * box.width);
  }
  return { data, width: box.width, height: box.height };
}

/** Nearest-neighbour resize with pixel centres aligned: output pixel i reads source ⌊(i + ½)·in/out⌋. */
export function resizeMaskNearest(mask: Mask, size: Size): Mask {
  if (size.width === mask.width && size.height === mask.height) return mask;
  const columns = Array.from({ length: size.width }, (_, x) => Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / size.width)));
  const data = new Uint8Array(size.width * size.height);
  for (let y = 0; y < size.height; y++) {
    const sourceRow = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / size.height)) * mask.width;
    for (let x = 0; x < size.width; x++) data[y * size.width + x] = mask.data[sourceRow + columns[x]!]!;
  }
  return { data, width: size.width, height: size.height };
}

export function padMask(mask: Mask, pad: { left: number; top: number; right: number; bottom: number }, fill: number): Mask {
  const width = mask.width + pad.left + pad.right;
  const height = mask.height + pad.top + pad.bottom;
  const data = new Uint8Array(width * height).fill(fill);
  for (let row = 0; row < mask.height; row++) {
    data.set(mask.data.subarray(row * mask.width, (row + 1) * mask.width), (row + pad.top) * width + pad.left);
  }
  return { data, width, height };
}

/** A ResizePlan (decode.ts applies the same plan to the image with sharp), on a mask. */
export function resizeMaskWithPlan(mask: Mask, plan: ResizePlan, ignoreIndex: number): Mask {
  let out = plan.crop ? cropMask(mask, plan.crop) : mask;
  out = resizeMaskNearest(out, plan.resize);
  if (plan.pad) out = padMask(out, plan.pad, ignoreIndex);
  if (plan.finalCrop) out = cropMask(out, plan.finalCrop);
  return out;
}

/** Folds a coordinate into [0, size − 1] by mirroring at the outer pixel centres (as warp.ts). */
function reflect(coord: number, size: number): number {
  const span = size - 1;
  if (span <= 0) return 0;
  const folded = Math.abs(coord);
  const flips = Math.floor(folded / span);
  const extra = folded - flips * span;
  return flips % 2 === 0 ? extra : span - extra;
}

/**
 * warpImage's sampling (align_corners, affine then perspective) with nearest-neighbour lookups:
 * the mask of an image warped with the same affine and corners.
 */
export function warpMask(source: Mask, affine: Affine, warp: WarpCorners, padMode: SamplePadMode, ignoreIndex: number): Mask {
  const { width, height } = source;
  const out = new Uint8Array(width * height);
  const hasWarp = warp.x !== 0 || warp.y !== 0;
  const h = hasWarp ? perspectiveCoefficients(warp) : [1, 0, 0, 0, 1, 0, 0, 0];
  const [a, b, c, d, e, f] = affine;
  for (let row = 0; row < height; row++) {
    const gy = height > 1 ? (2 * row) / (height - 1) - 1 : 0;
    for (let col = 0; col < width; col++) {
      const gx = width > 1 ? (2 * col) / (width - 1) - 1 : 0;
      let x = a * gx + b * gy + c;
      let y = d * gx + e * gy + f;
      if (hasWarp) {
        const w = h[6]! * x + h[7]! * y + 1;
        const warpedX = (h[0]! * x + h[1]! * y + h[2]!) / w;
        y = (h[3]! * x + h[4]! * y + h[5]!) / w;
        x = warpedX;
      }
      let ix = ((x + 1) / 2) * (width - 1);
      let iy = ((y + 1) / 2) * (height - 1);
      if (padMode === "reflection") {
        ix = reflect(ix, width);
        iy = reflect(iy, height);
      } else if (padMode === "border") {
        ix = Math.min(width - 1, Math.max(0, ix));
        iy = Math.min(height - 1, Math.max(0, iy));
      }
      const nx = Math.round(ix);
      const ny = Math.round(iy);
      const inside = nx >= 0 && nx < width && ny >= 0 && ny < height;
      out[row * width + col] = inside ? source.data[ny * width + nx]! : ignoreIndex;
    }
  }
  return { data: out, width, height };
}
