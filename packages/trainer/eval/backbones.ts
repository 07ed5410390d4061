/**
 * Backbones the evaluation fine-tunes: the ImageNet MobileNetV2 (TFLite, from ../shared/models)
 * and the nsfwjs models installed from npm. Each comes with the normalization it was trained with.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { findRepoRoot, type Normalization } from "../src/data/index.ts";
import { loadNsfwjsArtifacts, type NsfwjsModelName } from "../src/models/import/tfjs-artifacts.ts";
import { importTfjsGraphModel } from "../src/models/import/tfjs-graph.ts";
import { importTfjsLayersModel } from "../src/models/import/tfjs-layers.ts";
import { importTfliteFile } from "../src/models/import/tflite-import.ts";
import { readPreprocessing, UNIT_RANGE } from "../src/models/import/preprocessing.ts";
import type { Model } from "../src/onnx/ir.ts";
import { loadZooModel } from "../src/models/zoo.ts";

export interface Backbone {
  name: string;
  model: Model;
  normalization: Normalization;
  /** [height, width] it was trained at. */
  size: [number, number];
}

export function sharedModelPath(file: string): string | undefined {
  const path = resolve(findRepoRoot(), "..", "shared", "models", file);
  return existsSync(path) ? path : undefined;
}

function withPreprocessing(name: string, model: Model): Backbone {
  const preprocessing = readPreprocessing(model);
  if (!preprocessing) throw new Error(`${name}: the importer recorded no preprocessing`);
  return { name, model, normalization: { mean: preprocessing.mean, std: preprocessing.std }, size: preprocessing.size };
}

/** The ImageNet MobileNetV2 1.0 224 (uint8 TFLite, dequantized), or undefined when ../shared/models is absent. */
export function imagenetMobileNetV2(): Backbone | undefined {
  const path = sharedModelPath("mobilenet_v2_1.0_224_quant.tflite");
  return path ? withPreprocessing("mobilenet_v2_1.0_224 (ImageNet, TFLite)", importTfliteFile(path, { name: "mobilenet_v2" })) : undefined;
}

/** The built-in ImageNet MobileNetV2 (bundled with the trainer: there on every machine). */
export function builtInMobileNetV2(): Backbone {
  const model = loadZooModel("mobilenet-v2-imagenet");
  const preprocessing = readPreprocessing(model);
  if (!preprocessing) throw new Error("mobilenet-v2-imagenet: the importer recorded no preprocessing");
  return {
    name: "mobilenet-v2-imagenet (ImageNet, built in)",
    model,
    normalization: { mean: preprocessing.mean, std: preprocessing.std },
    size: preprocessing.size,
  };
}

export function nsfwjsBackbone(name: NsfwjsModelName): Backbone {
  const artifacts = loadNsfwjsArtifacts(name);
  const options = { name, normalization: { mean: [...UNIT_RANGE.mean], std: [...UNIT_RANGE.std] } as Pick<Backbone["normalization"], "mean" | "std"> };
  const model = name === "mobilenet_v2_mid" ? importTfjsGraphModel(artifacts, options) : importTfjsLayersModel(artifacts, options);
  return withPreprocessing(`nsfwjs ${name}`, model);
}
