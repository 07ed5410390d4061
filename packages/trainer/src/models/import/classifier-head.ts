/**
 * Finding a backbone's classifier head and cutting it off. Walking back from the output, the
 * head is the run of dense layers (Gemm, MatMul + Add, a 1×1 Conv on pooled features) with
 * their activations, dropout and trailing reshapes, up to where pooling/flattening produced
 * the features: torchvision's avgpool → flatten → fc, Keras' pool → Dense stacks, TF-slim's
 * pool → 1×1 conv → squeeze → softmax.
 */
import { consumers, cutAt, producers } from "../../onnx/graph-tools.ts";
import type { Graph, Model, Node } from "../../onnx/ir.ts";
import { attr, defaultOpset } from "../../onnx/ir.ts";
import { inferShapes, shapeOf } from "../../onnx/shape-inference.ts";

export interface ClassifierHead {
  /** The dense layer nearest the output (the one a new head replaces). */
  classifier: Node;
  /** Every node from the features to the output, in graph order. */
  nodes: Node[];
  /** The tensor the head reads: pooled (and usually flattened) backbone features. */
  featureTensor: string;
  /** Outputs of the classifier. */
  numClasses: number;
}

export interface HeadOptions {
  /** Name of the first head node (its first input becomes the features), instead of searching. */
  node?: string;
}

