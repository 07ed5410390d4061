/**
 * EfficientNet-B0 (Tan & Le 2019) as torchvision builds it: MBConv blocks with SiLU
 * (exported as x·Sigmoid(x)) and squeeze-excite pooled by GlobalAveragePool.
 */
import type { Feature, ModelContext, SyntheticOptions } from "./context.ts";
import { makeDivisible, resolveOptions, scaleDepth } from "./context.ts";
import { add, convBnAct, dropout, globalPoolFlatten, gemm, squeezeExcite } from "./layers.ts";
import type { SyntheticModel } from "./model.ts";
import { finishModel, startModel } from "./model.ts";

/** [expansion, kernel, first stride, output channels, repeats] per stage (B0). */
const STAGES: readonly [number, number, number, number, number][] = [
  [1, 3, 1, 16, 1],
  [6, 3, 2, 24, 2],
  [6, 5, 2, 40, 2],
  [6, 3, 2, 80, 3],
  [6, 5, 1, 112, 3],
  [6, 5, 2, 192, 4],
  [6, 3, 1, 320, 1],
];

const BN = { epsilon: 1e-5 };

function mbConv(ctx: ModelContext, x: Feature, outChannels: number, kernel: number, stride: number, expansion: number): Feature {
  const expanded = makeDivisible(x.channels * expansion);
  let y = x;
  if (expanded !== x.channels) y = convBnAct(ctx, "expand", y, { outChannels: expanded, kernel: 1 }, "silu", BN);
  y = convBnAct(ctx, "depthwise", y, { outChannels: expanded, kernel, stride, groups: expanded }, "silu", BN);
  // The squeeze width follows the block's input channels, not the expanded ones.
  y = squeezeExcite(ctx, y, { squeezeChannels: Math.max(1, Math.floor(x.channels / 4)), pool: "globalAveragePool", activation: "silu", gate: "sigmoid" });
  const useResidual = stride === 1 && x.channels === outChannels;
  y = convBnAct(ctx, "project", y, { outChannels, kernel: 1 }, "none", { ...BN, scale: useResidual ? 0.25 : 1 });
  return useResidual ? add(ctx, x, y) : y;
}

export function efficientnet(options: SyntheticOptions = {}): SyntheticModel {
  const resolved = resolveOptions(options);
  const width = resolved.widthMultiplier;
  const { ctx, input } = startModel("efficientnet", resolved);
  let x = convBnAct(ctx, "stem", input, { outChannels: makeDivisible(32 * width), kernel: 3, stride: 2 }, "silu", BN);
  for (const [stage, [expansion, kernel, firstStride, channels, repeats]] of STAGES.entries()) {
    const outChannels = makeDivisible(channels * width);
    const blocks = scaleDepth(repeats, resolved.depthMultiplier);
    for (let i = 0; i < blocks; i++) {
      x = ctx.builder.scope(`stage${stage + 1}/${i}`, () => mbConv(ctx, x, outChannels, kernel, i === 0 ? firstStride : 1, expansion));
    }
  }
  x = convBnAct(ctx, "head", x, { outChannels: 4 * x.channels, kernel: 1 }, "silu", BN);
  const logits = gemm(ctx, "classifier", dropout(ctx, globalPoolFlatten(ctx, x), 0.2), resolved.numClasses, 0.01);
  return finishModel(ctx, logits, "efficientnet", resolved);
}
