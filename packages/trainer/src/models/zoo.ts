/**
 * The built-in model zoo: names → pretrained backbones, the one list the CLI (`--arch`), the
 * worker and the API resolve zoo names through. The ImageNet MobileNetV2 is bundled with this
 * package (`models/mobilenet-v2-imagenet/`) and the nsfwjs models ship in an npm package (MIT):
 * both are there on any machine. The MobileNetV1 embedding extractor is read from the shared
 * models folder (`../shared/models` from the repository root, or a folder given) when it is
 * present.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Model } from "../onnx/ir.ts";
import { elementCount } from "../onnx/ir.ts";
import type { Backbone } from "./import/classifier-head.ts";
import { cutHead, featuresAt } from "./import/classifier-head.ts";
import type { Preprocessing } from "./import/preprocessing.ts";
import { SIGNED_UNIT_RANGE, UNIT_RANGE } from "./import/preprocessing.ts";
import type { NsfwjsModelName } from "./import/tfjs-artifacts.ts";
import { loadNsfwjsArtifacts } from "./import/tfjs-artifacts.ts";
import { importTfjsGraphModel } from "./import/tfjs-graph.ts";
import { importTfjsLayersModel } from "./import/tfjs-layers.ts";
import { importTfliteFile } from "./import/tflite-import.ts";

export interface ZooEntry {
  name: string;
  family: string;
  /** [height, width] */
  inputSize: [number, number];
  /** input = (rgb/255 - mean) / std */
  normalization: Pick<Preprocessing, "mean" | "std">;
  /** float32 weight values of the imported model (BatchNorm statistics included). */
  parameterCount: number;
  /** Features per image once the classifier head is cut. */
  featureSize: number;
  pretrainedOn: string;
  license: string;
  /** "bundled": a file in this package; "npm": an npm package; "shared": the shared models folder (may be absent). */
  source: "bundled" | "npm" | "shared";
  /** The format the weights are read from. */
  format: "tflite" | "tfjs-layers" | "tfjs-graph";
}

interface ZooLoader extends ZooEntry {
  /** File name in the shared models folder ("shared" entries) or path under this package's models/ folder ("bundled" entries). */
  file?: string;
  /** The nsfwjs package model, for "npm" entries. */
  nsfwjsModel?: NsfwjsModelName;
  load(modelsDir: string): Model;
  /** The backbone: the head cut off, or (for embedding extractors) the output itself. */
  backbone(model: Model): Omit<Backbone, "head">;
}

const UNIT = { mean: [...UNIT_RANGE.mean], std: [...UNIT_RANGE.std] } as Pick<Preprocessing, "mean" | "std">;
// The quantized TFLite input maps 0..255 to (q - 128) / 128.
const TFLITE_QUANTIZED = { mean: [128 / 255, 128 / 255, 128 / 255], std: [128 / 255, 128 / 255, 128 / 255] } as Pick<Preprocessing, "mean" | "std">;

/** The folder of the weights bundled with this package (models/ beside src/). */
const BUNDLED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../models");
const MOBILENET_V2_FILE = "mobilenet-v2-imagenet/mobilenet_v2_1.0_224_quant.tflite";

function nsfwjs(name: NsfwjsModelName, kind: "layers" | "graph", entry: Omit<ZooEntry, "normalization" | "license" | "source" | "format">): ZooLoader {
  return {
    ...entry,
    normalization: UNIT,
    license: "MIT (nsfwjs)",
    source: "npm",
    format: kind === "graph" ? "tfjs-graph" : "tfjs-layers",
    nsfwjsModel: name,
    load: () => (kind === "graph" ? importTfjsGraphModel : importTfjsLayersModel)(loadNsfwjsArtifacts(name), { name: entry.name, normalization: UNIT }),
    backbone: (model) => cutHead(model),
  };
}

