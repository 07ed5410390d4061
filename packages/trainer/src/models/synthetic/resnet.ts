/**
 * ResNet (He et al. 2015) as torchvision builds it: 7×7 stem, max pool, four stages of basic
 * blocks (ResNet-18/34) or bottlenecks with the stride on the 3×3 (ResNet-50, "v1.5").
 */
import type { Feature, ModelContext, SyntheticOptions } from "./context.ts";
import { resolveOptions, scaleDepth, scaleWidth } from "./context.ts";
import { activate, add, convBnAct, globalPoolFlatten, gemm, maxPool } from "./layers.ts";
import type { SyntheticModel } from "./model.ts";
import { finishModel, startModel } from "./model.ts";

export interface ResNetOptions extends SyntheticOptions {
  block?: "basic" | "bottleneck";
  /** Blocks per stage; ResNet-18 [2,2,2,2], ResNet-34 and -50 [3,4,6,3]. */
  layers?: [number, number, number, number];
}

const RESIDUAL_SCALE = 0.25;

function basicBlock(ctx: ModelContext, x: Feature, planes: number, stride: number): Feature {
  const y1 = convBnAct(ctx, "conv1", x, { outChannels: planes, kernel: 3, stride }, "relu");
  const y2 = convBnAct(ctx, "conv2", y1, { outChannels: planes, kernel: 3 }, "none", { scale: RESIDUAL_SCALE });
  return activate(ctx, add(ctx, y2, shortcut(ctx, x, planes, stride)), "relu");
}

function bottleneck(ctx: ModelContext, x: Feature, planes: number, stride: number): Feature {
  const y1 = convBnAct(ctx, "conv1", x, { outChannels: planes, kernel: 1 }, "relu");
  const y2 = convBnAct(ctx, "conv2", y1, { outChannels: planes, kernel: 3, stride }, "relu");
  const y3 = convBnAct(ctx, "conv3", y2, { outChannels: planes * 4, kernel: 1 }, "none", { scale: RESIDUAL_SCALE });
  return activate(ctx, add(ctx, y3, shortcut(ctx, x, planes * 4, stride)), "relu");
}

/** Identity, or a strided 1×1 conv + BN when the shape changes. */
function shortcut(ctx: ModelContext, x: Feature, outChannels: number, stride: number): Feature {
  if (stride === 1 && x.channels === outChannels) return x;
  return convBnAct(ctx, "downsample", x, { outChannels, kernel: 1, stride, padding: 0 }, "none");
}

export function resnet(options: ResNetOptions = {}): SyntheticModel {
  const resolved = resolveOptions(options);
  const block = options.block ?? "basic";
  const layers = options.layers ?? [2, 2, 2, 2];
  const architecture = `resnet-${block}`;
  const { ctx, input } = startModel(architecture, resolved);
  const width = (c: number) => scaleWidth(c, resolved.widthMultiplier);
  let x = convBnAct(ctx, "stem", input, { outChannels: width(64), kernel: 7, stride: 2, padding: 3 }, "relu");
  x = maxPool(ctx, x, 3, 2, 1);
  const stagePlanes = [64, 128, 256, 512];
  for (const [stage, planes] of stagePlanes.entries()) {
    const blocks = scaleDepth(layers[stage] ?? 1, resolved.depthMultiplier);
    for (let i = 0; i < blocks; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      const unit = block === "basic" ? basicBlock : bottleneck;
      x = ctx.builder.scope(`layer${stage + 1}/${i}`, () => unit(ctx, x, width(planes), stride));
    }
  }
  const logits = gemm(ctx, "fc", globalPoolFlatten(ctx, x), resolved.numClasses, 0.01);
  return finishModel(ctx, logits, architecture, resolved);
}

export const resnet18 = (options: SyntheticOptions = {}) => resnet({ ...options, block: "basic", layers: [2, 2, 2, 2] });
export const resnet34 = (options: SyntheticOptions = {}) => resnet({ ...options, block: "basic", layers: [3, 4, 6, 3] });
export const resnet50 = (options: SyntheticOptions = {}) => resnet({ ...options, block: "bottleneck", layers: [3, 4, 6, 3] });