const LINEAR = new Set(["Gemm", "MatMul"]);
const PASS_THROUGH = new Set(["Relu", "Clip", "LeakyRelu", "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "Dropout", "Identity", "BatchNormalization"]);
const RESHAPING = new Set(["Flatten", "Reshape", "Squeeze"]);

export function findClassifierHead(graph: Graph, options: HeadOptions = {}): ClassifierHead {
  const output = graph.outputs[0];
  if (!output) throw new Error(`graph '${graph.name}': it has no outputs`);
  const producedBy = producers(graph);
  const nodes = options.node === undefined ? walkBack(graph, output.name, producedBy) : namedHead(graph, options.node);
  const linear = nodes.filter((node) => isLinear(graph, node));
  const classifier = linear[linear.length - 1];
  const first = nodes[0];
  if (!classifier || !first)
    throw new Error(`graph '${graph.name}': no Gemm, MatMul or 1×1 Conv classifier before output '${output.name}'; pass the head's first node name`);
  return { classifier, nodes, featureTensor: dataInput(graph, first), numClasses: outputUnits(graph, classifier) };
}

/** Nodes from the output back to the feature boundary, returned in graph order. */
function walkBack(graph: Graph, outputName: string, producedBy: Map<string, Node>): Node[] {
  const head: Node[] = [];
  let sawLinear = false;
  let current = outputName;
  for (;;) {
    const node = producedBy.get(current);
    if (!node) break;
    const linear = isLinear(graph, node);
    const passes = PASS_THROUGH.has(node.opType) || (node.opType === "Add" && constantOperand(graph, node) !== undefined);
    // Reshapes after the last dense layer belong to the head; before it they flatten features.
    if (!linear && !passes && !(RESHAPING.has(node.opType) && !sawLinear)) break;
    head.push(node);
    sawLinear ||= linear;
    current = dataInput(graph, node);
  }
  if (!sawLinear) return [];
  // Drop leading non-linear nodes (e.g. a BatchNormalization on the pooled features stays in the backbone).
  while (head.length > 0 && !isLinear(graph, head[head.length - 1] as Node)) head.pop();
  return head.reverse();
}

/** The named node and everything downstream of it. */
function namedHead(graph: Graph, name: string): Node[] {
  const start = graph.nodes.find((node) => node.name === name);
  if (!start) throw new Error(`head node '${name}': no node of that name in graph '${graph.name}'`);
  const readers = consumers(graph);
  const downstream = new Set<Node>([start]);
  const queue = [start];
  for (let node = queue.pop(); node; node = queue.pop()) {
    for (const output of node.outputs) {
      for (const reader of readers.get(output) ?? []) {
        if (!downstream.has(reader)) {
          downstream.add(reader);
          queue.push(reader);
        }
      }
    }
  }
  return graph.nodes.filter((node) => downstream.has(node));
}

function isLinear(graph: Graph, node: Node): boolean {
  if (LINEAR.has(node.opType)) return true;
  if (node.opType !== "Conv") return false;
  const weight = graph.initializers.get(node.inputs[1] ?? "");
  return weight !== undefined && weight.dims[2] === 1 && weight.dims[3] === 1;
}

/** The operand of an Add that is an initializer (a bias), if any. */
function constantOperand(graph: Graph, node: Node): string | undefined {
  return node.inputs.find((input) => graph.initializers.has(input));
}

/** The input that carries activations (for Add, the non-constant one). */
function dataInput(graph: Graph, node: Node): string {
  const input = node.opType === "Add" ? node.inputs.find((i) => !graph.initializers.has(i)) : node.inputs[0];
  if (!input) throw new Error(`${node.opType} node '${node.name}': it has no data input`);
  return input;
}

function outputUnits(graph: Graph, node: Node): number {
  const weight = graph.initializers.get(node.inputs[1] ?? "");
  if (!weight) throw new Error(`${node.opType} node '${node.name}': its weight is not an initializer`);
  if (node.opType === "Conv") return weight.dims[0] ?? 0;
  const transB = node.opType === "Gemm" && node.attributes.transB?.kind === "int" && node.attributes.transB.value === 1;
  return (transB ? weight.dims[0] : weight.dims[1]) ?? 0;
}

export interface Backbone {
  /** A new model whose only output is the features (shares weight tensors with the source). */
  model: Model;
  featureTensor: string;
  /** Features per image. */
  featureSize: number;
  head: ClassifierHead;
}

export const FEATURES_OUTPUT = "features";

/**
 * The model without its head: output "features" of shape [batch, featureSize]; pooled
 * [N, C, 1, 1] features are flattened.
 */
export function cutHead(model: Model, options: HeadOptions = {}): Backbone {
  const head = findClassifierHead(model.graph, options);
  return { ...featuresAt(model, head.featureTensor), head };
}

/** The model cut at `tensor`, which becomes output "features" [batch, size] (flattened if pooled 4-D). */
export function featuresAt(model: Model, tensor: string): Omit<Backbone, "head"> {
  const graph: Graph = {
    ...model.graph,
    nodes: [...model.graph.nodes],
    inputs: [...model.graph.inputs],
    outputs: [...model.graph.outputs],
    initializers: new Map(model.graph.initializers),
    valueInfo: new Map(model.graph.valueInfo),
  };
  inferShapes(graph, defaultOpset(model));
  const shape = shapeOf(graph, tensor);
  const featureSize = flatFeatureSize(shape, tensor);
  cutAt(graph, tensor);
  const flat = shape?.length === 2 ? tensor : addFlatten(graph, tensor);
  graph.nodes.push({ name: "features_identity", opType: "Identity", domain: "", inputs: [flat], outputs: [FEATURES_OUTPUT], attributes: {} });
  graph.outputs = [{ name: FEATURES_OUTPUT, dataType: "float32", shape: [shape?.[0] ?? "batch", featureSize] }];
  return { model: { ...model, graph, metadata: { ...model.metadata } }, featureTensor: FEATURES_OUTPUT, featureSize };
}

function flatFeatureSize(shape: readonly (number | string | null)[] | undefined, tensor: string): number {
  if (!shape) throw new Error(`features '${tensor}': shape unknown after shape inference`);
  const rest = shape.slice(1);
  if (!rest.every((d): d is number => typeof d === "number")) throw new Error(`features '${tensor}': shape [${shape}] has unknown dims past the batch`);
  if (rest.length === 3 && (rest[1] !== 1 || rest[2] !== 1)) throw new Error(`features '${tensor}': shape [${shape}] is not pooled (expected [N, C, 1, 1])`);
  return rest.reduce((a, b) => a * b, 1);
}

function addFlatten(graph: Graph, tensor: string): string {
  const output = `${tensor}_flat`;
  graph.nodes.push({ name: "features_flatten", opType: "Flatten", domain: "", inputs: [tensor], outputs: [output], attributes: { axis: attr.int(1) } });
  return output;
}
