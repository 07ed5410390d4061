/**
 * fastai's create_head on a cut backbone:
 *   pool (concat of average and max, or average) → Flatten →
 *   [BatchNorm → Dropout(p/2) → Linear(no bias) → ReLU] per hidden layer →
 *   BatchNorm → Dropout(p) → Linear to the classes (no bias after a BatchNorm, as LinBnDrop)
 * Linear weights are Kaiming-normal (std √(2/fan_in)), BatchNorm scale 1 and shift 1e-3
 * (fastai's BatchNorm init), all drawn from one seed. Dropout is a standard ONNX Dropout
 * node: identity at inference, masks in the train graph (training/ runs it in training mode).
 */
import { GraphBuilder } from "../../onnx/builder.ts";
import { attr, floatTensor } from "../../onnx/ir.ts";
import { SeededRandom } from "../synthetic/random.ts";

/** One feature map the head pools: the body's last, or one per stage (HeadOptions.depths). */
export interface FeatureTap {
  tensor: string;
  /** [channels, height, width] */
  shape: [number, number, number];
}

export interface HeadOptions {
  classes: number;
  /**
   * "concat": average and max pooling side by side (fastai's AdaptiveConcatPool2d); default.
   * "pyramid": the average over the whole map and over each cell of a 2×2 grid (spatial
   * pyramid pooling, levels 1 and 2: where in the image a pattern is, as in spectrograms).
   */
  pooling?: "concat" | "avg" | "pyramid";
  /**
   * "last": the head pools the feature map it is cut at (default). "stages": also the last map
   * of each earlier resolution of the body, pooled alike and concatenated (Evci et al. 2022,
   * Head2Toe: intermediate features transfer better to data unlike the pretraining images).
   */
  depths?: "last" | "stages";
  /** Hidden layer widths (fastai lin_ftrs); default [512]; [] for a single Linear. */
  hidden?: number[];
  /** Dropout before the last Linear (fastai ps); the ones before hidden layers get half. Default 0.5. */
  dropout?: number;
  /** BatchNorm before each Linear (fastai first_bn); default true. */
  batchNorm?: boolean;
  /** A bias on the last Linear even after a BatchNorm (a linear probe's bias); default: only without BatchNorm. */
  finalBias?: boolean;
  seed?: number;
}

export type ResolvedHeadOptions = Required<HeadOptions>;

export function resolveHeadOptions(options: HeadOptions): ResolvedHeadOptions {
  const resolved = { pooling: "concat" as const, depths: "last" as const, hidden: [512], dropout: 0.5, batchNorm: true, finalBias: false, seed: 0, ...options };
  if (!Number.isInteger(resolved.classes) || resolved.classes < 2) throw new Error(`head.classes must be an integer ≥ 2, got ${resolved.classes}`);
  if (!["concat", "avg", "pyramid"].includes(resolved.pooling))
    throw new Error(`head.pooling must be "concat", "avg" or "pyramid", got '${String(resolved.pooling)}'`);
  if (resolved.depths !== "last" && resolved.depths !== "stages") throw new Error(`head.depths must be "last" or "stages", got '${String(resolved.depths)}'`);
  resolved.hidden.forEach((width, i) => {
    if (!Number.isInteger(width) || width < 1) throw new Error(`head.hidden[${i}] must be a positive integer, got ${width}`);
  });
  if (!(resolved.dropout >= 0 && resolved.dropout < 1)) throw new Error(`head.dropout must be in [0, 1), got ${resolved.dropout}`);
  if (!Number.isInteger(resolved.seed)) throw new Error(`head.seed must be an integer, got ${resolved.seed}`);
  return resolved;
}

/** Appends the head under scope `scope` to the feature maps `taps`; returns the logits tensor. */
export function appendHead(b: GraphBuilder, taps: readonly FeatureTap[], options: ResolvedHeadOptions, scope: string): string {
  return b.scope(scope, () => appendLayers(b, pooledFeatures(b, taps, options.pooling), pooledSize(taps, options.pooling), options));
}

/** The head's pooling of each tap, flattened and concatenated: [batch, C, H, W]… → [batch, pooledSize]. */
export function pooledFeatures(b: GraphBuilder, taps: readonly FeatureTap[], pooling: ResolvedHeadOptions["pooling"]): string {
  const poolTap = (tap: FeatureTap) => {
    const flat = b.op("Flatten", [pool(b, tap, pooling)], { axis: attr.int(1) });
    b.valueInfo(flat, "float32", ["batch", tapWidth(tap, pooling)]);
    return flat;
  };
  const parts = taps.length === 1 ? [poolTap(taps[0]!)] : taps.map((tap, i) => b.scope(`tap${i}`, () => poolTap(tap)));
  const pooled = parts.length === 1 ? parts[0]! : b.op("Concat", parts, { axis: attr.int(1) }, { name: "concat_taps" });
  b.valueInfo(pooled, "float32", ["batch", pooledSize(taps, pooling)]);
  return pooled;
}

