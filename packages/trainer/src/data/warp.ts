/**
 * One resampling pass for all geometric augmentations, as fastai's grid_sample: for every
 * output pixel, normalized coordinates in [-1, 1] (align_corners=True) go through the affine
 * matrix, then the perspective warp, and the input is sampled bilinearly there, with
 * reflection, border or zero padding outside.
 */
import type { FloatImage } from "./decode.ts";

/** Row-major 2×3 matrix [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type Affine = [number, number, number, number, number, number];
export type SamplePadMode = "reflection" | "border" | "zeros";

export const identityAffine: Affine = [1, 0, 0, 0, 1, 0];

/** left · right, both as 3×3 matrices with last row [0, 0, 1]. */
export function multiplyAffine(left: Affine, right: Affine): Affine {
  const [a, b, c, d, e, f] = left;
  const [p, q, r, s, t, u] = right;
  return [a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f];
}

/** fastai's perspective warp magnitudes (each drawn in ±max_warp, 0 when not applied). */
export interface WarpCorners {
  x: number;
  y: number;
}

/** Solves A·z = b (8×8) by Gaussian elimination with partial pivoting. */
function solve(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[r]![k]! -= factor * a[col]![k]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/**
 * The homography [c0..c7, 1] taking the moved corners back to the square's corners (fastai's
 * find_coeffs(orig, targ)): applied to sampling coordinates it bends straight lines.
 */
export function perspectiveCoefficients(warp: WarpCorners): number[] {
  const { x, y } = warp;
  const square = [
    [-1, -1],
    [-1, 1],
    [1, -1],
    [1, 1],
  ];
  const moved = [
    [-1 - y, -1 - x],
    [-1 + y, 1 + x],
    [1 + y, -1 + x],
    [1 - y, 1 - x],
  ];
  const rows: number[][] = [];
  const rhs: number[] = [];
  square.forEach(([ox, oy], i) => {
    const [mx, my] = moved[i] as [number, number];
    rows.push([mx, my, 1, 0, 0, 0, -ox! * mx, -ox! * my]);
    rows.push([0, 0, 0, mx, my, 1, -oy! * mx, -oy! * my]);
    rhs.push(ox!, oy!);
  });
  return solve(rows, rhs);
}

/** Folds a coordinate into [0, size - 1] by mirroring at the outer pixel centers. */
function reflect(coord: number, size: number): number {
  const span = size - 1;
  if (span <= 0) return 0;
  const folded = Math.abs(coord);
  const flips = Math.floor(folded / span);
  const extra = folded - flips * span;
  return flips % 2 === 0 ? extra : span - extra;
}

type PadCoordinate = (coord: number, size: number) => number;

const padCoordinates: Record<SamplePadMode, PadCoordinate> = {
  reflection: (coord, size) => Math.min(size - 1, Math.max(0, reflect(coord, size))),
  border: (coord, size) => Math.min(size - 1, Math.max(0, coord)),
  zeros: (coord) => coord,
};

/**
 * Bilinear sample of all three channels at input pixel (ix, iy), written to `out` at
 * `target`; neighbours outside the image count as 0 (they only occur with zero padding).
 */
function sampleBilinear(source: FloatImage, ix: number, iy: number, out: Float32Array, target: number, outPlane: number): void {
  const { width, height, data } = source;
  const plane = width * height;
  const x0 = Math.floor(ix);
  const y0 = Math.floor(iy);
  const fx = ix - x0;
  const fy = iy - y0;
  const inX0 = x0 >= 0 && x0 < width;
  const inX1 = x0 + 1 >= 0 && x0 + 1 < width && fx !== 0;
  const inY0 = y0 >= 0 && y0 < height;
  const inY1 = y0 + 1 >= 0 && y0 + 1 < height && fy !== 0;
  const w00 = inX0 && inY0 ? (1 - fx) * (1 - fy) : 0;
  const w01 = inX1 && inY0 ? fx * (1 - fy) : 0;
  const w10 = inX0 && inY1 ? (1 - fx) * fy : 0;
  const w11 = inX1 && inY1 ? fx * fy : 0;
  const i00 = y0 * width + x0;
  for (let channel = 0, base = 0; channel < 3; channel++, base += plane) {
    let value = 0;
    if (w00 !== 0) value += w00 * (data[base + i00] as number);
    if (w01 !== 0) value += w01 * (data[base + i00 + 1] as number);
    if (w10 !== 0) value += w10 * (data[base + i00 + width] as number);
    if (w11 !== 0) value += w11 * (data[base + i00 + width + 1] as number);
    out[channel * outPlane + target] = value;
  }
}

/** Samples `source` at the warped coordinates of every output pixel. */
export function warpImage(
  source: FloatImage,
  affine: Affine,
  warp: WarpCorners,
  padMode: SamplePadMode,
  outSize = { width: source.width, height: source.height },
): FloatImage {
  const { width: outW, height: outH } = outSize;
  const { width: inW, height: inH } = source;
  const out = new Float32Array(3 * outW * outH);
  const pad = padCoordinates[padMode];
  const hasWarp = warp.x !== 0 || warp.y !== 0;
  const [h0, h1, h2, h3, h4, h5, h6, h7] = (hasWarp ? perspectiveCoefficients(warp) : [1, 0, 0, 0, 1, 0, 0, 0]) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [a, b, c, d, e, f] = affine;
  for (let row = 0; row < outH; row++) {
    const gy = outH > 1 ? (2 * row) / (outH - 1) - 1 : 0;
    for (let col = 0; col < outW; col++) {
      const gx = outW > 1 ? (2 * col) / (outW - 1) - 1 : 0;
      let x = a * gx + b * gy + c;
      let y = d * gx + e * gy + f;
      if (hasWarp) {
        const w = h6 * x + h7 * y + 1;
        const warpedX = (h0 * x + h1 * y + h2) / w;
        y = (h3 * x + h4 * y + h5) / w;
        x = warpedX;
      }
      // align_corners=True: -1 and 1 are the centers of the first and last pixels.
      const ix = pad(((x + 1) / 2) * (inW - 1), inW);
      const iy = pad(((y + 1) / 2) * (inH - 1), inH);
      sampleBilinear(source, ix, iy, out, row * outW + col, outW * outH);
    }
  }
  return { data: out, width: outW, height: outH };
}
