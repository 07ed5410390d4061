/**
 * fastai's aug_transforms, per item: flip (or dihedral), perspective warp, rotation and zoom
 * combined into one coordinate transform sampled once, then brightness and contrast in logit
 * space. Drawing the random parameters is separate from applying them, so the draws can be
 * tested by value and an item's draws depend only on its own generator.
 */
import { applyLighting, type Lighting, neutralLighting } from "./lighting.ts";
import type { FloatImage } from "./decode.ts";
import type { Random } from "./random.ts";
import { type Affine, identityAffine, multiplyAffine, type SamplePadMode, warpImage, type WarpCorners } from "./warp.ts";

/** Options and defaults of fastai's aug_transforms. */
export interface AugmentOptions {
  mult: number;
  doFlip: boolean;
  /** Use the 8 dihedral symmetries instead of only horizontal flips. */
  flipVert: boolean;
  maxRotate: number;
  minZoom: number;
  maxZoom: number;
  maxLighting: number;
  maxWarp: number;
  pAffine: number;
  pLighting: number;
  padMode: SamplePadMode;
}

export const defaultAugmentOptions: AugmentOptions = {
  mult: 1,
  doFlip: true,
  flipVert: false,
  maxRotate: 10,
  minZoom: 1,
  maxZoom: 1.1,
  maxLighting: 0.2,
  maxWarp: 0.2,
  pAffine: 0.75,
  pLighting: 0.75,
  padMode: "reflection",
};

export interface AugmentDraw {
  flipped: boolean;
  /** Dihedral symmetry index 0-7 (0 is identity), when flipVert is on. */
  dihedral: number;
  rotateDegrees: number;
  zoom: number;
  /** Zoom center, as fractions of width and height. */
  zoomCenter: [number, number];
  warp: WarpCorners;
  lighting: Lighting;
}

/** A draw that changes nothing. */
export const identityDraw: AugmentDraw = {
  flipped: false,
  dihedral: 0,
  rotateDegrees: 0,
  zoom: 1,
  zoomCenter: [0.5, 0.5],
  warp: { x: 0, y: 0 },
  lighting: neutralLighting,
};

/** Draws one item's augmentation. Each transform is applied with its own probability, as fastai. */
export function drawAugment(options: AugmentOptions, random: Random): AugmentDraw {
  const maxRotate = options.maxRotate * options.mult;
  const maxWarp = options.maxWarp * options.mult;
  const maxLighting = options.maxLighting * options.mult;
  const masked = (p: number, draw: () => number, neutral: number) => (random.chance(p) ? draw() : neutral);
  const flipped = options.doFlip && !options.flipVert && random.chance(0.5);
  const dihedral = options.doFlip && options.flipVert && random.chance(0.5) ? random.int(0, 7) : 0;
  const warp = {
    x: maxWarp > 0 ? masked(options.pAffine, () => random.uniform(-maxWarp, maxWarp), 0) : 0,
    y: maxWarp > 0 ? masked(options.pAffine, () => random.uniform(-maxWarp, maxWarp), 0) : 0,
  };
  const rotateDegrees = maxRotate > 0 ? masked(options.pAffine, () => random.uniform(-maxRotate, maxRotate), 0) : 0;
  const zooms = options.minZoom < 1 || options.maxZoom > 1;
  const zoom = zooms ? masked(options.pAffine, () => random.uniform(options.minZoom, options.maxZoom), 1) : 1;
  const zoomCenter: [number, number] = zoom !== 1 ? [random.next(), random.next()] : [0.5, 0.5];
  const brightness = maxLighting > 0 ? masked(options.pLighting, () => random.uniform(0.5 * (1 - maxLighting), 0.5 * (1 + maxLighting)), 0.5) : 0.5;
  const logRange = maxLighting > 0 ? -Math.log(1 - maxLighting) : 0;
  const contrast = maxLighting > 0 ? masked(options.pLighting, () => Math.exp(random.uniform(-logRange, logRange)), 1) : 1;
  return { flipped, dihedral, rotateDegrees, zoom, zoomCenter, warp, lighting: { brightness, contrast } };
}

const dihedralTable = {
  xs: [1, -1, 1, -1, -1, 1, 1, -1],
  ys: [1, 1, -1, 1, -1, -1, 1, -1],
  swap: [0, 0, 0, 1, 0, 1, 1, 1],
};

/**
 * The affine part (output → input coordinates in [-1, 1]), as fastai: flip · rotate · zoom,
 * then the off-diagonal terms rescaled by the aspect ratio so rotations stay rigid.
 */
export function affineOf(draw: AugmentDraw, width: number, height: number): Affine {
  let m = identityAffine;
  if (draw.flipped) m = multiplyAffine(m, [-1, 0, 0, 0, 1, 0]);
  if (draw.dihedral !== 0) {
    const xs = dihedralTable.xs[draw.dihedral] as number;
    const ys = dihedralTable.ys[draw.dihedral] as number;
    const swap = dihedralTable.swap[draw.dihedral] as number;
    m = multiplyAffine(m, [xs * (1 - swap), xs * swap, 0, ys * swap, ys * (1 - swap), 0]);
  }
  if (draw.rotateDegrees !== 0) {
    const theta = (draw.rotateDegrees * Math.PI) / 180;
    m = multiplyAffine(m, [Math.cos(theta), Math.sin(theta), 0, -Math.sin(theta), Math.cos(theta), 0]);
  }
  if (draw.zoom !== 1) {
    const s = 1 / draw.zoom;
    m = multiplyAffine(m, [s, 0, (1 - s) * (2 * draw.zoomCenter[0] - 1), 0, s, (1 - s) * (2 * draw.zoomCenter[1] - 1)]);
  }
  const [a, b, c, d, e, f] = m;
  return [a, (b * height) / width, c, (d * width) / height, e, f];
}

function movesPixels(draw: AugmentDraw): boolean {
  return draw.flipped || draw.dihedral !== 0 || draw.rotateDegrees !== 0 || draw.zoom !== 1 || draw.warp.x !== 0 || draw.warp.y !== 0;
}

/** Applies a draw; an identity draw returns the image unchanged (same pixels, no resampling). */
export function applyAugment(image: FloatImage, draw: AugmentDraw, padMode: SamplePadMode = "reflection"): FloatImage {
  const moved = movesPixels(draw) ? warpImage(image, affineOf(draw, image.width, image.height), draw.warp, padMode) : image;
  return applyLighting(moved, draw.lighting);
}
