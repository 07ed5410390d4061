/**
 * MobileNetV2 (Sandler et al. 2018) as torchvision builds it: inverted residuals
 * (1×1 expand → 3×3 depthwise → 1×1 linear projection), ReLU6 exported as Clip(0, 6).
 */
import type { Feature, ModelContext, SyntheticOptions } from "./context.ts";
import { makeDivisible, resolveOptions, scaleDepth } from "./context.ts";
import { add, convBnAct, dropout, globalPoolFlatten, gemm } from "./layers.ts";
import type { SyntheticModel } from "./model.ts";
import { finishModel, startModel } from "./model.ts";

/** [expansion t, output channels c, repeats n, first stride s] per stage. */
const STAGES: readonly [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

function invertedResidual(ctx: ModelContext, x: Feature, outChannels: number, stride: number, expansion: number): Feature {
  const hidden = Math.round(x.channels * expansion);
  let y = x;
  if (expansion !== 1) y = convBnAct(ctx, "expand", y, { outChannels: hidden, kernel: 1 }, "relu6");
  y = convBnAct(ctx, "depthwise", y, { outChannels: hidden, kernel: 3, stride, groups: hidden }, "relu6");
  const useResidual = stride === 1 && x.channels === outChannels;
  y = convBnAct(ctx, "project", y, { outChannels, kernel: 1 }, "none", { scale: useResidual ? 0.25 : 1 });
  return useResidual ? add(ctx, x, y) : y;
}

export function mobilenetV2(options: SyntheticOptions = {}): SyntheticModel {
  const resolved = resolveOptions(options);
  const width = resolved.widthMultiplier;
  const { ctx, input } = startModel("mobilenet-v2", resolved);
  let x = convBnAct(ctx, "stem", input, { outChannels: makeDivisible(32 * width), kernel: 3, stride: 2 }, "relu6");
  for (const [stage, [expansion, channels, repeats, firstStride]] of STAGES.entries()) {
    const outChannels = makeDivisible(channels * width);
    const blocks = scaleDepth(repeats, resolved.depthMultiplier);
    for (let i = 0; i < blocks; i++) {
      x = ctx.builder.scope(`stage${stage + 1}/${i}`, () => invertedResidual(ctx, x, outChannels, i === 0 ? firstStride : 1, expansion));
    }
  }
  const lastChannels = makeDivisible(1280 * Math.max(1, width));
  x = convBnAct(ctx, "head", x, { outChannels: lastChannels, kernel: 1 }, "relu6");
  const features = dropout(ctx, globalPoolFlatten(ctx, x), 0.2);
  const logits = gemm(ctx, "classifier", features, resolved.numClasses, 0.01);
  return finishModel(ctx, logits, "mobilenet-v2", resolved);
}
