/**
 * Layer groups: the model's parameters split from the input side to the output side, the
 * unit of freezing and of discriminative learning rates (as fastai's splitter). The default
 * heuristic gives three groups, like fastai's ResNet split: the first and second half of the
 * body, and the head (everything after the last global pooling / flatten).
 */
import type { Graph } from "../onnx/ir.ts";
import type { ParameterInfo } from "./parameters.ts";

export interface LayerGroup {
  name: string;
  parameters: string[];
}

/** Explicit groups: each parameter joins the first group with a prefix of its name. */
export interface LayerGroupOverride {
  name: string;
  prefixes: string[];
}

const POOLING_OPS = new Set(["GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "Flatten"]);

export function deriveLayerGroups(graph: Graph, parameters: readonly ParameterInfo[], override?: readonly LayerGroupOverride[]): LayerGroup[] {
  if (parameters.length === 0) throw new Error("model: it has no learnable parameters (conv, linear or normalization weights)");
  if (override) return groupsFromOverride(parameters, override);
  const nodeIndex = new Map(graph.nodes.map((n, i) => [n.name, i]));
  const lastPooling = graph.nodes.findLastIndex((n) => POOLING_OPS.has(n.opType));
  const lastWeightNode = Math.max(...parameters.filter((p) => p.kind === "weight").map((p) => nodeIndex.get(p.node) ?? -1));
  // Without a pooling node, the head is the last layer with a weight.
  const headStart = lastPooling >= 0 && lastPooling < lastWeightNode ? lastPooling + 1 : lastWeightNode;
  const head = parameters.filter((p) => (nodeIndex.get(p.node) ?? 0) >= headStart);
  const body = parameters.filter((p) => (nodeIndex.get(p.node) ?? 0) < headStart);
  const groups: LayerGroup[] = splitBody(body);
  groups.push({ name: "head", parameters: head.map((p) => p.name) });
  return groups.filter((g) => g.parameters.length > 0);
}

/** Two halves by number of weight tensors (normalization parameters follow their layer). */
function splitBody(body: readonly ParameterInfo[]): LayerGroup[] {
  const weights = body.filter((p) => p.kind === "weight").length;
  if (weights < 2) return [{ name: "body", parameters: body.map((p) => p.name) }];
  const half = Math.ceil(weights / 2);
  const first: string[] = [];
  const second: string[] = [];
  let seenWeights = 0;
  for (const p of body) {
    if (p.kind === "weight") seenWeights++;
    (seenWeights <= half ? first : second).push(p.name);
  }
  return [
    { name: "body.0", parameters: first },
    { name: "body.1", parameters: second },
  ];
}

function groupsFromOverride(parameters: readonly ParameterInfo[], override: readonly LayerGroupOverride[]): LayerGroup[] {
  if (override.length === 0) throw new Error("layerGroups: give at least one group");
  const groups = override.map((g) => ({ name: g.name, parameters: [] as string[] }));
  for (const p of parameters) {
    const index = override.findIndex((g) => g.prefixes.some((prefix) => p.name.startsWith(prefix)));
    if (index < 0) throw new Error(`layerGroups: parameter '${p.name}' matches no group's prefixes`);
    groups[index]!.parameters.push(p.name);
  }
  const empty = groups.find((g) => g.parameters.length === 0);
  if (empty) throw new Error(`layerGroups: group '${empty.name}' matches no parameter`);
  return groups;
}

export interface FreezeSpec {
  /** Groups with an index below this are frozen; negative counts from the end (fastai freeze_to). */
  freezeTo: number;
  /** Keep normalization scales and shifts of frozen groups trainable (fastai train_bn, default true). */
  trainBatchNorm: boolean;
}

/** The names of the parameters that train under a freeze setting, in parameter order. */
export function trainableParameters(groups: readonly LayerGroup[], parameters: readonly ParameterInfo[], spec: FreezeSpec): string[] {
  const boundary = spec.freezeTo < 0 ? groups.length + spec.freezeTo : spec.freezeTo;
  if (!Number.isInteger(spec.freezeTo) || boundary < 0 || boundary >= groups.length) {
    throw new Error(`freezeTo must be an integer in [${-groups.length}, ${groups.length - 1}] for ${groups.length} layer groups, got ${spec.freezeTo}`);
  }
  const open = new Set(groups.slice(boundary).flatMap((g) => g.parameters));
  const isNorm = (p: ParameterInfo) => p.kind === "normScale" || p.kind === "normBias";
  return parameters.filter((p) => open.has(p.name) || (spec.trainBatchNorm && isNorm(p))).map((p) => p.name);
}

/** Parameter name → index of its layer group. */
export function groupIndexOf(groups: readonly LayerGroup[]): Map<string, number> {
  return new Map(groups.flatMap((g, i) => g.parameters.map((p) => [p, i] as const)));
}
