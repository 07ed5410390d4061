import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { GraphBuilder } from "./builder.ts";
import { createModel, floatTensor, type Model } from "./ir.ts";
import { encodeModel } from "./serialize.ts";
import { loadValidatedModel, ModelValidationError, modelProblems, validateModel } from "./validate.ts";

function validModel(opset = 17): Model {
  const b = new GraphBuilder("classifier");
  const x = b.input("x", "float32", ["batch", 4]);
  const logits = b.op("Gemm", [x, b.initializer("w", floatTensor([4, 3])), b.initializer("b", floatTensor([3]))], {}, { name: "fc" });
  b.output("logits", "float32", ["batch", 3], logits);
  return createModel(b.build(), opset);
}

const folder = mkdtempSync(join(tmpdir(), "validate-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("validateModel", () => {
  it("accepts a well-formed model, which ONNX Runtime also loads", async () => {
    const model = validModel();
    expect(validateModel(model)).toBe(model);
    const session = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
    expect(session.outputNames).toEqual(["logits"]);
    await session.release();
  });

  it("rejects a model without graph inputs", () => {
    const model = validModel();
    const x = model.graph.inputs.pop();
    model.graph.initializers.set(x?.name ?? "", floatTensor([1, 4]));
    expect(() => validateModel(model)).toThrow("graph.inputs: the model has no inputs");
  });

  it("rejects a node input that nothing produces, naming node and input", () => {
    const model = validModel();
    model.graph.nodes[0]?.inputs.splice(1, 1, "fc.weight.missing");
    expect(() => validateModel(model)).toThrow("node 'fc' (Gemm): input 'fc.weight.missing' is never produced");
  });

  it("rejects two producers of one tensor name", () => {
    const model = validModel();
    const fc = model.graph.nodes[0];
    model.graph.nodes.push({ name: "again", opType: "Relu", domain: "", inputs: ["x"], outputs: [...(fc?.outputs ?? [])], attributes: {} });
    expect(() => validateModel(model)).toThrow(`node 'again' (Relu): output name '${fc?.outputs[0]}' is already produced`);
  });

  it("rejects duplicate graph outputs", () => {
    const model = validModel();
    model.graph.outputs.push({ ...(model.graph.outputs[0] as Model["graph"]["outputs"][number]) });
    expect(() => validateModel(model)).toThrow("graph output 'logits': is listed twice");
  });

  it("rejects unsupported element types in a model built elsewhere", () => {
    const model = validModel();
    (model.graph.inputs[0] as { dataType: string }).dataType = "string";
    expect(() => validateModel(model)).toThrow("graph input 'x': element type 'string' is not supported (supported: float32,");
  });

  it("rejects opsets below 11 and models without a default-domain opset", () => {
    expect(() => validateModel(validModel(9))).toThrow("opsetImports: default-domain opset 9 is below 11");
    const model = validModel();
    model.opsetImports = [{ domain: "com.microsoft", version: 1 }];
    expect(() => validateModel(model)).toThrow("opsetImports: declares no default-domain (ai.onnx) opset");
  });

  it("lists every problem at once", () => {
    const model = validModel(10);
    model.graph.nodes[0]?.inputs.splice(0, 1, "nope");
    const problems = modelProblems(model);
    expect(problems.map((p) => p.field)).toEqual(["opsetImports", "node 'fc' (Gemm)"]);
    try {
      validateModel(model);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ModelValidationError);
      expect((error as ModelValidationError).problems).toEqual(problems);
    }
  });
});

describe("loadValidatedModel", () => {
  it("loads and validates an ONNX file", () => {
    const path = join(folder, "ok.onnx");
    writeFileSync(path, encodeModel(validModel()));
    expect(loadValidatedModel(path).graph.nodes.map((n) => n.opType)).toEqual(["Gemm", "Identity"]);
  });

  it("names the file and the tensor whose element type the IR cannot hold", () => {
    const { onnx } = onnxProto;
    const stringType = onnx.TensorProto.DataType.STRING;
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 17 }],
      graph: {
        name: "g",
        node: [{ opType: "Identity", input: ["text"], output: ["same"] }],
        input: [{ name: "text", type: { tensorType: { elemType: stringType, shape: { dim: [{ dimValue: 1 }] } } } }],
        output: [{ name: "same", type: { tensorType: { elemType: stringType } } }],
      },
    }).finish();
    const path = join(folder, "strings.onnx");
    writeFileSync(path, bytes);
    expect(() => loadValidatedModel(path)).toThrow(`ONNX file '${path}': value 'text': unsupported tensor element type ${stringType}`);
  });
});
