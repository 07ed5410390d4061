/**
 * A U-Net-style decoder (fastai's `unet_learner` shape, kept light for the CPU) on the maps of a
 * cut backbone: from the deepest map up, at each skip map
 *   upsample to the skip's size (Resize) → Concat [upsampled, skip] → Conv 3×3 (no bias) → BatchNorm → ReLU
 * then a 1×1 Conv to the class scores and one upsampling to the input size. The 1×1 Conv comes
 * before that last upsampling: both are linear and bilinear weights sum to 1 (nearest copies),
 * so the result is the same as upsampling first, on 1/16 of the pixels at stride 4.
 * Conv weights are Kaiming-normal (std √(2/fan_in)), BatchNorm scale 1 and shift 1e-3
 * (fastai's init), all drawn from one seed.
 */
import type { GraphBuilder } from "../../onnx/builder.ts";
import { type Attribute, attr, floatTensor } from "../../onnx/ir.ts";
import type { FeatureTap } from "../head/head.ts";
import { SeededRandom } from "../synthetic/random.ts";

export type Upsampling = "nearest" | "bilinear";

export interface DecoderOptions {
  classes: number;
  /** Output channels of each decoder step, deepest first; default halving from 128 (128, 64, 32, …, at least 16). */
  channels?: number[];
  /** How maps are upsampled: "bilinear" (default; PyTorch's align_corners=False) or "nearest". */
  upsampling?: Upsampling;
  seed?: number;
}

export interface ResolvedDecoderOptions {
  classes: number;
  channels: number[];
  upsampling: Upsampling;
  seed: number;
}

/** Channels of each step, deepest first, for `steps` skip maps. */
export function defaultDecoderChannels(steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => Math.max(16, 128 >> i));
}

export function resolveDecoderOptions(options: DecoderOptions, steps: number): ResolvedDecoderOptions {
  const { classes } = options;
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`decoder.classes must be an integer ≥ 2, got ${classes}`);
  const channels = options.channels ?? defaultDecoderChannels(steps);
  if (channels.length !== steps) throw new Error(`decoder.channels must give one width per decoder step (${steps}), got ${channels.length}`);
  channels.forEach((width, i) => {
    if (!Number.isInteger(width) || width < 1) throw new Error(`decoder.channels[${i}] must be a positive integer, got ${width}`);
  });
  const upsampling = options.upsampling ?? "bilinear";
  if (upsampling !== "nearest" && upsampling !== "bilinear") throw new Error(`decoder.upsampling must be "nearest" or "bilinear", got '${String(upsampling)}'`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new Error(`decoder.seed must be an integer, got ${seed}`);
  return { classes, channels, upsampling, seed };
}

/**
 * The scale that takes `from` pixels to exactly `to`: the output size is floor(from · scale),
 * computed in float32 by ONNX Runtime and in float64 by shape inference, so `to / from` is kept
 * only when both land on `to`, else `(to + ½) / from` (which both floor to `to`).
 */
export function resizeScale(from: number, to: number): number {
  const exact = Math.fround(to / from);
  if (Math.floor(Math.fround(from * exact)) === to && Math.floor(from * exact) === to) return exact;
  return Math.fround((to + 0.5) / from);
}

function upsample(b: GraphBuilder, x: string, from: [number, number], to: [number, number], upsampling: Upsampling, name: string): string {
  if (from[0] === to[0] && from[1] === to[1]) return x;
  const scales = b.initializer(`${name}_scales`, floatTensor([4], [1, 1, resizeScale(from[0], to[0]), resizeScale(from[1], to[1])]));
  const attributes: Record<string, Attribute> =
    upsampling === "bilinear"
      ? { mode: attr.string("linear"), coordinate_transformation_mode: attr.string("half_pixel") }
      : { mode: attr.string("nearest"), coordinate_transformation_mode: attr.string("asymmetric"), nearest_mode: attr.string("floor") };
  return b.op("Resize", [x, "", scales], attributes, { name });
}

function convBnRelu(b: GraphBuilder, x: string, inChannels: number, outChannels: number, random: SeededRandom): string {
  const fanIn = inChannels * 9;
  const weight = b.initializer(
    "conv/weight",
    floatTensor([outChannels, inChannels, 3, 3], random.fillNormal(new Float32Array(outChannels * fanIn), Math.sqrt(2 / fanIn))),
  );
  const conv = b.op("Conv", [x, weight], { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }, { name: "conv" });
  const scale = b.initializer("bn/scale", floatTensor([outChannels], new Array(outChannels).fill(1)));
  const shift = b.initializer("bn/bias", floatTensor([outChannels], new Array(outChannels).fill(1e-3)));
  const mean = b.initializer("bn/running_mean", floatTensor([outChannels], new Array(outChannels).fill(0)));
  const variance = b.initializer("bn/running_var", floatTensor([outChannels], new Array(outChannels).fill(1)));
  const bn = b.op("BatchNormalization", [conv, scale, shift, mean, variance], { epsilon: attr.float(1e-5), momentum: attr.float(0.9) }, { name: "bn" });
  return b.op("Relu", [bn], {}, { name: "relu" });
}

