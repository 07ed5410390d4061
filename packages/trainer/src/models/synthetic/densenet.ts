/**
 * DenseNet-BC (Huang et al. 2017) as torchvision builds it: each dense layer sees the Concat
 * of all earlier feature maps of its block (BN → ReLU → 1×1 conv → BN → ReLU → 3×3 conv);
 * transitions halve channels with a 1×1 conv and halve resolution with AveragePool.
 */
import type { Feature, ModelContext, SyntheticOptions } from "./context.ts";
import { resolveOptions, scaleDepth, scaleWidth } from "./context.ts";
import { activate, averagePool, batchNorm, concat, conv, convBnAct, globalPoolFlatten, gemm, maxPool } from "./layers.ts";
import type { SyntheticModel } from "./model.ts";
import { finishModel, startModel } from "./model.ts";

export interface DenseNetOptions extends SyntheticOptions {
  /** Layers per dense block; DenseNet-121 [6, 12, 24, 16]. */
  blocks?: number[];
  growthRate?: number;
}

const BOTTLENECK_FACTOR = 4;

/** BN → ReLU → conv, the pre-activation order of DenseNet. */
function bnReluConv(ctx: ModelContext, scope: string, x: Feature, outChannels: number, kernel: number): Feature {
  return ctx.builder.scope(scope, () => {
    const normalized = activate(
      ctx,
      ctx.builder.scope("bn", () => batchNorm(ctx, x)),
      "relu",
    );
    return ctx.builder.scope("conv", () => conv(ctx, normalized, { outChannels, kernel, bias: false }));
  });
}

function denseBlock(ctx: ModelContext, x: Feature, layers: number, growth: number): Feature {
  const features: Feature[] = [x];
  for (let i = 0; i < layers; i++) {
    ctx.builder.scope(`layer${i + 1}`, () => {
      const joined = features.length === 1 ? x : concat(ctx, features);
      const bottleneck = bnReluConv(ctx, "1", joined, BOTTLENECK_FACTOR * growth, 1);
      features.push(bnReluConv(ctx, "2", bottleneck, growth, 3));
    });
  }
  return concat(ctx, features);
}

export function densenet(options: DenseNetOptions = {}): SyntheticModel {
  const resolved = resolveOptions(options);
  const growth = scaleWidth(options.growthRate ?? 32, resolved.widthMultiplier);
  const blocks = options.blocks ?? [6, 12, 24, 16];
  const { ctx, input } = startModel("densenet", resolved);
  let x = convBnAct(ctx, "stem", input, { outChannels: 2 * growth, kernel: 7, stride: 2, padding: 3 }, "relu");
  x = maxPool(ctx, x, 3, 2, 1);
  for (const [i, layers] of blocks.entries()) {
    x = ctx.builder.scope(`denseblock${i + 1}`, () => denseBlock(ctx, x, scaleDepth(layers, resolved.depthMultiplier), growth));
    if (i < blocks.length - 1) {
      x = ctx.builder.scope(`transition${i + 1}`, () => averagePool(ctx, bnReluConv(ctx, "reduce", x, Math.floor(x.channels / 2), 1), 2, 2));
    }
  }
  x = activate(
    ctx,
    ctx.builder.scope("final_bn", () => batchNorm(ctx, x)),
    "relu",
  );
  const logits = gemm(ctx, "classifier", globalPoolFlatten(ctx, x), resolved.numClasses, 0.01);
  return finishModel(ctx, logits, "densenet", resolved);
}
