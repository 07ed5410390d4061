/**
 * A semantic segmentation model for transfer learning: a pretrained backbone cut at its
 * feature map, with the last map of each resolution of the body as skip connections (the
 * classifier's `stageTaps`, kept from stride 4 down), and a U-Net-style decoder to class scores
 * at the input size, or the lighter LR-ASPP head (decoder.ts). Layer groups: the backbone's groups as the classifier splits
 * them, then the decoder, for freezing and discriminative learning rates. `atSize` rebuilds the
 * same graph (same parameter names) for another image size.
 */
import { GraphBuilder } from "../../onnx/builder.ts";
import type { Model } from "../../onnx/ir.ts";
import { createModel } from "../../onnx/ir.ts";
import type { LayerGroupOverride } from "../../training/layer-groups.ts";
import { findParameters } from "../../training/parameters.ts";
import { cutBackbone, findFeatureTensor, stageTaps } from "../head/backbone.ts";
import { backboneGroups, checkPrefixes } from "../head/classifier.ts";
import type { FeatureTap } from "../head/head.ts";
import { appendLrasppDecoder, appendUnetDecoder, type DecoderOptions, type ResolvedDecoderOptions, resolveDecoderOptions } from "./decoder.ts";

/** Output of a segmenter: class scores [batch, classes, height, width] at the input size. */
export const SEGMENTER_OUTPUT = "logits";

export interface SegmenterOptions extends DecoderOptions {
  /**
   * "unet" (default): fastai's unet_learner shape, a step per skip map. "lraspp": the lighter
   * LR-ASPP head on the deepest map and the stride-`lowStride` map (`channels`: one width, default 128).
   */
  decoder?: DecoderKind;
  /** LR-ASPP's low-level map: the stage end of this stride (default 8), else the deepest skip map. */
  lowStride?: number;
  /** The feature tensor to cut at; default: the input of the last global pooling. */
  feature?: string;
  /** [height, width] of the input images; default: the backbone's own input size. */
  inputSize?: [number, number];
  /** How many layer groups the backbone is split into (by weight count), default 2 as the classifier. */
  backboneGroups?: number;
  /** Skip maps are the stage ends with at least this stride (input size / map size); default 4. */
  minSkipStride?: number;
}

export type DecoderKind = "unet" | "lraspp";

export interface Segmenter {
  model: Model;
  layerGroups: LayerGroupOverride[];
  feature: string;
  featureShape: [number, number, number];
  /** The encoder maps the decoder reads: skip maps from the shallowest, then the feature map. */
  taps: FeatureTap[];
  /** Stride of each tap (input height / map height, rounded). */
  strides: number[];
  inputSize: [number, number];
  classes: number;
  decoderKind: DecoderKind;
  decoder: ResolvedDecoderOptions;
  /** The same segmenter (same parameter names, fresh decoder values) for another input size. */
  atSize(size: [number, number]): Segmenter;
}

export function createSegmenter(backbone: Model, options: SegmenterOptions): Segmenter {
  const kind = options.decoder ?? "unet";
  if (kind !== "unet" && kind !== "lraspp") throw new Error(`decoder must be "unet" or "lraspp", got '${String(kind)}'`);
  const groupCount = options.backboneGroups ?? 2;
  if (!Number.isInteger(groupCount) || groupCount < 1) throw new Error(`backboneGroups must be an integer ≥ 1, got ${groupCount}`);
  const minStride = options.minSkipStride ?? 4;
  if (!(minStride >= 1)) throw new Error(`minSkipStride must be ≥ 1, got ${minStride}`);
  const feature = options.feature ?? findFeatureTensor(backbone);
  const cut = cutBackbone(backbone, feature, options.inputSize);
  const backboneParameters = findParameters(cut.graph).parameters;
  const strideOf = (tap: FeatureTap) => Math.round(cut.inputSize[0] / tap.shape[1]);
  const all = stageTaps(cut);
  const stageEnds = all.slice(0, -1).filter((tap) => strideOf(tap) >= minStride);
  const lowStride = options.lowStride ?? 8;
  const skips =
    kind === "unet" ? stageEnds : [stageEnds.find((tap) => strideOf(tap) === lowStride) ?? stageEnds[stageEnds.length - 1]].filter((t) => t !== undefined);
  const taps = [...skips, all[all.length - 1]!];
  if (skips.length === 0) {
    throw new Error(
      `backbone '${backbone.graph.name}': no map of stride ${minStride} or more above the feature map [${cut.featureShape}] to connect the decoder to (input ${cut.inputSize.join("×")})`,
    );
  }
  const decoder = resolveDecoderOptions(options, kind === "unet" ? skips.length : 1);
  const scope = [...cut.graph.initializers.keys()].some((name) => name.startsWith("decoder/")) ? "new_decoder" : "decoder";
  const builder = new GraphBuilder(cut.graph);
  const deepest = taps[taps.length - 1]!;
  const scores =
    kind === "unet"
      ? appendUnetDecoder(builder, deepest, [...skips].reverse(), cut.inputSize, decoder, scope)
      : appendLrasppDecoder(builder, deepest, skips[0]!, cut.inputSize, decoder, scope);
  const graph = builder.build();
  graph.outputs = [];
  builder.output(SEGMENTER_OUTPUT, "float32", ["batch", decoder.classes, cut.inputSize[0], cut.inputSize[1]], scores);
  const model = createModel(graph, cut.opset);
  model.producerName = "runboard segmenter";
  model.metadata = {
    ...backbone.metadata,
    "runboard.task": "segmentation",
    "runboard.decoder": JSON.stringify({ kind, ...decoder, feature, skips: skips.map((s) => s.tensor) }),
  };
  const layerGroups = [...backboneGroups(backboneParameters, groupCount), { name: "decoder", prefixes: [`${scope}/`] }];
  checkPrefixes(layerGroups);
  return {
    model,
    layerGroups,
    feature,
    featureShape: cut.featureShape,
    taps,
    strides: taps.map(strideOf),
    inputSize: cut.inputSize,
    classes: decoder.classes,
    decoderKind: kind,
    decoder,
    atSize: (size) => createSegmenter(backbone, { ...options, feature, inputSize: size }),
  };
}
