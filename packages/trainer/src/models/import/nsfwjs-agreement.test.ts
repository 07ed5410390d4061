import * as tf from "@tensorflow/tfjs";
import type { ModelDefinition } from "nsfwjs";
import { beforeAll, describe, expect, it } from "vitest";
import { maxAbsDifference, runImported, sampleImages, toNhwc } from "../testing/tfjs-compare.ts";
import { loadNsfwjsArtifacts } from "./tfjs-artifacts.ts";

/**
 * Probabilities may differ by float32 rounding between ONNX Runtime and TF.js's CPU kernels
 * (measured: ≈3e-7); 1e-4 leaves room for other CPUs without hiding a wrong weight or layout.
 */
const TOLERANCE = 1e-4;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/**
 * The model exactly as nsfwjs loads it: its own bundle modules (imported, as nsfwjs does) and
 * its own base64 decoding, independent of the importer's strict reader.
 */
async function nsfwjsOwnModel(definition: ModelDefinition): Promise<tf.io.IOHandler> {
  const json = (await definition.modelJson()).default as unknown as Record<string, unknown>;
  const manifest = json.weightsManifest as { weights: tf.io.WeightsManifestEntry[] }[];
  const shards = await Promise.all(definition.weightBundles.map(async (bundle) => Buffer.from((await bundle()).default, "base64")));
  const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
  return {
    load: async () => ({
      modelTopology: json.modelTopology as object,
      format: json.format as string | undefined,
      weightSpecs: manifest.flatMap((g) => g.weights),
      weightData,
    }),
  };
}

// TF.js's CPU backend takes seconds per image at 224 px: two images per model keep this short.
describe("nsfwjs models imported to ONNX match nsfwjs's own predictions", () => {
  it("mobilenet_v2 (Keras layers model, uint8 weights)", async () => {
    const x = await sampleImages(224, 2);
    const actual = await runImported(loadNsfwjsArtifacts("mobilenet_v2"), "layers", x);
    const reference = await tf.loadLayersModel(await nsfwjsOwnModel((await import("nsfwjs/models/mobilenet_v2")).MobileNetV2Model));
    const expected = await (reference.predict(toNhwc(x)) as tf.Tensor).data();
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it("mobilenet_v2_mid (graph model with fused ops)", async () => {
    const x = await sampleImages(224, 2);
    const actual = await runImported(loadNsfwjsArtifacts("mobilenet_v2_mid"), "graph", x);
    const reference = await tf.loadGraphModel(await nsfwjsOwnModel((await import("nsfwjs/models/mobilenet_v2_mid")).MobileNetV2MidModel));
    const expected = await (reference.predict(toNhwc(x)) as tf.Tensor).data();
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
  });
});
