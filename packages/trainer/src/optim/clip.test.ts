import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { createModel, emptyGraph } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { emitGlobalNormClip } from "./clip.ts";
import { randomValues } from "./testing/reference.ts";

async function clip(gradients: number[][], maxNorm: number): Promise<{ clipped: number[][]; norm: number }> {
  const graph = emptyGraph("clip");
  const names = gradients.map((_, i) => `g${i}`);
  names.forEach((name, i) => graph.inputs.push({ name, dataType: "float32", shape: [gradients[i]!.length] }));
  const result = emitGlobalNormClip(graph, names, maxNorm);
  for (const name of [...result.gradients.values(), result.norm]) graph.outputs.push({ name, dataType: "float32" });
  const session = await ort.InferenceSession.create(encodeModel(createModel(graph)), { intraOpNumThreads: 1 });
  const feeds = Object.fromEntries(names.map((name, i) => [name, new ort.Tensor("float32", Float32Array.from(gradients[i]!), [gradients[i]!.length])]));
  const out = await session.run(feeds);
  await session.release();
  return {
    clipped: names.map((name) => Array.from(out[result.gradients.get(name)!]!.data as Float32Array)),
    norm: (out[result.norm]!.data as Float32Array)[0]!,
  };
}

const globalNorm = (gradients: number[][]) => Math.sqrt(gradients.flat().reduce((sum, g) => sum + g * g, 0));

describe("gradient clipping by global norm", () => {
  const gradients = [randomValues(3, 10).map((g) => g * 4), randomValues(4, 7), randomValues(5, 1)];

  it("scales all gradients together so the global norm is at most maxNorm", async () => {
    const before = globalNorm(gradients);
    const { clipped, norm } = await clip(gradients, 1.5);
    expect(norm).toBeCloseTo(before, 4);
    expect(before).toBeGreaterThan(1.5);
    expect(globalNorm(clipped)).toBeLessThanOrEqual(1.5 + 1e-5);
    expect(globalNorm(clipped)).toBeGreaterThan(1.5 - 1e-4);
    // One coefficient for all: directions are kept.
    const coefficient = 1.5 / (before + 1e-6);
    clipped.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(gradients[i]![j]! * coefficient, 5)));
  });

  it("leaves gradients alone when their norm is already below maxNorm", async () => {
    const { clipped } = await clip(gradients, 100);
    clipped.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(gradients[i]![j]!, 6)));
  });

  it("rejects a non-positive maxNorm", () => {
    expect(() => emitGlobalNormClip(emptyGraph(), ["g"], 0)).toThrow(/maxNorm must be a finite number > 0/);
  });
});
