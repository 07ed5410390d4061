/**
 * Whole-network gradient checks: each architecture family, at a tiny size with random weights,
 * differentiated end to end; a few parameters from the stem, the middle and the head are
 * checked against finite differences in float32.
 */
import { describe, expect, it } from "vitest";
import { inferShapes } from "../onnx/shape-inference.ts";
import { buildSyntheticModel, type SyntheticOptions } from "../models/synthetic/index.ts";
import { checkGradients } from "./testing/gradcheck.ts";
import { randomTensor, seededRandom } from "./testing/values.ts";

const families: [string, SyntheticOptions][] = [
  ["resnet18", { resolution: 32 }],
  ["mobilenet-v2", { resolution: 32 }],
  ["mobilenet-v3-small", { resolution: 32 }],
  ["efficientnet-b0", { resolution: 32 }],
  ["vgg11", { resolution: 32 }],
  ["densenet121", { resolution: 32 }],
  ["inception-v3", { resolution: 75 }],
];

/** First, middle and last trainable parameters: the gradient must reach the stem through every block. */
function probedParameters(parameters: { name: string; trainable: boolean }[]): string[] {
  const trainable = parameters.filter((p) => p.trainable).map((p) => p.name);
  return [...new Set([trainable[0]!, trainable[Math.floor(trainable.length / 2)]!, trainable.at(-2)!, trainable.at(-1)!])];
}

describe("whole-network gradients", () => {
  it.each(families)("%s", async (architecture, options) => {
    const { model, parameters } = buildSyntheticModel(architecture, { numClasses: 3, widthMultiplier: 0.125, depthMultiplier: 0.25, seed: 1, ...options });
    const graph = model.graph;
    inferShapes(graph);
    const size = options.resolution!;
    const input = randomTensor("uniform", [2, 3, size, size], "float32", seededRandom(4));
    const report = await checkGradients({
      graph,
      output: "logits",
      feeds: new Map([["input", input]]),
      wrt: probedParameters(parameters),
      eps: 1e-3,
      rtol: 5e-2,
      atol: 2e-3,
      relativeAtol: 0.05,
      // Single weights only: moving a whole stem at once crosses ReLU and max-pool kinks somewhere.
      coordinates: 4,
      directions: 0,
    });
    expect(report.failures).toEqual([]);
  });
});
