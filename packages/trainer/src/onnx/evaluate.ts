/**
 * Runs an IR graph once in ONNX Runtime and returns chosen tensors, intermediate ones
 * included. Used by constant folding and by tests that check the IR against ORT.
 */
import * as ort from "onnxruntime-node";
import { createModel, type DataType, type Graph, type Tensor, type TensorValues, type ValueInfo } from "./ir.ts";
import { encodeModel } from "./serialize.ts";

const ORT_TYPES: Record<DataType, ort.Tensor.Type> = {
  float32: "float32",
  float16: "float16",
  float64: "float64",
  int64: "int64",
  int32: "int32",
  int8: "int8",
  uint8: "uint8",
  bool: "bool",
};

export function toOrtTensor(tensor: Tensor): ort.Tensor {
  return new ort.Tensor(ORT_TYPES[tensor.dataType], tensor.data as ort.Tensor.DataType, tensor.dims);
}

export function fromOrtTensor(value: ort.Tensor): Tensor {
  const dataType = (Object.keys(ORT_TYPES) as DataType[]).find((k) => ORT_TYPES[k] === value.type);
  if (!dataType) throw new Error(`ONNX Runtime returned a tensor of unsupported type ${value.type}`);
  const data = dataType === "bool" ? Uint8Array.from(value.data as Uint8Array) : (value.data as TensorValues);
  return { dataType, dims: [...value.dims], data };
}

export interface EvaluateOptions {
  opset?: number;
  intraOpNumThreads?: number;
}

/**
 * Evaluates `outputs` (each with a known element type) for the given feeds; feeds the graph
 * does not take are ignored. The graph is not modified: a copy declares exactly the requested
 * tensors as its outputs.
 */
export async function evaluateGraph(
  graph: Graph,
  feeds: ReadonlyMap<string, Tensor>,
  outputs: readonly ValueInfo[],
  options: EvaluateOptions = {},
): Promise<Map<string, Tensor>> {
  const copy: Graph = { ...graph, outputs: outputs.map((o) => ({ name: o.name, dataType: o.dataType })), valueInfo: new Map() };
  const session = await ort.InferenceSession.create(encodeModel(createModel(copy, options.opset)), {
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    // ONNX Runtime's own shape inference warns where its kernels disagree with it (MaxPool
    // ceil_mode); the kernels' actual results are what callers get and check.
    logSeverityLevel: 3,
  });
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const input of graph.inputs) {
      const tensor = feeds.get(input.name);
      if (!tensor) throw new Error(`evaluateGraph: no feed for graph input '${input.name}'`);
      ortFeeds[input.name] = toOrtTensor(tensor);
    }
    const result = await session.run(ortFeeds);
    const values = new Map<string, Tensor>();
    for (const { name } of outputs) {
      const value = result[name];
      if (!value) throw new Error(`ONNX Runtime produced no value for '${name}'`);
      values.set(name, fromOrtTensor(value));
    }
    return values;
  } finally {
    await session.release();
  }
}
