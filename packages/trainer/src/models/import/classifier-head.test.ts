import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { GraphBuilder } from "../../onnx/builder.ts";
import type { Model } from "../../onnx/ir.ts";
import { attr, createModel, floatTensor, int64Tensor } from "../../onnx/ir.ts";
import { saveModel } from "../../onnx/serialize.ts";
import { sessionFor } from "../testing/images.ts";
import { cutHead, findClassifierHead } from "./classifier-head.ts";
import { IMAGENET_STATS, importOnnx } from "./onnx-import.ts";
import { readPreprocessing } from "./preprocessing.ts";

let seed = 11;
function values(count: number): number[] {
  return Array.from({ length: count }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  });
}

type HeadStyle = "gemm" | "matmul-add" | "mlp";

/** A torchvision-shaped model: conv → relu → global pool → flatten → classifier (5 classes). */
function backboneWithHead(style: HeadStyle): Model {
  const b = new GraphBuilder("net");
  const x = b.input("input", "float32", ["batch", 3, 8, 8]);
  const w = b.initializer("conv.weight", floatTensor([4, 3, 3, 3], values(108)));
  const conv = b.op("Conv", [x, w], { pads: attr.ints([1, 1, 1, 1]) }, { name: "conv" });
  const pooled = b.op("GlobalAveragePool", [b.op("Relu", [conv])], {}, { name: "avgpool" });
  let logits: string;
  if (style === "gemm") {
    const flat = b.op("Flatten", [pooled], { axis: attr.int(1) }, { name: "flatten" });
    logits = b.op(
      "Gemm",
      [flat, b.initializer("fc.weight", floatTensor([5, 4], values(20))), b.initializer("fc.bias", floatTensor([5], values(5)))],
      { transB: attr.int(1) },
      { name: "fc" },
    );
  } else if (style === "matmul-add") {
    const flat = b.op("Reshape", [pooled, b.initializer("shape", int64Tensor([2], [0, -1]))], {}, { name: "reshape" });
    const product = b.op("MatMul", [flat, b.initializer("fc.weight", floatTensor([4, 5], values(20)))], {}, { name: "fc_matmul" });
    logits = b.op("Softmax", [b.op("Add", [b.initializer("fc.bias", floatTensor([5], values(5))), product], {}, { name: "fc_add" })], { axis: attr.int(1) });
  } else {
    const flat = b.op("Flatten", [pooled], { axis: attr.int(1) }, { name: "flatten" });
    const hidden = b.op("Relu", [b.op("Gemm", [flat, b.initializer("fc1.weight", floatTensor([6, 4], values(24)))], { transB: attr.int(1) }, { name: "fc1" })]);
    const dropped = b.op("Dropout", [hidden], {}, { name: "dropout" });
    logits = b.op("Gemm", [dropped, b.initializer("fc2.weight", floatTensor([5, 6], values(30)))], { transB: attr.int(1) }, { name: "fc2" });
  }
  b.output("logits", "float32", ["batch", 5], logits);
  return createModel(b.build());
}

const image = () => new ort.Tensor("float32", Float32Array.from(values(2 * 3 * 64)), [2, 3, 8, 8]);