/** Width of the pooled feature vector the head's layers take. */
export function pooledSize(taps: readonly FeatureTap[], pooling: ResolvedHeadOptions["pooling"]): number {
  return taps.reduce((sum, tap) => sum + tapWidth(tap, pooling), 0);
}

function tapWidth({ shape: [channels, height, width] }: FeatureTap, pooling: ResolvedHeadOptions["pooling"]): number {
  if (pooling === "concat") return 2 * channels;
  if (pooling === "pyramid") return channels * (1 + gridCells(height).count * gridCells(width).count);
  return channels;
}

/** The pyramid's level-2 cells along one axis: two overlapping windows covering it (one when it is 1 long). */
function gridCells(size: number): { count: number; kernel: number; stride: number } {
  if (size < 2) return { count: 1, kernel: 1, stride: 1 };
  return { count: 2, kernel: Math.ceil(size / 2), stride: Math.floor(size / 2) };
}

/**
 * The head without its pooling, on pooled features [batch, size] (training the head on cached
 * features): the same parameter names and initial values as appendHead's under the same scope.
 */
export function appendHeadLayers(b: GraphBuilder, pooled: string, size: number, options: ResolvedHeadOptions, scope: string): string {
  return b.scope(scope, () => appendLayers(b, pooled, size, options));
}

function appendLayers(b: GraphBuilder, pooled: string, pooledWidth: number, options: ResolvedHeadOptions): string {
  const random = new SeededRandom(options.seed);
  let x = pooled;
  let size = pooledWidth;
  const widths = [...options.hidden, options.classes];
  widths.forEach((out, i) => {
    const last = i === widths.length - 1;
    const bias = !options.batchNorm || (last && options.finalBias);
    x = b.scope(`${i}`, () => linBnDrop(b, x, size, out, last ? options.dropout : options.dropout / 2, options.batchNorm, bias, random, !last));
    size = out;
  });
  return x;
}

/**
 * Global max pooling as a MaxPool over the whole map: the autodiff has MaxPool's gradient and
 * not GlobalMaxPool's, and the window is known because the head is built per input size.
 */
function pool(b: GraphBuilder, { tensor, shape: [, height, width] }: FeatureTap, pooling: ResolvedHeadOptions["pooling"]): string {
  const average = b.op("GlobalAveragePool", [tensor], {}, { name: "avg_pool" });
  if (pooling === "avg") return average;
  if (pooling === "pyramid") {
    const rows = gridCells(height);
    const cols = gridCells(width);
    const cells = b.op(
      "AveragePool",
      [tensor],
      { kernel_shape: attr.ints([rows.kernel, cols.kernel]), strides: attr.ints([rows.stride, cols.stride]) },
      { name: "grid_pool" },
    );
    const flatCells = b.op("Flatten", [cells], { axis: attr.int(1) }, { name: "grid_flatten" });
    const flatAverage = b.op("Flatten", [average], { axis: attr.int(1) }, { name: "avg_flatten" });
    return b.op("Concat", [flatAverage, flatCells], { axis: attr.int(1) }, { name: "pyramid_pool" });
  }
  const max = b.op("MaxPool", [tensor], { kernel_shape: attr.ints([height, width]), strides: attr.ints([1, 1]) }, { name: "max_pool" });
  // fastai concatenates [max, avg].
  return b.op("Concat", [max, average], { axis: attr.int(1) }, { name: "concat_pool" });
}

function linBnDrop(
  b: GraphBuilder,
  x: string,
  inSize: number,
  outSize: number,
  dropout: number,
  batchNorm: boolean,
  bias: boolean,
  random: SeededRandom,
  relu: boolean,
): string {
  let y = x;
  if (batchNorm) {
    const scale = b.initializer("bn/scale", floatTensor([inSize], new Array(inSize).fill(1)));
    const shift = b.initializer("bn/bias", floatTensor([inSize], new Array(inSize).fill(1e-3)));
    const mean = b.initializer("bn/running_mean", floatTensor([inSize], new Array(inSize).fill(0)));
    const variance = b.initializer("bn/running_var", floatTensor([inSize], new Array(inSize).fill(1)));
    y = b.op("BatchNormalization", [y, scale, shift, mean, variance], { epsilon: attr.float(1e-5), momentum: attr.float(0.9) }, { name: "bn" });
  }
  if (dropout > 0) y = b.op("Dropout", [y, b.scalar(dropout, "float32", "dropout_ratio")], {}, { name: "dropout" });
  const weight = b.initializer("linear/weight", floatTensor([outSize, inSize], random.fillNormal(new Float32Array(outSize * inSize), Math.sqrt(2 / inSize))));
  const inputs = [y, weight];
  if (bias) inputs.push(b.initializer("linear/bias", floatTensor([outSize], new Array(outSize).fill(0))));
  y = b.op("Gemm", inputs, { transB: attr.int(1) }, { name: "linear" });
  b.valueInfo(y, "float32", ["batch", outSize]);
  return relu ? b.op("Relu", [y], {}, { name: "relu" }) : y;
}
