import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { Graph } from "../../onnx/ir.ts";
import { encodeModel } from "../../onnx/serialize.ts";
import type { SyntheticArchitecture, SyntheticOptions } from "./index.ts";
import { buildSyntheticModel, syntheticArchitectures, trainableParameterCount } from "./index.ts";

/** Reference counts (torchvision; Inception v3 without its training-only auxiliary classifier). */
const FULL_SIZE_PARAMETERS: Record<SyntheticArchitecture, number> = {
  resnet18: 11_689_512,
  resnet34: 21_797_672,
  resnet50: 25_557_032,
  "mobilenet-v2": 3_504_872,
  "mobilenet-v3-large": 5_483_032,
  "mobilenet-v3-small": 2_542_856,
  "efficientnet-b0": 5_288_548,
  vgg11: 132_863_336,
  vgg16: 138_357_544,
  "vgg16-bn": 138_365_992,
  densenet121: 7_978_856,
  "inception-v3": 23_834_568,
};

const architectures = Object.keys(syntheticArchitectures) as SyntheticArchitecture[];

function tinyOptions(architecture: SyntheticArchitecture): SyntheticOptions {
  return { numClasses: 5, widthMultiplier: 0.125, depthMultiplier: 0.25, resolution: architecture === "inception-v3" ? 75 : 32, seed: 7 };
}

/** Exposes every intermediate tensor with a recorded shape as an output, so ORT reports its real shape. */
function exposeIntermediates(graph: Graph): Graph {
  const outputs = [...graph.outputs, ...[...graph.valueInfo.values()].filter((v) => !graph.outputs.some((o) => o.name === v.name))];
  return { ...graph, outputs };
}

describe("synthetic models, full size", () => {
  it.each(architectures)("%s has the reference parameter count", (architecture) => {
    const { parameters } = buildSyntheticModel(architecture, { parameterStorage: "inputs" });
    expect(trainableParameterCount(parameters)).toBe(FULL_SIZE_PARAMETERS[architecture]);
  });
});

describe("synthetic models, tiny, in ONNX Runtime", () => {
  it.each(architectures)("%s runs, gives [batch, classes] finite logits, and its recorded shapes are the real ones", async (architecture) => {
    const options = tinyOptions(architecture);
    const { model } = buildSyntheticModel(architecture, options);
    expect(model.opsetImports).toEqual([{ domain: "", version: 17 }]);
    expect(model.graph.inputs).toEqual([{ name: "input", dataType: "float32", shape: ["batch", 3, options.resolution, options.resolution] }]);
    const probe = { ...model, graph: exposeIntermediates(model.graph) };
    const session = await ort.InferenceSession.create(encodeModel(probe), { intraOpNumThreads: 1, interOpNumThreads: 1 });
    try {
      const size = options.resolution as number;
      const pixels = Float32Array.from({ length: 2 * 3 * size * size }, (_, i) => Math.sin(i * 0.37));
      const result = await session.run({ input: new ort.Tensor("float32", pixels, [2, 3, size, size]) });
      const logits = result.logits as ort.Tensor;
      expect(logits.dims).toEqual([2, 5]);
      const values = [...(logits.data as Float32Array)];
      expect(values.every(Number.isFinite)).toBe(true);
      expect(values.slice(0, 5)).not.toEqual(values.slice(5));
      for (const info of model.graph.valueInfo.values()) {
        expect([info.name, (result[info.name] as ort.Tensor).dims]).toEqual([info.name, info.shape?.map((d) => (d === "batch" ? 2 : d))]);
      }
    } finally {
      await session.release();
    }
  });
});

describe("synthetic model weights", () => {
  it("are the same for the same seed and differ for another", () => {
    const first = buildSyntheticModel("mobilenet-v2", { ...tinyOptions("mobilenet-v2"), seed: 1 }).model.graph.initializers;
    const again = buildSyntheticModel("mobilenet-v2", { ...tinyOptions("mobilenet-v2"), seed: 1 }).model.graph.initializers;
    const other = buildSyntheticModel("mobilenet-v2", { ...tinyOptions("mobilenet-v2"), seed: 2 }).model.graph.initializers;
    expect([...again.keys()]).toEqual([...first.keys()]);
    for (const [name, tensor] of first) expect(again.get(name)?.data).toEqual(tensor.data);
    const [name, tensor] = [...first][0] ?? [];
    expect(other.get(name as string)?.data).not.toEqual(tensor?.data);
  });

  it("follow He init: conv weights have variance near 2 / fan_in", () => {
    const { model, parameters } = buildSyntheticModel("resnet18", { numClasses: 5, seed: 3, widthMultiplier: 0.25 });
    const spec = parameters.find((p) => p.name.startsWith("layer4/") && p.role === "weight" && p.dims[2] === 3);
    const data = model.graph.initializers.get(spec?.name ?? "")?.data as Float32Array;
    const fanIn = (spec?.dims ?? []).slice(1).reduce((a, d) => a * d, 1);
    const variance = data.reduce((s, v) => s + v * v, 0) / data.length;
    expect((variance * fanIn) / 2).toBeCloseTo(1, 1);
  });

  it("list every initializer as a parameter, running statistics as not trainable", () => {
    const { model, parameters } = buildSyntheticModel("densenet121", tinyOptions("densenet121"));
    expect(parameters.map((p) => p.name).sort()).toEqual([...model.graph.initializers.keys()].sort());
    for (const p of parameters) expect(p.trainable).toBe(p.role !== "bnMean" && p.role !== "bnVariance");
  });

  it("as graph inputs, allocate nothing and name the feeds", () => {
    const { model, parameters } = buildSyntheticModel("resnet18", { ...tinyOptions("resnet18"), parameterStorage: "inputs" });
    expect(model.graph.initializers.size).toBe(0);
    expect(model.graph.inputs.map((i) => i.name)).toEqual(["input", ...parameters.map((p) => p.name)]);
  });
});

describe("synthetic model options", () => {
  it("are validated with the field named", () => {
    expect(() => buildSyntheticModel("alexnet")).toThrow(/architecture must be one of resnet18/);
    expect(() => buildSyntheticModel("resnet18", { numClasses: 0 })).toThrow(/numClasses must be a positive integer/);
    expect(() => buildSyntheticModel("resnet18", { widthMultiplier: -1 })).toThrow(/widthMultiplier must be a positive number/);
    expect(() => buildSyntheticModel("inception-v3", { resolution: 64 })).toThrow(/resolution must be at least 75/);
    expect(() => buildSyntheticModel("vgg11", { resolution: 16, widthMultiplier: 0.125 })).toThrow(/resolution too small/);
  });
});