/**
 * Appends the decoder under `scope`: `deepest` is the map it starts from, `skips` the skip maps
 * from the deepest to the shallowest (each of a larger size). Returns the scores [batch, classes, H, W].
 */
export function appendUnetDecoder(
  b: GraphBuilder,
  deepest: FeatureTap,
  skips: readonly FeatureTap[],
  inputSize: [number, number],
  options: ResolvedDecoderOptions,
  scope: string,
): string {
  return b.scope(scope, () => {
    const random = new SeededRandom(options.seed);
    let x = deepest.tensor;
    let [channels, height, width] = deepest.shape;
    skips.forEach((skip, i) => {
      const [skipChannels, skipHeight, skipWidth] = skip.shape;
      x = b.scope(`${i}`, () => {
        const up = upsample(b, x, [height, width], [skipHeight, skipWidth], options.upsampling, "upsample");
        const merged = b.op("Concat", [up, skip.tensor], { axis: attr.int(1) }, { name: "concat" });
        return convBnRelu(b, merged, channels + skipChannels, options.channels[i]!, random);
      });
      [channels, height, width] = [options.channels[i]!, skipHeight, skipWidth];
    });
    return b.scope("classifier", () => {
      const fanIn = channels;
      const weight = b.initializer(
        "weight",
        floatTensor([options.classes, channels, 1, 1], random.fillNormal(new Float32Array(options.classes * fanIn), Math.sqrt(2 / fanIn))),
      );
      const bias = b.initializer("bias", floatTensor([options.classes], new Array(options.classes).fill(0)));
      const scores = b.op("Conv", [x, weight, bias], { kernel_shape: attr.ints([1, 1]) }, { name: "conv" });
      return upsample(b, scores, [height, width], inputSize, options.upsampling, "upsample");
    });
  });
}

function conv1x1(b: GraphBuilder, x: string, inChannels: number, outChannels: number, random: SeededRandom, bias: boolean): string {
  const weight = b.initializer(
    "weight",
    floatTensor([outChannels, inChannels, 1, 1], random.fillNormal(new Float32Array(outChannels * inChannels), Math.sqrt(2 / inChannels))),
  );
  const inputs = [x, weight];
  if (bias) inputs.push(b.initializer("bias", floatTensor([outChannels], new Array(outChannels).fill(0))));
  return b.op("Conv", inputs, { kernel_shape: attr.ints([1, 1]) }, { name: "conv" });
}

/**
 * LR-ASPP (Howard et al. 2019, torchvision's `lraspp_mobilenet_v3_large` head) under `scope`:
 *   high: Conv 1×1 (channels[0], no bias) → BatchNorm → ReLU, times a channel gate
 *         GlobalAveragePool → Conv 1×1 (no bias) → Sigmoid; upsampled to the low map's size
 *   scores = Conv 1×1 (low) + Conv 1×1 (high), both with bias, upsampled to the input size
 * `high` is the deepest map, `low` a shallower one (stride 8 as torchvision's).
 */
export function appendLrasppDecoder(
  b: GraphBuilder,
  high: FeatureTap,
  low: FeatureTap,
  inputSize: [number, number],
  options: ResolvedDecoderOptions,
  scope: string,
): string {
  return b.scope(scope, () => {
    const random = new SeededRandom(options.seed);
    const [highChannels, highHeight, highWidth] = high.shape;
    const [lowChannels, lowHeight, lowWidth] = low.shape;
    const inter = options.channels[0]!;
    const branch = b.scope("cbr", () => {
      const conv = conv1x1(b, high.tensor, highChannels, inter, random, false);
      const scale = b.initializer("bn/scale", floatTensor([inter], new Array(inter).fill(1)));
      const shift = b.initializer("bn/bias", floatTensor([inter], new Array(inter).fill(1e-3)));
      const mean = b.initializer("bn/running_mean", floatTensor([inter], new Array(inter).fill(0)));
      const variance = b.initializer("bn/running_var", floatTensor([inter], new Array(inter).fill(1)));
      const bn = b.op("BatchNormalization", [conv, scale, shift, mean, variance], { epsilon: attr.float(1e-5), momentum: attr.float(0.9) }, { name: "bn" });
      return b.op("Relu", [bn], {}, { name: "relu" });
    });
    const gate = b.scope("scale", () => {
      const pooled = b.op("GlobalAveragePool", [high.tensor], {}, { name: "pool" });
      return b.op("Sigmoid", [conv1x1(b, pooled, highChannels, inter, random, false)], {}, { name: "sigmoid" });
    });
    const gated = b.op("Mul", [branch, gate], {}, { name: "gated" });
    const up = upsample(b, gated, [highHeight, highWidth], [lowHeight, lowWidth], options.upsampling, "upsample_high");
    const lowScores = b.scope("low_classifier", () => conv1x1(b, low.tensor, lowChannels, options.classes, random, true));
    const highScores = b.scope("high_classifier", () => conv1x1(b, up, inter, options.classes, random, true));
    const scores = b.op("Add", [lowScores, highScores], {}, { name: "scores" });
    return upsample(b, scores, [lowHeight, lowWidth], inputSize, options.upsampling, "upsample");
  });
}
