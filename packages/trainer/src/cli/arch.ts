/**
 * --arch: a zoo name (models/zoo.ts: the bundled ImageNet MobileNetV2, the default; the nsfwjs
 * backbones shipped in npm; random-weight synthetic architectures for trials), a catalog
 * model already pulled into the cache (`catalog:NAME` or NAME; models/catalog), an .onnx file
 * or a .tflite file. Returns the backbone with the input normalization it expects.
 */
import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import type { Normalization } from "../data/index.ts";
import { loadNsfwjsArtifacts, type NsfwjsModelName } from "../models/import/tfjs-artifacts.ts";
import { importTfjsGraphModel } from "../models/import/tfjs-graph.ts";
import { importTfjsLayersModel } from "../models/import/tfjs-layers.ts";
import { readPreprocessing } from "../models/import/preprocessing.ts";
import { importTfliteFile } from "../models/import/tflite-import.ts";
import { catalogLocation, findCatalogEntry, readCatalog } from "../models/catalog/catalog.ts";
import { loadCatalogModel } from "../models/catalog/cache.ts";
import { buildSyntheticModel, syntheticArchitectures } from "../models/synthetic/index.ts";
import { availableZooEntries, isAvailable, isZooName, loadZooModel, nsfwjsModelOf } from "../models/zoo.ts";
import type { Model } from "../onnx/ir.ts";
import { loadModel } from "../onnx/serialize.ts";
import { UsageError } from "./options.ts";

export interface Backbone {
  name: string;
  model: Model;
  normalization: Normalization | "imagenet";
}

/** The backbone used when --arch is not given: bundled with the trainer, so there on any machine. */
export const DEFAULT_ARCH = "mobilenet-v2-imagenet";

/** The zoo models loadable here, in the zoo's order (the default first), then the synthetic architectures. */
export function zooNames(): string[] {
  return [...availableZooEntries().map((e) => e.name), ...Object.keys(syntheticArchitectures).map((a) => `synthetic-${a}`)];
}

function nsfwjs(name: NsfwjsModelName): Model {
  const artifacts = loadNsfwjsArtifacts(name);
  // nsfwjs feeds RGB / 255: mean 0, std 1.
  const options = { name, normalization: { mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] } };
  return artifacts.format === "graph-model" ? importTfjsGraphModel(artifacts, options) : importTfjsLayersModel(artifacts, options);
}

function withOwnNormalization(name: string, model: Model): Backbone {
  const preprocessing = readPreprocessing(model);
  return { name, model, normalization: preprocessing ? { mean: preprocessing.mean, std: preprocessing.std } : "imagenet" };
}

/** `catalog:NAME`, or a bare NAME the catalog knows, loaded from the cache (pulled beforehand). */
function fromCatalog(arch: string): Backbone | undefined {
  const explicit = arch.startsWith("catalog:");
  // A path is never a catalog name: files load without reading the catalog.
  if (!explicit && (/[\\/]/.test(arch) || /\.(onnx|tflite)$/i.test(arch))) return undefined;
  const location = catalogLocation();
  const entry = findCatalogEntry(readCatalog(location.catalogFile), arch);
  if (!entry) {
    if (explicit) throw new UsageError(`--arch: the catalog has no model '${arch.slice("catalog:".length)}' (see 'runboard-train models list')`);
    return undefined;
  }
  try {
    return withOwnNormalization(arch, loadCatalogModel(entry, location.cacheDir));
  } catch (error) {
    throw new UsageError(`--arch: ${(error as Error).message}`);
  }
}

export function loadBackbone(arch: string = DEFAULT_ARCH): Backbone {
  if (isZooName(arch)) {
    if (!isAvailable(arch)) throw new UsageError(`--arch: zoo model '${arch}' is read from the shared models folder, which lacks it on this machine`);
    // nsfwjs: imported as the CLI always has (the package's model name), so backbones and exports stay the same.
    const nsfwjsModel = nsfwjsModelOf(arch);
    return withOwnNormalization(arch, nsfwjsModel ? nsfwjs(nsfwjsModel) : loadZooModel(arch));
  }
  if (arch.startsWith("synthetic-")) {
    return { name: arch, model: buildSyntheticModel(arch.slice("synthetic-".length)).model, normalization: "imagenet" };
  }
  const catalogBackbone = fromCatalog(arch);
  if (catalogBackbone) return catalogBackbone;
  const path = resolve(arch);
  const extension = extname(path).toLowerCase();
  if (extension !== ".onnx" && extension !== ".tflite") {
    throw new UsageError(
      `--arch must be a zoo name (${zooNames().join(", ")}), a pulled catalog model (catalog:NAME) or an .onnx or .tflite file, got '${arch}'`,
    );
  }
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--arch: no such file '${arch}'`);
  return withOwnNormalization(arch, extension === ".onnx" ? loadModel(path) : importTfliteFile(path));
}
