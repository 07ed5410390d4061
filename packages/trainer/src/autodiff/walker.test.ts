import { describe, expect, it } from "vitest";
import { attr, emptyGraph, type Graph, type Node } from "../onnx/ir.ts";
import { inferShapes } from "../onnx/shape-inference.ts";
import { buildBackward, UnsupportedOpError } from "./index.ts";
import type { RuleEntry } from "./rule.ts";
import { gradientRules } from "./rules/registry.ts";
import { checkGradients } from "./testing/gradcheck.ts";
import { randomTensor, seededRandom } from "./testing/values.ts";

const node = (name: string, opType: string, inputs: string[], outputs: string[], attributes: Node["attributes"] = {}): Node => ({
  name,
  opType,
  domain: "",
  inputs,
  outputs,
  attributes,
});

/** x → backbone (Gemm, Relu) → head (Gemm) → mean: the transfer-learning shape. */
function backboneAndHead(): Graph {
  const random = seededRandom(5);
  const graph = emptyGraph("transfer");
  graph.inputs.push({ name: "x", dataType: "float64", shape: [3, 4] });
  graph.initializers.set("backbone.w", randomTensor("uniform", [4, 5], "float64", random));
  graph.initializers.set("head.w", randomTensor("uniform", [5, 2], "float64", random));
  graph.initializers.set("head.b", randomTensor("uniform", [2], "float64", random));
  graph.nodes.push(
    node("backbone/gemm", "Gemm", ["x", "backbone.w"], ["features_linear"]),
    node("backbone/relu", "Relu", ["features_linear"], ["features"]),
    node("head/gemm", "Gemm", ["features", "head.w", "head.b"], ["logits"]),
    node("loss/mean", "ReduceMean", ["logits"], ["loss"], { keepdims: attr.int(0) }),
  );
  graph.outputs.push({ name: "loss", dataType: "float64", shape: [] });
  inferShapes(graph);
  return graph;
}

describe("buildBackward", () => {
  it("emits no backward nodes for a frozen backbone", () => {
    const graph = backboneAndHead();
    const forwardCount = graph.nodes.length;
    const { gradients } = buildBackward(graph, { loss: "loss", wrt: ["head.w", "head.b"] });
    const backward = graph.nodes.slice(forwardCount);
    expect([...gradients.keys()]).toEqual(["head.w", "head.b"]);
    expect(backward.length).toBeGreaterThan(0);
    expect(backward.filter((n) => n.name.startsWith("backbone/"))).toEqual([]);
    // The head's input (the backbone's features) needs no gradient either.
    expect(backward.filter((n) => n.name.endsWith("/dA"))).toEqual([]);
  });

  it("differentiates through the backbone when it is trained", () => {
    const graph = backboneAndHead();
    const forwardCount = graph.nodes.length;
    buildBackward(graph, { loss: "loss", wrt: ["backbone.w", "head.w"] });
    const names = graph.nodes.slice(forwardCount).map((n) => n.name);
    expect(names).toContain("backbone/relu_grad/dX");
    expect(names).toContain("backbone/gemm_grad/dB");
    expect(names).not.toContain("backbone/gemm_grad/dA");
  });

  it("gives gradients of initializers that match finite differences", async () => {
    const graph = backboneAndHead();
    graph.outputs = [{ name: "logits", dataType: "float64" }];
    const x = randomTensor("awayFromZero", [3, 4], "float64", seededRandom(9));
    const report = await checkGradients({ graph, output: "logits", feeds: new Map([["x", x]]), wrt: ["backbone.w", "head.w", "head.b"] });
    expect(report.failures).toEqual([]);
  });

  it("sums the gradients of a tensor used several times", async () => {
    const graph = emptyGraph("fan-in");
    graph.inputs.push({ name: "x", dataType: "float64", shape: [2, 3] });
    graph.nodes.push(node("square", "Mul", ["x", "x"], ["x2"]), node("tanh", "Tanh", ["x"], ["t"]), node("sum", "Add", ["x2", "t"], ["y"]));
    graph.outputs.push({ name: "y", dataType: "float64" });
    inferShapes(graph);
    const x = randomTensor("uniform", [2, 3], "float64", seededRandom(2));
    const report = await checkGradients({ graph, output: "y", feeds: new Map([["x", x]]), wrt: ["x"] });
    expect(report.failures).toEqual([]);
    expect(graph.nodes.filter((n) => n.opType === "Sum").map((n) => n.inputs.length)).toEqual([3]);
  });

  it("throws UnsupportedOpError naming the op and the node", () => {
    const graph = emptyGraph();
    graph.inputs.push({ name: "x", dataType: "float32", shape: [4] });
    graph.nodes.push(node("my/sin", "Sin", ["x"], ["e"]), node("total", "ReduceSum", ["e"], ["loss"], { keepdims: attr.int(0) }));
    inferShapes(graph);
    const attempt = () => buildBackward(graph, { loss: "loss", wrt: ["x"] });
    expect(attempt).toThrow(UnsupportedOpError);
    expect(attempt).toThrow(/Sin node 'my\/sin'/);
  });

  it("does not ask for rules of ops off the path to the loss", () => {
    const graph = backboneAndHead();
    graph.nodes.splice(1, 0, node("side/sin", "Sin", ["features_linear"], ["unused"]));
    expect(() => buildBackward(graph, { loss: "loss", wrt: ["backbone.w"] })).not.toThrow();
  });

  it("validates its options", () => {
    expect(() => buildBackward(backboneAndHead(), { loss: "nope", wrt: ["head.w"] })).toThrow(/options.loss: 'nope'/);
    expect(() => buildBackward(backboneAndHead(), { loss: "logits", wrt: ["head.w"] })).toThrow(/must be a scalar/);
    expect(() => buildBackward(backboneAndHead(), { loss: "loss", wrt: ["features"] })).toThrow(/options.wrt: 'features' is neither/);
    expect(() => buildBackward(backboneAndHead(), { loss: "loss", wrt: [] })).toThrow(/options.wrt/);
  });

  it("lets the checker catch a wrong rule", async () => {
    const rules = gradientRules as Record<string, RuleEntry>;
    const correct = rules.Tanh!;
    rules.Tanh = { backward: (ctx) => [ctx.gradOut(0)] };
    try {
      const graph = emptyGraph();
      graph.inputs.push({ name: "x", dataType: "float64", shape: [3] });
      graph.nodes.push(node("tanh", "Tanh", ["x"], ["y"]));
      graph.outputs.push({ name: "y", dataType: "float64" });
      const x = randomTensor("uniform", [3], "float64", seededRandom(1));
      const report = await checkGradients({ graph, output: "y", feeds: new Map([["x", x]]), wrt: ["x"] });
      expect(report.failures.length).toBeGreaterThan(0);
    } finally {
      rules.Tanh = correct;
    }
  });
});
