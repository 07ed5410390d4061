/**
 * Static shape inference over the IR: fills graph.valueInfo with the element type and shape of
 * every tensor it can, keeping symbolic dims ("batch") and marking unknown ones null. An op
 * without a rule leaves its outputs without an entry; nothing here throws for unknown ops.
 */
import { DEFAULT_OPSET, type DataType, type Dim, type Graph, type ValueInfo } from "./ir.ts";
import { mergeShapes } from "./dims.ts";
import { createShapeContext, valuesOfTensor, type InferenceState, type ShapeRule } from "./shape-context.ts";
import { elementwiseRules } from "./shape-rules-elementwise.ts";
import { nnRules } from "./shape-rules-nn.ts";
import { layoutRules } from "./shape-rules-layout.ts";
import { indexRules } from "./shape-rules-index.ts";
import { topologicalOrder } from "./graph-tools.ts";

/** One rule per default-domain op type. */
export const SHAPE_RULES: Readonly<Record<string, ShapeRule>> = {
  ...elementwiseRules,
  ...nnRules,
  ...layoutRules,
  ...indexRules,
};

export function hasShapeRule(opType: string): boolean {
  return Object.hasOwn(SHAPE_RULES, opType);
}

function seedState(graph: Graph, opset: number): InferenceState {
  const state: InferenceState = { graph, opset, infos: new Map(), constants: new Map(), values: new Map() };
  for (const input of graph.inputs) state.infos.set(input.name, copyInfo(input));
  for (const [name, tensor] of graph.initializers) {
    state.infos.set(name, { name, dataType: tensor.dataType, shape: [...tensor.dims] });
    state.constants.set(name, tensor);
    const values = valuesOfTensor(tensor);
    if (values) state.values.set(name, values);
  }
  return state;
}

function copyInfo(info: ValueInfo): ValueInfo {
  return info.shape ? { name: info.name, dataType: info.dataType, shape: [...info.shape] } : { name: info.name, dataType: info.dataType };
}

/** Nodes in dependency order when the graph allows it, else as listed (inference never throws on that). */
function inferenceOrder(graph: Graph): Graph["nodes"] {
  try {
    return topologicalOrder(graph);
  } catch {
    return graph.nodes;
  }
}

/**
 * Infers types and shapes for graph inputs, initializers and node outputs into graph.valueInfo.
 * An earlier entry (from the file, or a previous run) fills only what inference cannot know:
 * unknown dims, and tensors of ops without a rule.
 */
export function inferShapes(graph: Graph, opset: number = DEFAULT_OPSET): void {
  const state = seedState(graph, opset);
  for (const node of inferenceOrder(graph)) {
    const rule = node.domain === "" || node.domain === "ai.onnx" ? SHAPE_RULES[node.opType] : undefined;
    if (rule) rule(createShapeContext(state, node));
    for (const name of node.outputs) mergePrevious(state, graph.valueInfo.get(name), name);
  }
  for (const [name, info] of state.infos) graph.valueInfo.set(name, info);
}

function mergePrevious(state: InferenceState, previous: ValueInfo | undefined, name: string): void {
  if (!previous || name === "") return;
  const inferred = state.infos.get(name);
  if (!inferred) {
    state.infos.set(name, copyInfo(previous));
    return;
  }
  const shape = mergeShapes(inferred.shape, previous.shape);
  state.infos.set(name, shape ? { name, dataType: inferred.dataType, shape } : { name, dataType: inferred.dataType });
}

function lookup(graph: Graph, name: string): ValueInfo | undefined {
  const tensor = graph.initializers.get(name);
  if (tensor) return { name, dataType: tensor.dataType, shape: [...tensor.dims] };
  return graph.valueInfo.get(name) ?? graph.inputs.find((i) => i.name === name) ?? graph.outputs.find((o) => o.name === name);
}

/** The known shape of a tensor (after inferShapes), or undefined. */
export function shapeOf(graph: Graph, name: string): Dim[] | undefined {
  return lookup(graph, name)?.shape;
}

/** The known element type of a tensor (after inferShapes), or undefined. */
export function dataTypeOf(graph: Graph, name: string): DataType | undefined {
  return lookup(graph, name)?.dataType;
}
