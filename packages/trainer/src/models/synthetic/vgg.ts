/**
 * VGG (Simonyan & Zisserman 2014) as torchvision builds it: 3×3 convs with bias and ReLU,
 * 2×2 max pools, then Flatten and a Gemm–ReLU–Dropout stack. The classifier's input is the
 * last feature map flattened (512·7·7 at 224 px, as in torchvision, whose adaptive pool is
 * the identity at that size).
 */
import type { Feature, SyntheticOptions } from "./context.ts";
import { resolveOptions, scaleDepth, scaleWidth } from "./context.ts";
import { activate, batchNorm, conv, dropout, flatten, gemm, maxPool, vectorActivation } from "./layers.ts";
import type { SyntheticModel } from "./model.ts";
import { finishModel, startModel } from "./model.ts";

/** Convs per stage; every stage has 64, 128, 256, 512, 512 channels and ends with a max pool. */
const CONVS_PER_STAGE = { 11: [1, 1, 2, 2, 2], 13: [2, 2, 2, 2, 2], 16: [2, 2, 3, 3, 3], 19: [2, 2, 4, 4, 4] } as const;
const STAGE_CHANNELS = [64, 128, 256, 512, 512];

export interface VggOptions extends SyntheticOptions {
  depth?: 11 | 13 | 16 | 19;
  batchNorm?: boolean;
}

export function vgg(options: VggOptions = {}): SyntheticModel {
  const resolved = resolveOptions(options);
  const depth = options.depth ?? 16;
  const architecture = `vgg${depth}${options.batchNorm ? "-bn" : ""}`;
  const { ctx, input } = startModel(architecture, resolved);
  const b = ctx.builder;
  let x: Feature = input;
  for (const [stage, convs] of CONVS_PER_STAGE[depth].entries()) {
    const channels = scaleWidth(STAGE_CHANNELS[stage] ?? 512, resolved.widthMultiplier);
    for (let i = 0; i < scaleDepth(convs, resolved.depthMultiplier); i++) {
      x = b.scope(`features/stage${stage + 1}/${i}`, () => {
        let y = b.scope("conv", () => conv(ctx, x, { outChannels: channels, kernel: 3, padding: 1, bias: true }));
        if (options.batchNorm) y = b.scope("bn", () => batchNorm(ctx, y));
        return activate(ctx, y, "relu");
      });
    }
    x = maxPool(ctx, x, 2, 2);
  }
  const hidden = scaleWidth(4096, resolved.widthMultiplier);
  let v = flatten(ctx, x);
  v = dropout(ctx, vectorActivation(ctx, gemm(ctx, "classifier/0", v, hidden), "relu"), 0.5);
  v = dropout(ctx, vectorActivation(ctx, gemm(ctx, "classifier/3", v, hidden), "relu"), 0.5);
  const logits = gemm(ctx, "classifier/6", v, resolved.numClasses, 0.01);
  return finishModel(ctx, logits, architecture, resolved);
}