describe("findClassifierHead", () => {
  it.each([
    ["gemm", "fc", "flatten_output_0", ["fc", "logits_identity"]],
    ["matmul-add", "fc_matmul", "reshape_output_0", ["fc_matmul", "fc_add", "Softmax", "logits_identity"]],
    ["mlp", "fc2", "flatten_output_0", ["fc1", "Relu_1", "dropout", "fc2", "logits_identity"]],
  ] as const)("finds the %s head after global pooling and flattening", (style, classifier, features, nodes) => {
    const head = findClassifierHead(backboneWithHead(style).graph);
    expect(head.classifier.name).toBe(classifier);
    expect(head.featureTensor).toBe(features);
    expect(head.nodes.map((n) => n.name)).toEqual(nodes);
    expect(head.numClasses).toBe(5);
  });

  it("takes the head's first node by name, and explains when there is no classifier", () => {
    const head = findClassifierHead(backboneWithHead("mlp").graph, { node: "fc2" });
    expect(head.featureTensor).toBe("dropout_output_0");
    expect(head.nodes.map((n) => n.name)).toEqual(["fc2", "logits_identity"]);
    expect(() => findClassifierHead(backboneWithHead("gemm").graph, { node: "nope" })).toThrow(/head node 'nope': no node of that name/);
    const b = new GraphBuilder("no_head");
    const pooled = b.op("GlobalAveragePool", [b.input("input", "float32", [1, 3, 4, 4])]);
    b.output("out", "float32", [1, 3, 1, 1], pooled);
    expect(() => findClassifierHead(b.build())).toThrow(/no Gemm, MatMul or 1×1 Conv classifier before output 'out'; pass the head's first node name/);
  });
});

describe("cutHead", () => {
  it.each(["gemm", "matmul-add", "mlp"] as const)("returns a %s backbone whose features feed the old head to the same logits", async (style) => {
    const model = backboneWithHead(style);
    const backbone = cutHead(model);
    expect(backbone.featureSize).toBe(4);
    expect(backbone.model.graph.outputs).toEqual([{ name: "features", dataType: "float32", shape: ["batch", 4] }]);
    expect(model.graph.outputs[0]?.name).toBe("logits"); // the source model is left as it was
    const x = image();
    const features = (await (await sessionFor(backbone.model)).run({ input: x })).features as ort.Tensor;
    expect(features.dims).toEqual([2, 4]);
    // Feed the features through the original graph from the feature tensor on: same logits.
    const logits = (await (await sessionFor(model)).run({ input: x })).logits?.data as Float32Array;
    const headOnly = await sessionFor(headModel(model, backbone.head.featureTensor));
    const fromFeatures = (await headOnly.run({ features: features })).logits?.data as Float32Array;
    Array.from(logits).forEach((v, i) => expect(fromFeatures[i]).toBeCloseTo(v, 5));
  });
});

/** The part of `model` after `featureTensor`, fed as input "features". */
function headModel(model: Model, featureTensor: string): Model {
  const head = findClassifierHead(model.graph);
  const graph = { ...model.graph, inputs: [{ name: "features", dataType: "float32" as const, shape: ["batch", 4] }], valueInfo: new Map() };
  graph.nodes = [
    { name: "feed", opType: "Identity", domain: "", inputs: ["features"], outputs: [featureTensor], attributes: {} },
    ...model.graph.nodes.filter((n) => head.nodes.includes(n)),
  ];
  return { ...model, graph };
}

describe("importOnnx", () => {
  const dir = mkdtempSync(join(tmpdir(), "onnx-import-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a valid file and records ImageNet normalization unless the file has its own", () => {
    const path = join(dir, "net.onnx");
    saveModel(backboneWithHead("gemm"), path);
    const model = importOnnx(path);
    expect(readPreprocessing(model)).toEqual({ input: "input", size: [8, 8], mean: [...IMAGENET_STATS.mean], std: [...IMAGENET_STATS.std] });
    expect(cutHead(model).featureSize).toBe(4);
  });

  it("rejects missing, corrupt and non-image models with the reason", () => {
    expect(() => importOnnx(join(dir, "missing.onnx"))).toThrow(/no such file/);
    writeFileSync(join(dir, "junk.onnx"), Buffer.from("this is not protobuf at all"));
    expect(() => importOnnx(join(dir, "junk.onnx"))).toThrow(/not an ONNX model/);
    const b = new GraphBuilder("two");
    const sum = b.op("Add", [b.input("a", "float32", [1, 3, 2, 2]), b.input("b", "float32", [1, 3, 2, 2])]);
    b.output("sum", "float32", [1, 3, 2, 2], sum);
    saveModel(createModel(b.build()), join(dir, "two.onnx"));
    expect(() => importOnnx(join(dir, "two.onnx"))).toThrow(/expected one image input, found 2 \(a, b\)/);
    saveModel(backboneWithHead("gemm"), join(dir, "big.onnx"));
    expect(() => importOnnx(join(dir, "big.onnx"), { maxBytes: 100 })).toThrow(/over the limit of 100/);
  });
});
