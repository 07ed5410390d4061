import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./builder.ts";
import { evaluateGraph } from "./evaluate.ts";
import { consumers, cutAt, prefixNames, producers, pruneToOutputs, renameTensor, replaceSubgraph, topologicalOrder, uniqueName } from "./graph-tools.ts";
import { attr, int64Tensor, type Graph, type Tensor } from "./ir.ts";
import { inferShapes } from "./shape-inference.ts";
import { randomTensor } from "./testing/shape-check.ts";

/** x → Conv → Relu → GlobalAveragePool → Flatten → Gemm (logits), plus an unused branch. */
function smallCnn(): { graph: Graph; features: string; logits: string; conv: string } {
  const b = new GraphBuilder("cnn");
  const x = b.input("x", "float32", ["batch", 3, 6, 6]);
  const conv = b.op("Conv", [x, b.initializer("conv_w", randomTensor("float32", [4, 3, 3, 3], 3))], { pads: attr.ints([1, 1, 1, 1]) }, { name: "conv" });
  const relu = b.op("Relu", [conv], {}, { name: "relu" });
  const features = b.op("Flatten", [b.op("GlobalAveragePool", [relu], {}, { name: "pool" })], {}, { name: "flatten" });
  const logits = b.op(
    "Gemm",
    [features, b.initializer("fc_w", randomTensor("float32", [4, 5], 4)), b.initializer("fc_b", randomTensor("float32", [5], 5))],
    {},
    { name: "fc" },
  );
  b.output("logits", "float32", ["batch", 5], logits);
  const unused = b.input("unused", "float32", [1]);
  b.op("Neg", [unused], {}, { name: "dead" });
  return { graph: b.build(), features, logits: "logits", conv };
}

const batch = (): Map<string, Tensor> =>
  new Map([
    ["x", randomTensor("float32", [2, 3, 6, 6], 9)],
    ["unused", randomTensor("float32", [1])],
  ]);

describe("topologicalOrder", () => {
  it("orders nodes listed out of order", () => {
    const { graph } = smallCnn();
    graph.nodes.reverse();
    const order = topologicalOrder(graph).map((n) => n.name);
    for (const [before, after] of [
      ["conv", "relu"],
      ["relu", "pool"],
      ["flatten", "fc"],
      ["fc", "logits_identity"],
    ]) {
      expect(order.indexOf(before as string)).toBeLessThan(order.indexOf(after as string));
    }
  });

  it("names the node whose input is never produced", () => {
    const { graph } = smallCnn();
    (graph.nodes.find((n) => n.name === "relu") as Graph["nodes"][number]).inputs = ["missing"];
    expect(() => topologicalOrder(graph)).toThrow("node 'relu' (Relu): input 'missing' is not a graph input");
  });

  it("names a node on a cycle", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [1]);
    const [a] = b.node("Add", [x, x], {}, { name: "a", outputNames: ["ta"] });
    b.node("Relu", [a as string], {}, { name: "r", outputNames: ["tr"] });
    b.node("Neg", ["tr"], {}, { name: "after", outputNames: ["tn"] });
    const graph = b.build();
    (graph.nodes[0] as Graph["nodes"][number]).inputs = ["x", "tr"];
    expect(() => topologicalOrder(graph)).toThrow(/node '(a|r)' \((Add|Relu)\) is on a cycle/);
  });
});

describe("producer and consumer maps", () => {
  it("map tensors to the nodes that write and read them", () => {
    const { graph, conv } = smallCnn();
    expect(producers(graph).get(conv)?.name).toBe("conv");
    expect(
      consumers(graph)
        .get(conv)
        ?.map((n) => n.name),
    ).toEqual(["relu"]);
    expect(
      consumers(graph)
        .get("x")
        ?.map((n) => n.name),
    ).toEqual(["conv"]);
  });
});

describe("pruneToOutputs and cutAt", () => {
  it("drops dead nodes, inputs and initializers, and still computes the same logits", async () => {
    const { graph } = smallCnn();
    const before = await evaluateGraph(graph, batch(), [{ name: "logits", dataType: "float32" }]);
    pruneToOutputs(graph, ["logits"]);
    expect(graph.nodes.map((n) => n.name)).not.toContain("dead");
    expect(graph.inputs.map((i) => i.name)).toEqual(["x"]);
    const after = await evaluateGraph(graph, batch(), graph.outputs);
    expect(after.get("logits")?.data).toEqual(before.get("logits")?.data);
  });

  it("cuts the classifier off at the features, which ORT then computes alone", async () => {
    const { graph, features } = smallCnn();
    inferShapes(graph);
    const full = await evaluateGraph(graph, batch(), [{ name: features, dataType: "float32" }]);
    const output = cutAt(graph, features);
    expect(output).toEqual({ name: features, dataType: "float32", shape: ["batch", 4] });
    expect([...graph.initializers.keys()]).toEqual(["conv_w"]);
    expect(graph.nodes.map((n) => n.name)).toEqual(["conv", "relu", "pool", "flatten"]);
    const cut = await evaluateGraph(graph, batch(), graph.outputs);
    expect(cut.get(features)?.data).toEqual(full.get(features)?.data);
  });

  it("asks for shape inference when an output's type is unknown, and rejects unknown names", () => {
    const { graph, features } = smallCnn();
    expect(() => cutAt(graph, features)).toThrow(`output '${features}': its element type is unknown; run inferShapes`);
    expect(() => pruneToOutputs(graph, ["nope"])).toThrow("'nope' is not a tensor of graph 'cnn'");
  });
});

