/**
 * ONNX backbone files (torchvision/timm exports): read, check that the graph is complete and
 * takes one NCHW float image, and record the preprocessing the model expects.
 */
import { statSync } from "node:fs";
import { topologicalOrder } from "../../onnx/graph-tools.ts";
import type { Model } from "../../onnx/ir.ts";
import { attr, defaultOpset } from "../../onnx/ir.ts";
import { loadModel } from "../../onnx/serialize.ts";
import type { Preprocessing } from "./preprocessing.ts";
import { readPreprocessing, writePreprocessing } from "./preprocessing.ts";

/** torchvision's ImageNet statistics, the usual normalization of ONNX exports. */
export const IMAGENET_STATS = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;

export interface OnnxImportOptions {
  /** Overrides the normalization (default: the file's metadata, else ImageNet statistics). */
  normalization?: Pick<Preprocessing, "mean" | "std">;
  /** Largest file accepted, in bytes (default 2 GiB, protobuf's own limit). */
  maxBytes?: number;
  /**
   * The file's image layout. Default: NHWC when the one input is [batch, height, width, 1 or 3]
   * and not [batch, 1 or 3, …] (TensorFlow exports such as the ONNX Model Zoo's
   * EfficientNet-Lite4), else NCHW. NHWC files get an NCHW input in front (adaptNhwcInput).
   */
  layout?: "NCHW" | "NHWC";
}

const isChannels = (dim: unknown) => dim === 1 || dim === 3;

/** One rank-4 input whose last axis, not its second, holds the colour channels. */
export function isNhwcImage(model: Model): boolean {
  const feeds = model.graph.inputs.filter((input) => !model.graph.initializers.has(input.name));
  const shape = feeds.length === 1 ? feeds[0]?.shape : undefined;
  return shape?.length === 4 && isChannels(shape[3]) && !isChannels(shape[1]);
}

/**
 * The trainer feeds NCHW images: an NHWC model gets a new NCHW input (same name, open batch)
 * and a Transpose (0, 2, 3, 1) that hands the model the layout it was exported with. The rest of
 * the graph is untouched, so its outputs stay the same for the same image.
 */
export function adaptNhwcInput(model: Model, where: string): void {
  const { graph } = model;
  const input = graph.inputs.find((candidate) => !graph.initializers.has(candidate.name));
  const shape = input?.shape;
  if (!input || shape?.length !== 4 || !isChannels(shape[3])) {
    throw new Error(`${where}: input '${input?.name}' must be an NHWC image [batch, height, width, 3], got [${shape?.map((d) => d ?? "?") ?? "?"}]`);
  }
  const nhwc = `${input.name}__nhwc`;
  for (const node of graph.nodes) node.inputs = node.inputs.map((name) => (name === input.name ? nhwc : name));
  for (const output of graph.outputs) if (output.name === input.name) output.name = nhwc;
  graph.nodes.unshift({
    name: `${input.name}__to_nhwc`,
    opType: "Transpose",
    domain: "",
    inputs: [input.name],
    outputs: [nhwc],
    attributes: { perm: attr.ints([0, 2, 3, 1]) },
  });
  input.shape = [typeof shape[0] === "number" && shape[0] > 1 ? shape[0] : "batch", shape[3]!, shape[1]!, shape[2]!];
  model.metadata["runboard.source_layout"] = "NHWC";
}

export function importOnnx(path: string, options: OnnxImportOptions = {}): Model {
  const size = fileSize(path);
  const maxBytes = options.maxBytes ?? 2 ** 31 - 1;
  if (size > maxBytes) throw new Error(`ONNX file '${path}': ${size} bytes is over the limit of ${maxBytes}`);
  const model = loadModel(path);
  if (options.layout === "NHWC" || (options.layout === undefined && isNhwcImage(model))) adaptNhwcInput(model, path);
  validateBackbone(model, path);
  const input = model.graph.inputs[0];
  const shape = input?.shape ?? [];
  const recorded = readPreprocessing(model);
  const normalization = options.normalization ?? recorded ?? { mean: [...IMAGENET_STATS.mean], std: [...IMAGENET_STATS.std] };
  const height = typeof shape[2] === "number" ? shape[2] : 224;
  const width = typeof shape[3] === "number" ? shape[3] : 224;
  writePreprocessing(model, { input: input?.name ?? "input", size: recorded?.size ?? [height, width], mean: normalization.mean, std: normalization.std });
  return model;
}

function fileSize(path: string): number {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new Error(`ONNX file '${path}': not a regular file`);
    return stats.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`ONNX file '${path}': no such file`);
    throw error;
  }
}

/** One float32 rank-4 image input with 1 or 3 channels, at least one output, every edge produced. */
export function validateBackbone(model: Model, where: string): void {
  const { graph } = model;
  const opset = defaultOpset(model);
  if (opset < 7) throw new Error(`${where}: default-domain opset ${opset} is too old (7 or newer)`);
  if (graph.inputs.length !== 1)
    throw new Error(`${where}: expected one image input, found ${graph.inputs.length} (${graph.inputs.map((i) => i.name).join(", ")})`);
  const input = graph.inputs[0];
  if (input?.dataType !== "float32") throw new Error(`${where}: input '${input?.name}' must be float32, is ${input?.dataType}`);
  const shape = input.shape;
  if (!shape || shape.length !== 4 || (shape[1] !== 3 && shape[1] !== 1)) {
    throw new Error(`${where}: input '${input.name}' must be an NCHW image [batch, 3, height, width], got [${shape?.map((d) => d ?? "?")}]`);
  }
  if (graph.outputs.length === 0) throw new Error(`${where}: the graph has no outputs`);
  const foreign = graph.nodes.find((node) => node.domain !== "" && node.domain !== "ai.onnx");
  if (foreign) throw new Error(`${where}: node '${foreign.name}' uses operator domain '${foreign.domain}'; only the default ONNX domain is supported`);
  try {
    topologicalOrder(graph);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  const produced = new Set([...graph.nodes.flatMap((n) => n.outputs), ...graph.initializers.keys(), input.name]);
  const missing = graph.outputs.find((o) => !produced.has(o.name));
  if (missing) throw new Error(`${where}: output '${missing.name}' is not produced by any node`);
}
