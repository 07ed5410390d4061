/**
 * Inception v3 (Szegedy et al. 2015) as torchvision exports it in eval mode (no auxiliary
 * classifier): parallel branches joined by Concat, AveragePool 3×3/1 with pads 1 and
 * count_include_pad, MaxPool 3×3 stride 2 reductions, factorized 1×7/7×1 convs.
 * At least 75 px input.
 */
import type { Feature, ModelContext, SyntheticOptions } from "./context.ts";
import { resolveOptions, scaleDepth, scaleWidth } from "./context.ts";
import type { ConvSpec } from "./layers.ts";
import { averagePool, concat, convBnAct, dropout, globalPoolFlatten, gemm, maxPool } from "./layers.ts";
import type { SyntheticModel } from "./model.ts";
import { finishModel, startModel } from "./model.ts";

type Width = (channels: number) => number;

/** torchvision's BasicConv2d: conv without bias → BN (ε = 0.001) → ReLU. */
function basic(ctx: ModelContext, scope: string, x: Feature, spec: ConvSpec): Feature {
  return convBnAct(ctx, scope, x, { padding: 0, ...spec }, "relu", { epsilon: 0.001 });
}

/** AveragePool 3×3, stride 1, pads 1, padding counted (F.avg_pool2d defaults), then a 1×1. */
function poolBranch(ctx: ModelContext, x: Feature, outChannels: number): Feature {
  return basic(ctx, "branch_pool", averagePool(ctx, x, 3, 1, 1, true), { outChannels, kernel: 1 });
}

function inceptionA(ctx: ModelContext, x: Feature, poolFeatures: number, w: Width): Feature {
  const b1 = basic(ctx, "branch1x1", x, { outChannels: w(64), kernel: 1 });
  const b5 = basic(ctx, "branch5x5_2", basic(ctx, "branch5x5_1", x, { outChannels: w(48), kernel: 1 }), { outChannels: w(64), kernel: 5, padding: 2 });
  let b3 = basic(ctx, "branch3x3dbl_1", x, { outChannels: w(64), kernel: 1 });
  b3 = basic(ctx, "branch3x3dbl_2", b3, { outChannels: w(96), kernel: 3, padding: 1 });
  b3 = basic(ctx, "branch3x3dbl_3", b3, { outChannels: w(96), kernel: 3, padding: 1 });
  return concat(ctx, [b1, b5, b3, poolBranch(ctx, x, poolFeatures)]);
}

function inceptionB(ctx: ModelContext, x: Feature, w: Width): Feature {
  const b3 = basic(ctx, "branch3x3", x, { outChannels: w(384), kernel: 3, stride: 2 });
  let d = basic(ctx, "branch3x3dbl_1", x, { outChannels: w(64), kernel: 1 });
  d = basic(ctx, "branch3x3dbl_2", d, { outChannels: w(96), kernel: 3, padding: 1 });
  d = basic(ctx, "branch3x3dbl_3", d, { outChannels: w(96), kernel: 3, stride: 2 });
  return concat(ctx, [b3, d, maxPool(ctx, x, 3, 2)]);
}

/** A chain of factorized 7×7 convs: 1×7 and 7×1 alternating, starting with `first`. */
function sevenChain(ctx: ModelContext, prefix: string, x: Feature, channels: number[], first: "1x7" | "7x1"): Feature {
  let y = x;
  for (const [i, outChannels] of channels.entries()) {
    const wide = (i % 2 === 0) === (first === "1x7");
    y = basic(ctx, `${prefix}_${i + 2}`, y, wide ? { outChannels, kernel: [1, 7], padding: [0, 3] } : { outChannels, kernel: [7, 1], padding: [3, 0] });
  }
  return y;
}

function inceptionC(ctx: ModelContext, x: Feature, c7: number, w: Width): Feature {
  const b1 = basic(ctx, "branch1x1", x, { outChannels: w(192), kernel: 1 });
  const b7 = sevenChain(ctx, "branch7x7", basic(ctx, "branch7x7_1", x, { outChannels: c7, kernel: 1 }), [c7, w(192)], "1x7");
  const d7 = sevenChain(ctx, "branch7x7dbl", basic(ctx, "branch7x7dbl_1", x, { outChannels: c7, kernel: 1 }), [c7, c7, c7, w(192)], "7x1");
  return concat(ctx, [b1, b7, d7, poolBranch(ctx, x, w(192))]);
}

