/**
 * MobileNetV3 Large and Small (Howard et al. 2019) as torchvision builds them: HardSwish,
 * squeeze-excite with HardSigmoid gates (its pooling exported as ReduceMean here, as
 * Keras-style exports do), and a two-Gemm classifier.
 */
import type { Feature, ModelContext, SyntheticOptions } from "./context.ts";
import { makeDivisible, resolveOptions, scaleDepth } from "./context.ts";
import type { Activation } from "./layers.ts";
import { add, convBnAct, dropout, globalPoolFlatten, gemm, squeezeExcite, vectorActivation } from "./layers.ts";
import type { SyntheticModel } from "./model.ts";
import { finishModel, startModel } from "./model.ts";

/** [kernel, expanded channels, output channels, squeeze-excite, activation, stride]. */
type BlockConfig = [number, number, number, boolean, "relu" | "hardSwish", number];

const LARGE: readonly BlockConfig[] = [
  [3, 16, 16, false, "relu", 1],
  [3, 64, 24, false, "relu", 2],
  [3, 72, 24, false, "relu", 1],
  [5, 72, 40, true, "relu", 2],
  [5, 120, 40, true, "relu", 1],
  [5, 120, 40, true, "relu", 1],
  [3, 240, 80, false, "hardSwish", 2],
  [3, 200, 80, false, "hardSwish", 1],
  [3, 184, 80, false, "hardSwish", 1],
  [3, 184, 80, false, "hardSwish", 1],
  [3, 480, 112, true, "hardSwish", 1],
  [3, 672, 112, true, "hardSwish", 1],
  [5, 672, 160, true, "hardSwish", 2],
  [5, 960, 160, true, "hardSwish", 1],
  [5, 960, 160, true, "hardSwish", 1],
];

const SMALL: readonly BlockConfig[] = [
  [3, 16, 16, true, "relu", 2],
  [3, 72, 24, false, "relu", 2],
  [3, 88, 24, false, "relu", 1],
  [5, 96, 40, true, "hardSwish", 2],
  [5, 240, 40, true, "hardSwish", 1],
  [5, 240, 40, true, "hardSwish", 1],
  [5, 120, 48, true, "hardSwish", 1],
  [5, 144, 48, true, "hardSwish", 1],
  [5, 288, 96, true, "hardSwish", 2],
  [5, 576, 96, true, "hardSwish", 1],
  [5, 576, 96, true, "hardSwish", 1],
];

export interface MobileNetV3Options extends SyntheticOptions {
  variant?: "large" | "small";
}

const BN = { epsilon: 0.001 };

function block(ctx: ModelContext, x: Feature, config: BlockConfig, width: number): Feature {
  const [kernel, expandedBase, outBase, useSe, activation, stride] = config;
  const expanded = makeDivisible(expandedBase * width);
  const outChannels = makeDivisible(outBase * width);
  const act: Activation = activation;
  let y = x;
  if (expanded !== x.channels) y = convBnAct(ctx, "expand", y, { outChannels: expanded, kernel: 1 }, act, BN);
  y = convBnAct(ctx, "depthwise", y, { outChannels: expanded, kernel, stride, groups: expanded }, act, BN);
  if (useSe) y = squeezeExcite(ctx, y, { squeezeChannels: makeDivisible(expanded / 4), pool: "reduceMean", activation: "relu", gate: "hardSigmoid" });
  const useResidual = stride === 1 && x.channels === outChannels;
  y = convBnAct(ctx, "project", y, { outChannels, kernel: 1 }, "none", { ...BN, scale: useResidual ? 0.25 : 1 });
  return useResidual ? add(ctx, x, y) : y;
}

/** Repeats of each block after the depth multiplier: the stride-1 repeats of a stage shrink. */
function scaledBlocks(configs: readonly BlockConfig[], depthMultiplier: number): BlockConfig[] {
  if (depthMultiplier === 1) return [...configs];
  const result: BlockConfig[] = [];
  let run: BlockConfig[] = [];
  const flush = () => {
    result.push(...run.slice(0, scaleDepth(run.length, depthMultiplier)));
    run = [];
  };
  for (const config of configs) {
    if (config[5] !== 1 && run.length > 0) flush();
    run.push(config);
  }
  flush();
  return result;
}

export function mobilenetV3(options: MobileNetV3Options = {}): SyntheticModel {
  const resolved = resolveOptions(options);
  const variant = options.variant ?? "large";
  const width = resolved.widthMultiplier;
  const architecture = `mobilenet-v3-${variant}`;
  const { ctx, input } = startModel(architecture, resolved);
  let x = convBnAct(ctx, "stem", input, { outChannels: makeDivisible(16 * width), kernel: 3, stride: 2 }, "hardSwish", BN);
  const configs = scaledBlocks(variant === "large" ? LARGE : SMALL, resolved.depthMultiplier);
  for (const [i, config] of configs.entries()) x = ctx.builder.scope(`block${i + 1}`, () => block(ctx, x, config, width));
  x = convBnAct(ctx, "head", x, { outChannels: 6 * x.channels, kernel: 1 }, "hardSwish", BN);
  const lastChannels = makeDivisible((variant === "large" ? 1280 : 1024) * width);
  const hidden = vectorActivation(ctx, gemm(ctx, "classifier/0", globalPoolFlatten(ctx, x), lastChannels), "hardSwish");
  const logits = gemm(ctx, "classifier/3", dropout(ctx, hidden, 0.2), resolved.numClasses, 0.01);
  return finishModel(ctx, logits, architecture, resolved);
}
