import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./builder.ts";
import { attr, createModel, floatTensor } from "./ir.ts";
import { decodeModel, encodeModel } from "./serialize.ts";

async function runGraph(builder: GraphBuilder, feeds: Record<string, ort.Tensor>) {
  const bytes = encodeModel(createModel(builder.build()));
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe("GraphBuilder names", () => {
  it("scopes names and makes repeated names unique, deterministically", () => {
    const build = () => {
      const b = new GraphBuilder("g");
      const x = b.input("x", "float32", ["batch", 2]);
      const outs = b.scope("layer1", () => [b.op("Relu", [x]), b.op("Relu", [x]), b.scope("inner", () => b.op("Relu", [x]))]);
      return { graph: b.build(), outs };
    };
    const first = build();
    expect(first.graph.nodes.map((n) => n.name)).toEqual(["layer1/Relu", "layer1/Relu_1", "layer1/inner/Relu"]);
    expect(first.outs).toEqual(["layer1/Relu_output_0", "layer1/Relu_1_output_0", "layer1/inner/Relu_output_0"]);
    expect(build().graph).toEqual(first.graph);
  });

  it("scopes initializer names and never reuses one", () => {
    const b = new GraphBuilder();
    const w1 = b.scope("fc", () => b.initializer("weight", floatTensor([1], [1])));
    const w2 = b.scope("fc", () => b.initializer("weight", floatTensor([1], [2])));
    expect([w1, w2]).toEqual(["fc/weight", "fc/weight_1"]);
    expect(b.build().initializers.get(w2)?.data[0]).toBe(2);
  });

  it("continues an existing graph without clashing with its names", () => {
    const first = new GraphBuilder();
    const x = first.input("x", "float32", [1]);
    first.op("Relu", [x]);
    const second = new GraphBuilder(first.build());
    const y = second.op("Relu", [x]);
    expect(y).toBe("Relu_1_output_0");
    expect(second.build().nodes).toHaveLength(2);
  });

  it("rejects unknown inputs, reused exact names and empty names, naming them", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [1]);
    expect(() => b.op("Relu", ["nope"])).toThrow(/Relu node: input 0 'nope'/);
    expect(() => b.input("x", "float32", [1])).toThrow(/'x' is already used/);
    expect(() => b.node("Relu", [x], {}, { outputNames: ["x"] })).toThrow(/'x' is already used/);
    expect(() => b.input("", "float32", [1])).toThrow(/must not be empty/);
    expect(() => b.output("missing", "float32")).toThrow(/output 'missing'/);
    expect(() => b.node("Split", [x], {}, { outputs: 0 })).toThrow(/outputs must be a positive integer/);
  });
});

describe("GraphBuilder graphs run in ONNX Runtime", () => {
  it("computes relu(x·W + b) with initializers and a renamed output", async () => {
    const b = new GraphBuilder("dense");
    const x = b.input("x", "float32", ["batch", 3]);
    const w = b.initializer("W", floatTensor([3, 2], [1, -1, 2, 0, -3, 1]));
    const bias = b.initializer("B", floatTensor([2], [0.5, -0.5]));
    const y = b.op("Relu", [b.op("Add", [b.op("MatMul", [x, w]), bias])]);
    b.output("y", "float32", ["batch", 2], y);
    const input = [1, 2, 3, -1, 0, 1];
    const result = await runGraph(b, { x: new ort.Tensor("float32", Float32Array.from(input), [2, 3]) });
    const expected: number[] = [];
    for (let row = 0; row < 2; row++) {
      for (let col = 0; col < 2; col++) {
        let sum = [0.5, -0.5][col] as number;
        for (let k = 0; k < 3; k++) sum += (input[row * 3 + k] as number) * ([1, -1, 2, 0, -3, 1][k * 2 + col] as number);
        expected.push(Math.max(0, sum));
      }
    }
    expect([...(result.y?.data as Float32Array)]).toEqual(expected);
  });

  it("emits int64 and float constants and multi-output nodes", async () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2, 3]);
    const flat = b.op("Reshape", [x, b.int64s([6])]);
    const scaled = b.op("Mul", [flat, b.scalar(2)]);
    const [left, right] = b.node("Split", [scaled, b.int64s([2, 4])], { axis: attr.int(0) }, { outputs: 2 });
    const picked = b.op("Gather", [right as string, b.int64Scalar(1)], { axis: attr.int(0) });
    b.output(left as string, "float32", [2]);
    b.output("picked", "float32", [], picked);
    const result = await runGraph(b, { x: new ort.Tensor("float32", Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]) });
    expect([...(result[left as string]?.data as Float32Array)]).toEqual([2, 4]);
    expect([...(result.picked?.data as Float32Array)]).toEqual([8]);
  });

  it("survives an encode/decode round trip unchanged", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", ["batch", 4]);
    b.scope("block", () => b.output("y", "float32", ["batch", 4], b.op("Relu", [x])));
    const graph = b.build();
    const decoded = decodeModel(encodeModel(createModel(graph))).graph;
    expect(decoded.nodes).toEqual(graph.nodes);
    expect(decoded.inputs).toEqual(graph.inputs);
    expect(decoded.outputs).toEqual(graph.outputs);
  });
});
