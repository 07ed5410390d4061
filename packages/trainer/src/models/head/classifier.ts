/**
 * A classifier for transfer learning: a pretrained backbone cut at its feature map plus a new
 * head, with layer groups [backbone stages…, head] for freezing and discriminative learning
 * rates. `atSize` rebuilds the same graph (same parameter names) for another image size.
 */
import { GraphBuilder } from "../../onnx/builder.ts";
import type { Model } from "../../onnx/ir.ts";
import { attr, createModel } from "../../onnx/ir.ts";
import type { LayerGroupOverride } from "../../training/layer-groups.ts";
import { findParameters } from "../../training/parameters.ts";
import { CLASSIFIER_INPUT, type CutBackbone, cutBackbone, findFeatureTensor, stageTaps } from "./backbone.ts";
import {
  appendHead,
  appendHeadLayers,
  type FeatureTap,
  type HeadOptions,
  pooledFeatures,
  pooledSize,
  type ResolvedHeadOptions,
  resolveHeadOptions,
} from "./head.ts";

export const CLASSIFIER_OUTPUT = "logits";
/** Output of the feature extractor: pooled features [batch, pooledSize]. */
export const FEATURES = "features";

export interface ClassifierOptions extends HeadOptions {
  /** The feature tensor to cut at; default: the input of the last global pooling. */
  feature?: string;
  /** [height, width] of the input images; default: the backbone's own input size. */
  inputSize?: [number, number];
  /** How many layer groups the backbone is split into (by weight count), default 2 as fastai's ResNet split. */
  backboneGroups?: number;
}

export interface Classifier {
  model: Model;
  layerGroups: LayerGroupOverride[];
  feature: string;
  featureShape: [number, number, number];
  /** The maps the head pools: the feature map, or one per stage of the body (head.depths). */
  taps: FeatureTap[];
  inputSize: [number, number];
  /** The head's options, resolved (seed, pooling, widths). */
  head: ResolvedHeadOptions;
  /** Width of the pooled feature vector the head starts from. */
  pooledSize: number;
  /** The same classifier (same parameter names, fresh head values) for another input size. */
  atSize(size: [number, number]): Classifier;
  /** The pretrained body and the head's pooling: image "input" → pooled "features" (the frozen part, for feature caching). */
  featureExtractor(): Model;
  /** The head alone, pooled features as "input" → "logits": the same parameter names and initial values as in `model`. */
  headModel(): { model: Model; layerGroups: LayerGroupOverride[] };
}

export function createClassifier(backbone: Model, options: ClassifierOptions): Classifier {
  const head = resolveHeadOptions(options);
  const groupCount = options.backboneGroups ?? 2;
  if (!Number.isInteger(groupCount) || groupCount < 1) throw new Error(`backboneGroups must be an integer ≥ 1, got ${groupCount}`);
  const feature = options.feature ?? findFeatureTensor(backbone);
  const cut = cutBackbone(backbone, feature, options.inputSize);
  const backboneParameters = findParameters(cut.graph).parameters;
  const scope = [...cut.graph.initializers.keys()].some((name) => name.startsWith("head/")) ? "new_head" : "head";
  const taps = tapsOf(cut, head);
  const builder = new GraphBuilder(cut.graph);
  const logits = appendHead(builder, taps, head, scope);
  const graph = builder.build();
  graph.outputs = [];
  builder.output(CLASSIFIER_OUTPUT, "float32", ["batch", head.classes], logits);
  const model = createModel(graph, cut.opset);
  model.producerName = "runboard classifier";
  model.metadata = { ...backbone.metadata, "runboard.head": JSON.stringify({ ...head, feature }) };
  const layerGroups = [...backboneGroups(backboneParameters, groupCount), { name: "head", prefixes: [`${scope}/`] }];
  checkPrefixes(layerGroups);
  return {
    model,
    layerGroups,
    feature,
    featureShape: cut.featureShape,
    taps,
    inputSize: cut.inputSize,
    head,
    pooledSize: pooledSize(taps, head.pooling),
    atSize: (size) => createClassifier(backbone, { ...options, feature, inputSize: size }),
    featureExtractor: () => featureExtractor(backbone, feature, cut.inputSize, head, cut.opset),
    headModel: () => headModel(pooledSize(taps, head.pooling), head, scope, cut.opset),
  };
}

function tapsOf(cut: CutBackbone, head: ResolvedHeadOptions): FeatureTap[] {
  return head.depths === "stages" ? stageTaps(cut) : [{ tensor: cut.feature, shape: cut.featureShape }];
}

function featureExtractor(backbone: Model, feature: string, inputSize: [number, number], head: ResolvedHeadOptions, opset: number): Model {
  const cut = cutBackbone(backbone, feature, inputSize);
  const taps = tapsOf(cut, head);
  const builder = new GraphBuilder(cut.graph);
  const pooled = builder.scope("features", () => pooledFeatures(builder, taps, head.pooling));
  const graph = builder.build();
  graph.outputs = [];
  builder.output(FEATURES, "float32", ["batch", pooledSize(taps, head.pooling)], pooled);
  const model = createModel(graph, opset);
  model.producerName = "runboard feature extractor";
  return model;
}

function headModel(size: number, head: ResolvedHeadOptions, scope: string, opset: number): { model: Model; layerGroups: LayerGroupOverride[] } {
  const builder = new GraphBuilder("head");
  // The Trainer feeds its batches to "input": here pooled features, as [batch, size, 1, 1] maps like every batch.
  const input = builder.input(CLASSIFIER_INPUT, "float32", ["batch", size, 1, 1]);
  const flat = builder.op("Flatten", [input], { axis: attr.int(1) }, { name: "features_flatten" });
  builder.valueInfo(flat, "float32", ["batch", size]);
  const logits = appendHeadLayers(builder, flat, size, head, scope);
  builder.output(CLASSIFIER_OUTPUT, "float32", ["batch", head.classes], logits);
  const model = createModel(builder.build(), opset);
  model.producerName = "runboard head";
  return { model, layerGroups: [{ name: "head", prefixes: [`${scope}/`] }] };
}

/** Consecutive groups with about the same number of weight tensors (a norm layer follows its weight). */
export function backboneGroups(parameters: ReturnType<typeof findParameters>["parameters"], count: number): LayerGroupOverride[] {
  const weights = parameters.filter((p) => p.kind === "weight").length;
  if (weights === 0) throw new Error("backbone: it has no learnable weights before the feature tensor");
  const groups = Math.min(count, weights);
  const result: LayerGroupOverride[] = Array.from({ length: groups }, (_, i) => ({ name: `body.${i}`, prefixes: [] }));
  let seen = 0;
  for (const p of parameters) {
    if (p.kind === "weight") seen++;
    const index = Math.min(groups - 1, Math.floor(((Math.max(seen, 1) - 1) * groups) / weights));
    result[index]!.prefixes.push(p.name);
  }
  return result.filter((g) => g.prefixes.length > 0);
}

/** Groups match parameters by name prefix, first group first: an earlier name must not be a prefix of a later group's name. */
export function checkPrefixes(groups: readonly LayerGroupOverride[]): void {
  const owner = new Map(groups.flatMap((g, i) => g.prefixes.map((p) => [p, i] as const)));
  for (const [name, index] of owner) {
    for (const [other, otherIndex] of owner) {
      if (otherIndex > index && other !== name && other.startsWith(name)) {
        throw new Error(`layer groups: parameter '${name}' (group ${index}) is a name prefix of '${other}' (group ${otherIndex}); rename one of them`);
      }
    }
  }
}