describe("replaceSubgraph", () => {
  it("replaces Flatten+Gemm by Reshape+MatMul+Add, keeping the output name and values", async () => {
    const { graph, features } = smallCnn();
    const before = await evaluateGraph(graph, batch(), graph.outputs);
    const b = new GraphBuilder(graph);
    const pooled = graph.nodes.find((n) => n.name === "pool")?.outputs[0] as string;
    const shape = b.initializer("head_shape", int64Tensor([2], [0, -1]));
    const insert = [
      { name: "head_reshape", opType: "Reshape", domain: "", inputs: [pooled, shape], outputs: ["head_flat"], attributes: {} },
      { name: "head_matmul", opType: "MatMul", domain: "", inputs: ["head_flat", "fc_w"], outputs: ["head_mm"], attributes: {} },
      { name: "head_add", opType: "Add", domain: "", inputs: ["head_mm", "fc_b"], outputs: ["head_logits"], attributes: {} },
    ];
    const gemmOut = graph.nodes.find((n) => n.name === "fc")?.outputs[0] as string;
    replaceSubgraph(graph, { remove: ["flatten", "fc"], insert, rewire: { [features]: "head_flat", [gemmOut]: "head_logits" } });
    expect(graph.nodes.map((n) => n.opType)).toEqual(["Conv", "Relu", "GlobalAveragePool", "Reshape", "MatMul", "Add", "Identity", "Neg"]);
    const after = await evaluateGraph(graph, batch(), graph.outputs);
    const [want, got] = [before.get("logits")?.data ?? [], after.get("logits")?.data ?? []];
    expect(got.length).toBe(10);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 5);
  });

  it("gives a graph output's name to the tensor that now produces it", async () => {
    const { graph } = smallCnn();
    const identity = graph.nodes.find((n) => n.name === "logits_identity");
    const gemmOut = identity?.inputs[0] as string;
    const insert = [{ name: "softmax", opType: "Softmax", domain: "", inputs: [gemmOut], outputs: ["probs"], attributes: {} }];
    replaceSubgraph(graph, { remove: ["logits_identity"], insert, rewire: { logits: "probs" } });
    expect(graph.nodes.find((n) => n.name === "softmax")?.outputs).toEqual(["logits"]);
    const sums = (await evaluateGraph(graph, batch(), graph.outputs)).get("logits")?.data as Float32Array;
    expect(sums[0]! + sums[1]! + sums[2]! + sums[3]! + sums[4]!).toBeCloseTo(1, 5);
  });

  it("leaves the graph unchanged when the result would read a removed tensor", () => {
    const { graph } = smallCnn();
    const snapshot = structuredClone(graph);
    expect(() => replaceSubgraph(graph, { remove: ["relu"], insert: [] })).toThrow("node 'pool' (GlobalAveragePool): input");
    expect(graph).toEqual(snapshot);
  });
});

describe("names", () => {
  it("uniqueName avoids tensor and node names", () => {
    const { graph } = smallCnn();
    expect(uniqueName(graph, "conv")).toBe("conv_1");
    expect(uniqueName(graph, "head")).toBe("head");
  });

  it("renameTensor renames a feed everywhere, and ORT accepts the new name", async () => {
    const { graph } = smallCnn();
    inferShapes(graph);
    renameTensor(graph, "x", "image");
    expect(graph.valueInfo.has("x")).toBe(false);
    expect(() => renameTensor(graph, "image", "logits")).toThrow("'logits' is already a name");
    const result = await evaluateGraph(
      graph,
      new Map([
        ["image", randomTensor("float32", [1, 3, 6, 6])],
        ["unused", randomTensor("float32", [1])],
      ]),
      graph.outputs,
    );
    expect(result.get("logits")?.dims).toEqual([1, 5]);
  });

  it("prefixNames keeps the listed names and prefixes the rest", () => {
    const { graph } = smallCnn();
    prefixNames(graph, "student/", new Set(["x", "logits"]));
    expect(graph.nodes[0]?.name).toBe("student/conv");
    expect(graph.nodes[0]?.inputs).toEqual(["x", "student/conv_w"]);
    expect(graph.outputs[0]?.name).toBe("logits");
  });
});
