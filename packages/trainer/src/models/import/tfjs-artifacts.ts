/**
 * TF.js model artifacts (model.json + weight shards) from a plain folder, or from the nsfwjs
 * npm package, which ships them as base64 inside browserify UMD wrappers. The wrappers are
 * read as data with a strict literal parser, never executed.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import type { JsValue } from "./js-literal.ts";
import { JsLiteralParser } from "./js-literal.ts";
import type { WeightGroup } from "./tfjs-weights.ts";

export interface TfjsArtifacts {
  /** "layers-model" or "graph-model". */
  format: string;
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightGroup[];
  /** All shards of all groups, concatenated in manifest order. */
  weightData: Uint8Array;
}

export const NSFWJS_MODELS = ["mobilenet_v2", "mobilenet_v2_mid", "inception_v3"] as const;
export type NsfwjsModelName = (typeof NSFWJS_MODELS)[number];

// browserify's standalone bundle: module 1's body is `<module>.exports=<literal>}`.
const MODULE_START = /\{1:\[function\((\w+),(\w+),(\w+)\)\{(\w+)\.exports=/;
const MODULE_END = "},{}]},{},[1])(1)});";

/** The literal a browserify UMD file exports. */
export function readUmdExport(path: string): JsValue {
  const text = readFileSync(path, "utf8");
  const match = MODULE_START.exec(text);
  if (!match || match[4] !== match[2]) throw new Error(`${basename(path)}: not a browserify bundle exporting one literal`);
  const parser = new JsLiteralParser(text, match.index + match[0].length, basename(path));
  const value = parser.value();
  parser.expect(MODULE_END);
  return value;
}

export function nsfwjsModelDir(name: NsfwjsModelName): string {
  if (!NSFWJS_MODELS.includes(name)) throw new Error(`nsfwjs model '${name}': must be one of ${NSFWJS_MODELS.join(", ")}`);
  // The package's exports map hides dist/models; its main entry is dist/cjs/index.js.
  const main = createRequire(import.meta.url).resolve("nsfwjs");
  return join(dirname(main), "..", "models", name);
}

export function loadNsfwjsArtifacts(name: NsfwjsModelName): TfjsArtifacts {
  const dir = nsfwjsModelDir(name);
  const modelJson = asRecord(readUmdExport(join(dir, "model.min.js")), "model.min.js");
  return withWeights(modelJson, (path) => {
    const base64 = readUmdExport(join(dir, `${path}.min.js`));
    if (typeof base64 !== "string") throw new Error(`${path}.min.js: expected a base64 string export`);
    return new Uint8Array(Buffer.from(base64, "base64"));
  });
}

/** A standard TF.js folder: model.json and its binary shards beside it. */
export function loadTfjsFolder(dir: string): TfjsArtifacts {
  const modelPath = join(dir, "model.json");
  if (!existsSync(modelPath)) throw new Error(`TF.js model folder '${dir}': model.json is missing`);
  const modelJson = asRecord(JSON.parse(readFileSync(modelPath, "utf8")) as JsValue, "model.json");
  return withWeights(modelJson, (path) => {
    if (path.includes("..") || path.startsWith("/")) throw new Error(`model.json: weight path '${path}' must be a file name in the model folder`);
    return new Uint8Array(readFileSync(join(dir, path)));
  });
}

function withWeights(modelJson: Record<string, JsValue>, readShard: (path: string) => Uint8Array): TfjsArtifacts {
  const topology = asRecord(modelJson.modelTopology ?? null, "model.json modelTopology");
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) throw new Error("model.json: weightsManifest must be a list of weight groups");
  const groups = manifest as unknown as WeightGroup[];
  const shards = groups.flatMap((group, g) => {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new Error(`model.json: weightsManifest[${g}] needs 'paths' and 'weights' lists`);
    return group.paths.map(readShard);
  });
  const weightData = new Uint8Array(shards.reduce((total, shard) => total + shard.length, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.length;
  }
  const format = typeof modelJson.format === "string" ? modelJson.format : "model_config" in topology ? "layers-model" : "graph-model";
  return { format, modelTopology: topology, weightsManifest: groups, weightData };
}

function asRecord(value: JsValue, what: string): Record<string, JsValue> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${what}: expected an object`);
  return value;
}
