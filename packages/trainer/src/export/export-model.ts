/**
 * One self-contained inference ONNX file: a single NCHW float32 "input" with a dynamic batch,
 * a single "probabilities" output (softmax over the class logits), every weight an initializer,
 * constants folded, only default-domain ops at opset ≤ 17 (what onnxruntime-web runs), and the
 * class names and preprocessing in the metadata.
 */
import { rename, rm, writeFile } from "node:fs/promises";
import type { PipelineOptions } from "../data/index.ts";
import { resolvePipeline } from "../data/index.ts";
import { foldConstants, producers, pruneToOutputs } from "../onnx/index.ts";
import type { Graph, Model } from "../onnx/ir.ts";
import { attr, DEFAULT_IR_VERSION, defaultOpset } from "../onnx/ir.ts";
import { inferShapes, shapeOf } from "../onnx/shape-inference.ts";
import { encodeModel } from "../onnx/serialize.ts";
import type { Conversion } from "../convert/conversion.ts";
import { type ExportMetadata, metadataEntries, readExportMetadata } from "./metadata.ts";

export const EXPORT_INPUT = "input";
export const EXPORT_OUTPUT = "probabilities";
/** onnxruntime-web's highest fully supported opset for the ops we emit. */
export const MAX_EXPORT_OPSET = 17;

export interface ExportOptions {
  classes: readonly string[];
  /** The validation preprocessing (augmentation is ignored). */
  preprocessing: PipelineOptions;
  /** Backbone and head, e.g. "mobilenet_v2_1.0_224 + fastai head". */
  architecture: string;
  /** Default: now. */
  createdAt?: Date;
  /** The conversion that made the training images (readConversion of the dataset), replayed on raw inputs at predict. */
  conversion?: Conversion;
}

export function copyGraph(graph: Graph): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs] })),
    inputs: graph.inputs.map((v) => ({ ...v, shape: v.shape ? [...v.shape] : undefined })),
    outputs: graph.outputs.map((v) => ({ ...v })),
    initializers: new Map(graph.initializers),
    valueInfo: new Map(),
  };
}

/** The one image feed, renamed to "input" with shape [batch, 3, height, width]. */
export function prepareInput(graph: Graph, height: number, width: number): void {
  const feeds = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  const image = feeds[0];
  if (feeds.length !== 1 || !image) {
    throw new Error(
      `model: an exported model takes exactly one input (the image); found ${feeds.map((f) => `'${f.name}'`).join(", ") || "none"}. Bake parameter values in first (Trainer.exportModel)`,
    );
  }
  const [, channels, h, w] = image.shape ?? [];
  if (image.shape?.length !== 4 || image.dataType !== "float32" || (channels !== 3 && typeof channels === "number")) {
    throw new Error(`model: input '${image.name}' must be float32 [batch, 3, height, width], got ${image.dataType} [${image.shape ?? "?"}]`);
  }
  if ((typeof h === "number" && h !== height) || (typeof w === "number" && w !== width)) {
    throw new Error(`preprocessing.size: ${width}×${height} does not match the model input ${w}×${h} (width×height)`);
  }
  for (const node of graph.nodes) node.inputs = node.inputs.map((i) => (i === image.name ? EXPORT_INPUT : i));
  graph.inputs = [{ name: EXPORT_INPUT, dataType: "float32", shape: ["batch", 3, height, width] }];
}

/** The class logits: the "logits" output, else the first output, seen through Identity and a final Softmax. */
export function logitsTensor(graph: Graph): string {
  const output = graph.outputs.find((o) => o.name === "logits") ?? graph.outputs[0];
  if (!output) throw new Error("model: it has no outputs");
  const producedBy = producers(graph);
  let name = output.name;
  let producer = producedBy.get(name);
  while (producer?.opType === "Identity") {
    name = producer.inputs[0]!;
    producer = producedBy.get(name);
  }
  return producer?.opType === "Softmax" ? producer.inputs[0]! : output.name;
}

export function checkPortable(graph: Graph, opset: number): void {
  if (opset > MAX_EXPORT_OPSET)
    throw new Error(`model: opset ${opset} is above ${MAX_EXPORT_OPSET}, the highest onnxruntime-web runs; build the model at opset ${MAX_EXPORT_OPSET}`);
  const custom = graph.nodes.find((n) => n.domain !== "" && n.domain !== "ai.onnx");
  if (custom) throw new Error(`model: node '${custom.name}' is a custom op (${custom.domain}::${custom.opType}); exported models use standard ONNX ops only`);
}

export async function exportInferenceModel(model: Model, options: ExportOptions): Promise<Model> {
  const pipeline = resolvePipeline({ ...options.preprocessing, augment: false });
  const opset = defaultOpset(model);
  const graph = copyGraph(model.graph);
  checkPortable(graph, opset);
  prepareInput(graph, pipeline.size.height, pipeline.size.width);
  const logits = logitsTensor(graph);
  if (logits === EXPORT_OUTPUT) throw new Error(`model: its logits tensor is named '${EXPORT_OUTPUT}', the name reserved for the exported output`);
  inferShapes(graph, opset);
  pruneToOutputs(graph, [logits]);
  const classes = shapeOf(graph, logits)?.[1];
  if (classes !== options.classes.length)
    throw new Error(`classes: ${options.classes.length} names given for a model with ${classes ?? "an unknown number of"} outputs`);
  graph.nodes.push({ name: "softmax", opType: "Softmax", domain: "", inputs: [logits], outputs: [EXPORT_OUTPUT], attributes: { axis: attr.int(-1) } });
  graph.outputs = [{ name: EXPORT_OUTPUT, dataType: "float32", shape: ["batch", classes] }];
  await foldConstants(graph, { opset });
  graph.valueInfo = new Map();
  const metadata: ExportMetadata = {
    classes: [...options.classes],
    inputSize: pipeline.size,
    resize: pipeline.resize,
    normalization: pipeline.normalization,
    alpha: pipeline.alpha,
    architecture: options.architecture,
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    ...(options.conversion ? { conversion: options.conversion } : {}),
  };
  return {
    irVersion: DEFAULT_IR_VERSION,
    producerName: "runboard",
    opsetImports: [{ domain: "", version: opset }],
    graph: { ...graph, name: "classifier" },
    // Read back through the reader, so an export is never written that predictFiles would refuse.
    metadata: checkedEntries(metadata),
  };
}

function checkedEntries(metadata: ExportMetadata): Record<string, string> {
  const entries = metadataEntries(metadata);
  readExportMetadata(entries, "export");
  if (metadata.architecture.trim() === "") throw new Error("architecture: name the backbone and head (a non-empty string)");
  return entries;
}

/** Writes the model to a temporary file beside `path`, then renames it: no half-written file stays. */
export async function saveInferenceModel(model: Model, path: string): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    await writeFile(temporary, encodeModel(model));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
