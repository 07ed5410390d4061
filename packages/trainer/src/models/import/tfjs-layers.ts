/**
 * TF.js layers model (Keras 2 functional or Sequential config) → ONNX IR model with float32
 * weights (uint8 dequantized), NCHW input and preprocessing in the metadata.
 */
import { GraphBuilder } from "../../onnx/builder.ts";
import type { Model } from "../../onnx/ir.ts";
import { createModel } from "../../onnx/ir.ts";
import type { KerasLayer, LayerContext } from "./keras-layers.ts";
import { KERAS_LAYERS } from "./keras-layers.ts";
import type { Value } from "./nchw-emitter.ts";
import { NchwEmitter } from "./nchw-emitter.ts";
import type { Preprocessing } from "./preprocessing.ts";
import { writePreprocessing } from "./preprocessing.ts";
import type { TfjsArtifacts } from "./tfjs-artifacts.ts";
import type { Weight } from "./tfjs-weights.ts";
import { decodeWeights } from "./tfjs-weights.ts";

export interface TfjsImportOptions {
  name?: string;
  /** How pixels map to the model's input: input = (rgb/255 - mean) / std. */
  normalization: Pick<Preprocessing, "mean" | "std">;
}

interface FunctionalLayer extends KerasLayer {
  /** Names of the layers whose outputs feed this one. */
  inbound: string[];
}

export function importTfjsLayersModel(artifacts: TfjsArtifacts, options: TfjsImportOptions): Model {
  const layers = readLayers(artifacts.modelTopology);
  const weights = decodeWeights(artifacts.weightsManifest, artifacts.weightData);
  const builder = new GraphBuilder(options.name ?? "tfjs_layers");
  const ctx: LayerContext = { emitter: new NchwEmitter(builder), weight: (layer, param) => findWeight(weights, layer.name, param) };
  const values = new Map<string, Value>();
  let size: [number, number] = [0, 0];
  for (const layer of layers) {
    if (layer.className === "InputLayer") {
      const [, height, width, channels] = inputShape(layer);
      size = [height, width];
      values.set(layer.name, { name: builder.input("input", "float32", ["batch", channels, height, width]), shape: [1, height, width, channels] });
      continue;
    }
    const convert = KERAS_LAYERS[layer.className];
    if (!convert)
      throw new Error(`layer '${layer.name}': class ${layer.className} is not supported; supported: InputLayer, ${Object.keys(KERAS_LAYERS).join(", ")}`);
    const inputs = layer.inbound.map((name) => {
      const value = values.get(name);
      if (!value) throw new Error(`layer '${layer.name}': input layer '${name}' is not defined before it`);
      return value;
    });
    values.set(layer.name, convert(ctx, layer, inputs));
  }
  const last = values.get(outputLayer(artifacts.modelTopology, layers));
  if (!last) throw new Error("layers model: its output layer produced no value");
  const outputShape = last.shape.length === 4 ? [last.shape[3], last.shape[1], last.shape[2]] : last.shape.slice(1);
  builder.output("output", "float32", ["batch", ...outputShape.map((d) => d ?? null)], last.name);
  const model = createModel(builder.build());
  model.producerName = "runboard tfjs import";
  writePreprocessing(model, { input: "input", size, ...options.normalization });
  return model;
}

function modelConfig(topology: Record<string, unknown>): { className: string; config: unknown } {
  const modelConfig = (topology.model_config ?? topology) as { class_name?: unknown; config?: unknown };
  if (typeof modelConfig.class_name !== "string") throw new Error("layers model: modelTopology.model_config.class_name is missing");
  return { className: modelConfig.class_name, config: modelConfig.config };
}

function readLayers(topology: Record<string, unknown>): FunctionalLayer[] {
  const { className, config } = modelConfig(topology);
  const rawLayers = Array.isArray(config) ? config : (config as { layers?: unknown })?.layers;
  if (!Array.isArray(rawLayers)) throw new Error("layers model: model_config.config.layers must be a list");
  const layers = rawLayers.map((raw, i) => readLayer(raw, i));
  if (className === "Sequential") return sequential(layers);
  if (className !== "Model" && className !== "Functional")
    throw new Error(`layers model: class ${className} is not supported (Model, Functional, Sequential are)`);
  return layers;
}

function readLayer(raw: unknown, index: number): FunctionalLayer {
  const layer = raw as { class_name?: unknown; config?: Record<string, unknown>; name?: unknown; inbound_nodes?: unknown };
  if (typeof layer.class_name !== "string" || !layer.config) throw new Error(`layers model: layers[${index}] needs class_name and config`);
  const name = String(layer.name ?? layer.config.name ?? `layer_${index}`);
  const nodes = Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes : [];
  if (nodes.length > 1) throw new Error(`layer '${name}': shared layers (called ${nodes.length} times) are not supported`);
  const inbound = ((nodes[0] ?? []) as unknown[][]).map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || entry[1] !== 0)
      throw new Error(`layer '${name}': inbound node ${JSON.stringify(entry)} must be [layer, 0, index, kwargs]`);
    return entry[0];
  });
  return { name, className: layer.class_name, config: layer.config, inbound };
}

/** A Sequential model is a chain; its first layer may carry the input shape itself. */
function sequential(layers: FunctionalLayer[]): FunctionalLayer[] {
  const first = layers[0];
  if (!first) throw new Error("layers model: Sequential model has no layers");
  const chain: FunctionalLayer[] = first.className === "InputLayer" ? [] : [{ name: "input", className: "InputLayer", config: first.config, inbound: [] }];
  for (const layer of layers) chain.push({ ...layer, inbound: chain.length === 0 ? [] : [chain[chain.length - 1]?.name ?? ""] });
  return chain;
}

function inputShape(layer: KerasLayer): [null, number, number, number] {
  const shape = layer.config.batch_input_shape;
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.slice(1).every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`layer '${layer.name}': batch_input_shape must be [null, height, width, channels], got ${JSON.stringify(shape)}`);
  }
  if (layer.config.data_format === "channels_first") throw new Error(`layer '${layer.name}': channels_first models are not supported`);
  return shape as [null, number, number, number];
}

function outputLayer(topology: Record<string, unknown>, layers: FunctionalLayer[]): string {
  const { config } = modelConfig(topology);
  const outputs = (config as { output_layers?: unknown })?.output_layers;
  if (Array.isArray(outputs)) {
    if (outputs.length !== 1) throw new Error(`layers model: expected one output layer, found ${outputs.length}`);
    return String((outputs[0] as unknown[])[0]);
  }
  return layers[layers.length - 1]?.name ?? "";
}

/** Keras names weights "<layer>/<param>", sometimes under a model prefix. */
function findWeight(weights: Map<string, Weight>, layer: string, param: string): Weight | undefined {
  const exact = weights.get(`${layer}/${param}`);
  if (exact) return exact;
  const suffix = `/${layer}/${param}`;
  for (const [name, weight] of weights) if (name.endsWith(suffix)) return weight;
  return undefined;
}