function inceptionD(ctx: ModelContext, x: Feature, w: Width): Feature {
  const b3 = basic(ctx, "branch3x3_2", basic(ctx, "branch3x3_1", x, { outChannels: w(192), kernel: 1 }), { outChannels: w(320), kernel: 3, stride: 2 });
  let b7 = sevenChain(ctx, "branch7x7x3", basic(ctx, "branch7x7x3_1", x, { outChannels: w(192), kernel: 1 }), [w(192), w(192)], "1x7");
  b7 = basic(ctx, "branch7x7x3_4", b7, { outChannels: w(192), kernel: 3, stride: 2 });
  return concat(ctx, [b3, b7, maxPool(ctx, x, 3, 2)]);
}

/** Splits into a 1×3 and a 3×1 conv and concatenates both. */
function splitPair(ctx: ModelContext, prefix: string, x: Feature, outChannels: number): Feature {
  const a = basic(ctx, `${prefix}a`, x, { outChannels, kernel: [1, 3], padding: [0, 1] });
  const b = basic(ctx, `${prefix}b`, x, { outChannels, kernel: [3, 1], padding: [1, 0] });
  return concat(ctx, [a, b]);
}

function inceptionE(ctx: ModelContext, x: Feature, w: Width): Feature {
  const b1 = basic(ctx, "branch1x1", x, { outChannels: w(320), kernel: 1 });
  const b3 = splitPair(ctx, "branch3x3_2", basic(ctx, "branch3x3_1", x, { outChannels: w(384), kernel: 1 }), w(384));
  let d = basic(ctx, "branch3x3dbl_1", x, { outChannels: w(448), kernel: 1 });
  d = basic(ctx, "branch3x3dbl_2", d, { outChannels: w(384), kernel: 3, padding: 1 });
  return concat(ctx, [b1, b3, splitPair(ctx, "branch3x3dbl_3", d, w(384)), poolBranch(ctx, x, w(192))]);
}

/** Settings of repeated blocks; repeats past the list reuse its last entry. */
const POOL_FEATURES_A = [32, 64, 64];
const CHANNELS_7X7_C = [128, 160, 160, 192];

export function inception(options: SyntheticOptions = {}): SyntheticModel {
  const resolved = resolveOptions(options, 299);
  if (resolved.resolution < 75) throw new Error(`resolution must be at least 75 for inception, got ${resolved.resolution}`);
  const w: Width = (c) => scaleWidth(c, resolved.widthMultiplier);
  const { ctx, input } = startModel("inception-v3", resolved);
  const scope = <T>(name: string, body: () => T) => ctx.builder.scope(name, body);
  let x = basic(ctx, "Conv2d_1a_3x3", input, { outChannels: w(32), kernel: 3, stride: 2 });
  x = basic(ctx, "Conv2d_2a_3x3", x, { outChannels: w(32), kernel: 3 });
  x = maxPool(ctx, basic(ctx, "Conv2d_2b_3x3", x, { outChannels: w(64), kernel: 3, padding: 1 }), 3, 2);
  x = basic(ctx, "Conv2d_3b_1x1", x, { outChannels: w(80), kernel: 1 });
  x = maxPool(ctx, basic(ctx, "Conv2d_4a_3x3", x, { outChannels: w(192), kernel: 3 }), 3, 2);
  const repeats = (n: number) => scaleDepth(n, resolved.depthMultiplier);
  for (let i = 0; i < repeats(3); i++) x = scope(`Mixed_5_${i}`, () => inceptionA(ctx, x, w(POOL_FEATURES_A[i] ?? 64), w));
  x = scope("Mixed_6a", () => inceptionB(ctx, x, w));
  for (let i = 0; i < repeats(4); i++) x = scope(`Mixed_6_${i}`, () => inceptionC(ctx, x, w(CHANNELS_7X7_C[i] ?? 192), w));
  x = scope("Mixed_7a", () => inceptionD(ctx, x, w));
  for (let i = 0; i < repeats(2); i++) x = scope(`Mixed_7_${i}`, () => inceptionE(ctx, x, w));
  const logits = gemm(ctx, "fc", dropout(ctx, globalPoolFlatten(ctx, x), 0.5), resolved.numClasses, 0.01);
  return finishModel(ctx, logits, "inception-v3", resolved);
}
