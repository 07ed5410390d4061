/**
 * The Grad-CAM graph. Our autodiff differentiates with respect to graph inputs, so the feature
 * map A gets a zero "probe" input added to it (A' = A + probe, every reader of A reads A'):
 * ∂score/∂probe = ∂score/∂A, and no backward node reaches the backbone below A. The class score
 * is Σ logits ⊙ mask with a one-hot mask per item, so one run serves a whole batch, each item
 * with its own class (items do not interact in an inference graph). The batch size is fixed
 * per graph because gradient rules such as Slice need static shapes.
 */
import { buildBackward } from "../autodiff/index.ts";
import { findFeatureTensor } from "../models/head/index.ts";
import { producers } from "../onnx/graph-tools.ts";
import type { Graph, Model, Node } from "../onnx/ir.ts";
import { attr, defaultOpset } from "../onnx/ir.ts";
import { inferShapes, shapeOf } from "../onnx/shape-inference.ts";

export const PROBE = "grad_cam/probe";
export const CLASS_MASK = "grad_cam/class_mask";
const PROBED = "grad_cam/probed_features";
const SCORE = "grad_cam/score";

export interface GradCamGraphOptions {
  /** The feature map [batch, C, H, W]; default: the input of the last global pooling. */
  feature?: string;
  /** The class scores [batch, K]; default: the first output, or the input of its Softmax. */
  logits?: string;
}

export interface GradCamGraphSpec extends GradCamGraphOptions {
  /** Static batch size: some gradient rules (Slice, Reshape) need fixed shapes. */
  batchSize: number;
}

export interface GradCamGraph {
  model: Model;
  image: string;
  feature: string;
  logits: string;
  gradient: string;
  /** [C, H, W] of the feature map. */
  featureShape: [number, number, number];
  classes: number;
}

function copyGraph(graph: Graph): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs] })),
    inputs: graph.inputs.map((v) => ({ ...v })),
    outputs: graph.outputs.map((v) => ({ ...v })),
    initializers: new Map(graph.initializers),
    // Shapes are inferred afresh at the fixed batch size.
    valueInfo: new Map(),
  };
}

/** Class scores before any final softmax: Grad-CAM differentiates the logit, not the probability. */
function logitsOf(graph: Graph, requested: string | undefined): string {
  if (requested !== undefined) return requested;
  const output = graph.outputs[0];
  if (!output) throw new Error("model: it has no outputs");
  const producedBy = producers(graph);
  let name = output.name;
  let producer = producedBy.get(name);
  while (producer?.opType === "Identity") {
    name = producer.inputs[0]!;
    producer = producedBy.get(name);
  }
  return producer?.opType === "Softmax" || producer?.opType === "LogSoftmax" ? producer.inputs[0]! : output.name;
}

/** The image input, its batch dimension fixed to `batchSize`. */
function imageInput(graph: Graph, batchSize: number): string {
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  const input = inputs[0];
  if (inputs.length !== 1 || !input?.shape || input.shape.length !== 4) {
    throw new Error(
      `model: Grad-CAM needs exactly one image input [batch, channels, height, width], found ${inputs.map((i) => `${i.name} [${i.shape ?? "?"}]`).join(", ") || "none"}`,
    );
  }
  input.shape = [batchSize, ...input.shape.slice(1)];
  return input.name;
}

function fixedFeatureShape(graph: Graph, feature: string): [number, number, number] {
  const shape = shapeOf(graph, feature);
  if (shape?.length !== 4 || !shape.slice(1).every((d) => typeof d === "number" && d > 0)) {
    throw new Error(`options.feature: '${feature}' must be a [batch, C, H, W] map with known C, H, W, got [${shape ?? "unknown"}]`);
  }
  return shape.slice(1) as [number, number, number];
}

/** Makes every reader of `feature` read feature + probe, with the Add right after the producer. */
function insertProbe(graph: Graph, feature: string, shape: [number, number, number], batchSize: number): void {
  const at = graph.nodes.findIndex((n) => n.outputs.includes(feature));
  if (at < 0) throw new Error(`options.feature: no node produces '${feature}'`);
  for (const node of graph.nodes) node.inputs = node.inputs.map((i) => (i === feature ? PROBED : i));
  const add: Node = { name: "grad_cam/probe_add", opType: "Add", domain: "", inputs: [feature, PROBE], outputs: [PROBED], attributes: {} };
  graph.nodes.splice(at + 1, 0, add);
  graph.inputs.push({ name: PROBE, dataType: "float32", shape: [batchSize, ...shape] });
}

function appendScore(graph: Graph, logits: string, classes: number, batchSize: number): void {
  graph.inputs.push({ name: CLASS_MASK, dataType: "float32", shape: [batchSize, classes] });
  graph.nodes.push(
    { name: "grad_cam/select", opType: "Mul", domain: "", inputs: [logits, CLASS_MASK], outputs: ["grad_cam/selected"], attributes: {} },
    // score = Σₙ logits[n, classₙ]; each item's gradient is that of its own class score.
    { name: "grad_cam/sum", opType: "ReduceSum", domain: "", inputs: ["grad_cam/selected"], outputs: [SCORE], attributes: { keepdims: attr.int(0) } },
  );
}

export function buildGradCamGraph(model: Model, options: GradCamGraphSpec): GradCamGraph {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const opset = defaultOpset(model);
  const graph = copyGraph(model.graph);
  const image = imageInput(graph, batchSize);
  const feature = options.feature ?? findFeatureTensor(model);
  const logits = logitsOf(graph, options.logits);
  inferShapes(graph, opset);
  const featureShape = fixedFeatureShape(graph, feature);
  const classes = shapeOf(graph, logits)?.[1];
  if (typeof classes !== "number") throw new Error(`options.logits: '${logits}' must be [batch, classes] with a known class count`);
  insertProbe(graph, feature, featureShape, batchSize);
  appendScore(graph, logits, classes, batchSize);
  inferShapes(graph, opset);
  const gradient = buildBackward(graph, { loss: SCORE, wrt: [PROBE], opset }).gradients.get(PROBE)!;
  graph.outputs = [
    { name: feature, dataType: "float32" },
    { name: gradient, dataType: "float32" },
    { name: logits, dataType: "float32" },
  ];
  graph.valueInfo = new Map();
  const built: Model = { ...model, graph: { ...graph, name: "grad_cam" }, metadata: { ...model.metadata } };
  return { model: built, image, feature, logits, gradient, featureShape, classes };
}
