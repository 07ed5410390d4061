/**
 * A backbone cut at its feature tensor: the last 4-D tensor before global pooling (where a
 * torchvision / timm / TFLite classifier starts), with the input renamed to "input" and set to
 * the requested image size, so the same backbone can be cut again at another size
 * (progressive resizing).
 */
import { cutAt } from "../../onnx/graph-tools.ts";
import type { Graph, Model } from "../../onnx/ir.ts";
import { defaultOpset, getInts } from "../../onnx/ir.ts";
import { inferShapes, shapeOf } from "../../onnx/shape-inference.ts";
import type { FeatureTap } from "./head.ts";

export const CLASSIFIER_INPUT = "input";

export interface CutBackbone {
  graph: Graph;
  opset: number;
  feature: string;
  /** [channels, height, width] of the feature map at this input size. */
  featureShape: [number, number, number];
  inputSize: [number, number];
}

function copyGraph(graph: Graph): Graph {
  return {
    name: graph.name,
    nodes: graph.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attributes: { ...n.attributes } })),
    inputs: graph.inputs.map((v) => ({ ...v, shape: v.shape ? [...v.shape] : undefined })),
    outputs: graph.outputs.map((v) => ({ ...v })),
    initializers: new Map(graph.initializers),
    valueInfo: new Map(),
  };
}

/** True when the node reduces a 4-D tensor over its spatial axes to one value per channel. */
function isGlobalPool(graph: Graph, node: Graph["nodes"][number]): boolean {
  if (node.opType === "GlobalAveragePool" || node.opType === "GlobalMaxPool") return true;
  const inputShape = shapeOf(graph, node.inputs[0] ?? "");
  if (inputShape?.length !== 4) return false;
  if (node.opType === "ReduceMean" || node.opType === "ReduceMax") {
    const axesTensor = graph.initializers.get(node.inputs[1] ?? "");
    const axes = getInts(node, "axes") ?? (axesTensor ? Array.from(axesTensor.data as BigInt64Array, Number) : undefined);
    return (
      axes !== undefined &&
      [...axes]
        .map((a) => (a < 0 ? a + 4 : a))
        .sort()
        .join(",") === "2,3"
    );
  }
  if (node.opType === "AveragePool" || node.opType === "MaxPool") {
    const out = shapeOf(graph, node.outputs[0] ?? "");
    return out?.[2] === 1 && out?.[3] === 1;
  }
  return false;
}

/** The input of the model's last global pooling: the feature map a new head starts from. */
export function findFeatureTensor(model: Model): string {
  const graph = copyGraph(model.graph);
  inferShapes(graph, defaultOpset(model));
  const pool = graph.nodes.findLast((n) => isGlobalPool(graph, n));
  if (!pool) {
    throw new Error(
      `model '${model.graph.name}': no global pooling (GlobalAveragePool, ReduceMean over H and W, or a pool to 1×1) found; name the feature tensor to cut at`,
    );
  }
  return pool.inputs[0]!;
}

function renameInput(graph: Graph, from: string, to: string): void {
  if (from === to) return;
  for (const node of graph.nodes) node.inputs = node.inputs.map((i) => (i === from ? to : i));
  for (const input of graph.inputs) if (input.name === from) input.name = to;
}

function checkSize(size: [number, number]): void {
  for (const [i, value] of size.entries()) {
    if (!Number.isInteger(value) || value < 1 || value > 8192) throw new Error(`inputSize[${i}] must be an integer from 1 to 8192, got ${value}`);
  }
}

/** Cuts a copy of the backbone at `feature`, with a [batch, C, H, W] input of the given size. */
export function cutBackbone(model: Model, feature: string, inputSize?: [number, number]): CutBackbone {
  const graph = copyGraph(model.graph);
  const imageInputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  const input = imageInputs[0];
  if (imageInputs.length !== 1 || !input || input.shape?.length !== 4) {
    throw new Error(
      `backbone '${model.graph.name}': needs exactly one image input [batch, channels, height, width], found ${imageInputs.map((i) => `${i.name} [${i.shape ?? "?"}]`).join(", ") || "none"}`,
    );
  }
  const declared = [input.shape[2], input.shape[3]];
  const size = inputSize ?? (typeof declared[0] === "number" && typeof declared[1] === "number" ? ([declared[0], declared[1]] as [number, number]) : undefined);
  if (!size) throw new Error(`backbone '${model.graph.name}': its input has no fixed height and width; give inputSize`);
  checkSize(size);
  renameInput(graph, input.name, CLASSIFIER_INPUT);
  input.shape = ["batch", input.shape[1] ?? 3, size[0], size[1]];
  if (!graph.nodes.some((n) => n.outputs.includes(feature)))
    throw new Error(`backbone '${model.graph.name}': no node produces the feature tensor '${feature}'`);
  // The element type is all the cut needs; shapes are inferred afresh at the new size.
  graph.valueInfo.set(feature, { name: feature, dataType: "float32" });
  cutAt(graph, feature);
  const opset = defaultOpset(model);
  inferShapes(graph, opset);
  const shape = shapeOf(graph, feature);
  if (shape?.length !== 4 || !shape.slice(1).every((d) => typeof d === "number" && d > 0)) {
    throw new Error(
      `backbone '${model.graph.name}': feature tensor '${feature}' must be a [batch, C, H, W] map with known C, H, W at input ${size.join("×")}, got [${shape ?? "unknown"}]`,
    );
  }
  return { graph, opset, feature, featureShape: shape.slice(1) as [number, number, number], inputSize: size };
}

/** Ops whose 4-D outputs are [batch, C, H, W] maps in ONNX's layout (not a transposed view). */
const MAP_OPS = new Set(["Conv", "Relu", "Clip", "LeakyRelu", "HardSwish", "Add", "BatchNormalization", "MaxPool", "AveragePool", "Concat", "Mul"]);

/**
 * The feature maps a multi-depth head pools: the last map of each resolution of the body above
 * the feature tensor's (where a stage hands over to the next, lower one; for MobileNetV2 the
 * expanded map entering each stride-2 block), then the feature tensor itself.
 */
export function stageTaps(cut: CutBackbone): FeatureTap[] {
  const [, featureHeight, featureWidth] = cut.featureShape;
  const lastOfSize = new Map<string, FeatureTap>();
  for (const node of cut.graph.nodes) {
    if (!MAP_OPS.has(node.opType)) continue;
    for (const output of node.outputs) {
      const shape = shapeOf(cut.graph, output);
      if (shape?.length !== 4 || !shape.slice(1).every((d) => typeof d === "number" && d > 0)) continue;
      const [channels, height, width] = shape.slice(1) as [number, number, number];
      if (height < featureHeight || width < featureWidth || (height === featureHeight && width === featureWidth)) continue;
      lastOfSize.set(`${height}x${width}`, { tensor: output, shape: [channels, height, width] });
    }
  }
  return [...lastOfSize.values(), { tensor: cut.feature, shape: cut.featureShape }];
}