const LOADERS: ZooLoader[] = [
  // The default backbone (--arch): first, and always available.
  {
    name: "mobilenet-v2-imagenet",
    family: "MobileNetV2 (width 1.0)",
    inputSize: [224, 224],
    normalization: TFLITE_QUANTIZED,
    parameterCount: 3_489_097,
    featureSize: 1280,
    pretrainedOn: "ImageNet (1001 classes, index 0 = background); uint8 weights dequantized",
    license: "Apache-2.0 (Coral test data)",
    source: "bundled",
    format: "tflite",
    file: MOBILENET_V2_FILE,
    load: () => importTfliteFile(join(BUNDLED_DIR, MOBILENET_V2_FILE), { name: "mobilenet-v2-imagenet" }),
    backbone: (model) => cutHead(model),
  },
  nsfwjs("mobilenet_v2", "layers", {
    name: "nsfwjs-mobilenet-v2",
    family: "MobileNetV2 (width 1.0)",
    inputSize: [224, 224],
    parameterCount: 2_619_461,
    featureSize: 1280,
    pretrainedOn: "ImageNet up to block_10; block_11 onward and the 256-128-5 head retrained on nsfwjs's 5 classes",
  }),
  nsfwjs("mobilenet_v2_mid", "graph", {
    name: "nsfwjs-mobilenet-v2-mid",
    family: "MobileNetV2 (width 1.4)",
    inputSize: [224, 224],
    parameterCount: 4_300_775,
    featureSize: 1792,
    pretrainedOn: "ImageNet, then fine-tuned on nsfwjs's 5 classes (BatchNorm folded)",
  }),
  nsfwjs("inception_v3", "layers", {
    name: "nsfwjs-inception-v3",
    family: "InceptionV3",
    inputSize: [299, 299],
    parameterCount: 22_378_085,
    featureSize: 2048,
    pretrainedOn: "ImageNet up to mixed5; later blocks and the 256-128-5 head retrained on nsfwjs's 5 classes",
  }),
  {
    name: "mobilenet-v1-embedding",
    family: "MobileNetV1 (width 1.0)",
    inputSize: [224, 224],
    normalization: TFLITE_QUANTIZED,
    parameterCount: 3_196_032,
    featureSize: 1024,
    pretrainedOn: "ImageNet; classifier removed (embedding extractor for on-device transfer learning)",
    license: "Apache-2.0 (Coral test data)",
    source: "shared",
    format: "tflite",
    file: "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
    load: (dir) => importTfliteFile(join(dir, "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"), { name: "mobilenet-v1-embedding" }),
    backbone: (model) => featuresAt(model, model.graph.outputs[0]?.name ?? "output"),
  },
];

/** `../shared/models` from the repository root. */
export function defaultSharedModelsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../shared/models");
}

function describeEntry(loader: ZooLoader): ZooEntry {
  const { load: _load, backbone: _backbone, file: _file, nsfwjsModel: _nsfwjsModel, ...entry } = loader;
  return entry;
}

/** Every zoo model, available or not. */
export function zooEntries(): ZooEntry[] {
  return LOADERS.map(describeEntry);
}

/** npm and bundled entries always are; shared ones when their file is in `modelsDir`. */
export function isAvailable(name: string, modelsDir = defaultSharedModelsDir()): boolean {
  const loader = findLoader(name);
  return loader.source !== "shared" || loader.file === undefined || existsSync(join(modelsDir, loader.file));
}

/** The zoo models that can be loaded on this machine. */
export function availableZooEntries(modelsDir = defaultSharedModelsDir()): ZooEntry[] {
  return LOADERS.filter((loader) => isAvailable(loader.name, modelsDir)).map(describeEntry);
}

/** The full pretrained model (with its original head), as an ONNX IR model. */
export function loadZooModel(name: string, modelsDir = defaultSharedModelsDir()): Model {
  const loader = findLoader(name);
  if (!isAvailable(name, modelsDir)) throw new Error(`zoo model '${name}': file ${loader.file} is not in ${modelsDir}`);
  const model = loader.load(modelsDir);
  model.metadata["runboard.zoo_name"] = name;
  return model;
}

/** The backbone of a zoo model: output "features" of shape [batch, featureSize]. */
export function loadZooBackbone(name: string, modelsDir = defaultSharedModelsDir()): Omit<Backbone, "head"> {
  return findLoader(name).backbone(loadZooModel(name, modelsDir));
}

export function countParameters(model: Model): number {
  let count = 0;
  for (const tensor of model.graph.initializers.values()) if (tensor.dataType === "float32") count += elementCount(tensor.dims);
  return count;
}

/** Whether `name` is a zoo model (available here or not). */
export function isZooName(name: string): boolean {
  return LOADERS.some((l) => l.name === name);
}

/** The nsfwjs package model behind a zoo name; undefined for the other entries. */
export function nsfwjsModelOf(name: string): NsfwjsModelName | undefined {
  return findLoader(name).nsfwjsModel;
}

function findLoader(name: string): ZooLoader {
  const loader = LOADERS.find((l) => l.name === name);
  if (!loader) throw new Error(`zoo model '${name}': unknown; known models: ${LOADERS.map((l) => l.name).join(", ")}`);
  return loader;
}
