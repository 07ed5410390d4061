/**
 * TF.js graph model (frozen TensorFlow graph, BN folded into fused convolutions) → ONNX IR
 * model with float32 weights, NCHW input and preprocessing in the metadata.
 */
import { GraphBuilder } from "../../onnx/builder.ts";
import type { Model } from "../../onnx/ir.ts";
import { createModel } from "../../onnx/ir.ts";
import type { Value } from "./nchw-emitter.ts";
import { NchwEmitter } from "./nchw-emitter.ts";
import { writePreprocessing } from "./preprocessing.ts";
import type { TfjsArtifacts } from "./tfjs-artifacts.ts";
import type { Operand, TfNode } from "./tfjs-graph-ops.ts";
import { TFJS_GRAPH_OPS } from "./tfjs-graph-ops.ts";
import type { TfjsImportOptions } from "./tfjs-layers.ts";
import type { Weight } from "./tfjs-weights.ts";
import { decodeWeights } from "./tfjs-weights.ts";

export function importTfjsGraphModel(artifacts: TfjsArtifacts, options: TfjsImportOptions): Model {
  const nodes = readNodes(artifacts.modelTopology);
  const weights = decodeWeights(artifacts.weightsManifest, artifacts.weightData);
  const builder = new GraphBuilder(options.name ?? "tfjs_graph");
  const emitter = new NchwEmitter(builder);
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const operands = new Map<string, Operand>();
  const placeholders = nodes.filter((node) => node.op === "Placeholder");
  if (placeholders.length !== 1) throw new Error(`graph model: expected one Placeholder input, found ${placeholders.length}`);
  const [height, width, channels] = placeholderShape(placeholders[0] as TfNode);
  operands.set((placeholders[0] as TfNode).name, {
    kind: "value",
    value: { name: builder.input("input", "float32", ["batch", channels, height, width]), shape: [1, height, width, channels] },
  });

  const resolve = (name: string, path: string[]): Operand => {
    const known = operands.get(name);
    if (known) return known;
    const node = byName.get(name);
    if (!node) throw new Error(`graph model: node '${path[path.length - 1]}' reads '${name}', which is not a node`);
    if (path.includes(name)) throw new Error(`graph model: cycle through node '${name}'`);
    const operand = convertNode(
      node,
      weights,
      emitter,
      node.inputs.map((input) => resolve(input, [...path, name])),
    );
    operands.set(name, operand);
    return operand;
  };
  const outputNode = findOutput(nodes);
  const output = resolve(outputNode.name, []);
  if (output.kind !== "value") throw new Error(`graph model: output '${outputNode.name}' is a constant`);
  const shape = output.value.shape.length === 4 ? [output.value.shape[3], output.value.shape[1], output.value.shape[2]] : output.value.shape.slice(1);
  builder.output("output", "float32", ["batch", ...shape.map((d) => d ?? null)], output.value.name);
  const model = createModel(builder.build());
  model.producerName = "runboard tfjs import";
  writePreprocessing(model, { input: "input", size: [height, width], ...options.normalization });
  return model;
}

function convertNode(node: TfNode, weights: Map<string, Weight>, emitter: NchwEmitter, inputs: Operand[]): Operand {
  if (node.op === "Const") {
    const weight = weights.get(node.name);
    if (!weight) throw new Error(`graph model: Const node '${node.name}' has no entry in the weights manifest`);
    return { kind: "const", weight, name: node.name };
  }
  const convert = TFJS_GRAPH_OPS[node.op];
  if (!convert)
    throw new Error(
      `graph model: node '${node.name}': op ${node.op} is not supported; supported: Const, Placeholder, ${Object.keys(TFJS_GRAPH_OPS).join(", ")}`,
    );
  const value: Value = convert(emitter, node, inputs);
  return { kind: "value", value };
}

function readNodes(topology: Record<string, unknown>): TfNode[] {
  const raw = topology.node;
  if (!Array.isArray(raw)) throw new Error("graph model: modelTopology.node must be a list");
  return raw.map((entry, i) => {
    const node = entry as { name?: unknown; op?: unknown; input?: unknown; attr?: unknown };
    if (typeof node.name !== "string" || typeof node.op !== "string") throw new Error(`graph model: node[${i}] needs a name and an op`);
    const inputs = (Array.isArray(node.input) ? node.input : [])
      .map(String)
      .filter((input) => !input.startsWith("^")) // control dependencies carry no data
      .map((input) => input.replace(/:0$/, ""));
    const multiOutput = inputs.find((input) => /:\d+$/.test(input));
    if (multiOutput) throw new Error(`graph model: node '${node.name}' reads output '${multiOutput}'; only first outputs are supported`);
    return { name: node.name, op: node.op, inputs, attr: (node.attr ?? {}) as TfNode["attr"] };
  });
}

function placeholderShape(node: TfNode): [number, number, number] {
  const dims = ((node.attr.shape?.shape as { dim?: { size?: unknown }[] } | undefined)?.dim ?? []).map((d) => Number(d.size ?? -1));
  const [, height, width, channels] = dims;
  if (dims.length !== 4 || ![height, width, channels].every((d) => d !== undefined && d > 0)) {
    throw new Error(`graph model: input '${node.name}' must have shape [batch, height, width, channels], got [${dims}]`);
  }
  return [height as number, width as number, channels as number];
}

/** The node no other node reads (skipping constants): the graph's output. */
function findOutput(nodes: TfNode[]): TfNode {
  const read = new Set(nodes.flatMap((node) => node.inputs));
  const sinks = nodes.filter((node) => node.op !== "Const" && !read.has(node.name));
  if (sinks.length !== 1)
    throw new Error(
      `graph model: expected one output node, found ${sinks.length} (${sinks
        .map((s) => s.name)
        .slice(0, 5)
        .join(", ")})`,
    );
  return sinks[0] as TfNode;
}
