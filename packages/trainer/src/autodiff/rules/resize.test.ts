import { describe, expect, it } from "vitest";
import { attr, emptyGraph, floatTensor, type Attribute } from "../../onnx/ir.ts";
import { checkOpCase, type OpCase } from "../testing/op-case.ts";
import { createSession, runSession } from "../testing/ort.ts";
import { randomTensor, seededRandom } from "../testing/values.ts";
import { resizeMatrix, type ResizeMode } from "./resize.ts";

const scales = (values: number[]) => ({ dims: [values.length], values: floatTensor([values.length], values), constant: true });
const sizes = (values: number[]) => ({
  dims: [values.length],
  values: { dataType: "int64" as const, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) },
  constant: true,
});

const modes: [string, Record<string, Attribute>][] = [
  ["nearest, half_pixel, round_prefer_floor (the defaults)", {}],
  ["nearest, asymmetric, floor (PyTorch's nearest)", { coordinate_transformation_mode: attr.string("asymmetric"), nearest_mode: attr.string("floor") }],
  ["linear, half_pixel (PyTorch's bilinear)", { mode: attr.string("linear") }],
  ["linear, align_corners", { mode: attr.string("linear"), coordinate_transformation_mode: attr.string("align_corners") }],
  ["linear, pytorch_half_pixel", { mode: attr.string("linear"), coordinate_transformation_mode: attr.string("pytorch_half_pixel") }],
];

describe("resizeMatrix matches ONNX Runtime's Resize forward", () => {
  it.each(modes)("%s, ×2 up and 5 → 3 down", async (_, attributes) => {
    const mode: ResizeMode = {
      mode: (attributes.mode?.kind === "string" ? attributes.mode.value : "nearest") as ResizeMode["mode"],
      coordinates: (attributes.coordinate_transformation_mode?.kind === "string"
        ? attributes.coordinate_transformation_mode.value
        : "half_pixel") as ResizeMode["coordinates"],
      nearest: (attributes.nearest_mode?.kind === "string" ? attributes.nearest_mode.value : "round_prefer_floor") as ResizeMode["nearest"],
    };
    const [h, w, outH, outW] = [5, 4, 3, 8];
    const graph = emptyGraph("resize");
    graph.inputs.push({ name: "x", dataType: "float32", shape: [1, 1, h, w] });
    graph.initializers.set("sizes", { dataType: "int64", dims: [4], data: BigInt64Array.from([1n, 1n, BigInt(outH), BigInt(outW)]) });
    graph.nodes.push({ name: "resize", opType: "Resize", domain: "", inputs: ["x", "", "", "sizes"], outputs: ["y"], attributes });
    graph.outputs.push({ name: "y", dataType: "float32" });
    const x = randomTensor("uniform", [1, 1, h, w], "float32", seededRandom(3));
    const y = (await runSession(await createSession(graph), new Map([["x", x]]), ["y"])).get("y")!;
    const rows = resizeMatrix({ inSize: h, outSize: outH, scale: outH / h }, mode);
    const columns = resizeMatrix({ inSize: w, outSize: outW, scale: outW / w }, mode);
    for (let o = 0; o < outH; o++) {
      for (let p = 0; p < outW; p++) {
        let expected = 0;
        for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) expected += rows[o * h + i]! * columns[p * w + j]! * Number(x.data[i * w + j]);
        expect(Number(y.data[o * outW + p])).toBeCloseTo(expected, 5);
      }
    }
  });

  it("nearest ×2 with the defaults repeats each cell twice", () => {
    const matrix = resizeMatrix({ inSize: 2, outSize: 4, scale: 2 }, { mode: "nearest", coordinates: "half_pixel", nearest: "round_prefer_floor" });
    expect(Array.from(matrix)).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
    const linear = resizeMatrix({ inSize: 2, outSize: 4, scale: 2 }, { mode: "linear", coordinates: "half_pixel", nearest: "floor" });
    // coordinates −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    expect(Array.from(linear)).toEqual([1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1]);
  });
});

const cases: OpCase[] = [
  ...modes.map(([name, attributes]): OpCase => ({
    name: `${name}, scales ×2`,
    op: "Resize",
    dtype: "float32",
    inputs: [{ dims: [2, 3, 3, 4] }, null, scales([1, 1, 2, 2])],
    attributes,
    eps: 1e-2,
  })),
  ...modes.map(([name, attributes]): OpCase => ({
    name: `${name}, sizes 7×5 → 4×9`,
    op: "Resize",
    dtype: "float32",
    inputs: [{ dims: [1, 2, 7, 5] }, null, null, sizes([1, 2, 4, 9])],
    attributes,
    eps: 1e-2,
  })),
  {
    name: "width only",
    op: "Resize",
    dtype: "float32",
    inputs: [{ dims: [1, 2, 3, 4] }, null, scales([1, 1, 1, 3])],
    attributes: { mode: attr.string("linear") },
  },
];

describe("Resize gradient", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const report = await checkOpCase({ ...testCase, coordinates: 8 });
    expect(report.failures).toEqual([]);
  });

  it("refuses cubic interpolation with a message naming the mode", async () => {
    await expect(
      checkOpCase({
        name: "cubic",
        op: "Resize",
        dtype: "float32",
        inputs: [{ dims: [1, 1, 2, 2] }, null, scales([1, 1, 2, 2])],
        attributes: { mode: attr.string("cubic") },
      }),
    ).rejects.toThrow(/modes nearest and linear, not 'cubic'/);
  });
});
