/** Running IR graphs in ONNX Runtime, for gradient tests. */
import * as ort from "onnxruntime-node";
import type { DataType, Graph, Tensor, TensorValues } from "../../onnx/ir.ts";
import { createModel } from "../../onnx/ir.ts";
import { encodeModel } from "../../onnx/serialize.ts";

const ORT_TYPES: Partial<Record<DataType, ort.Tensor.Type>> = {
  float32: "float32",
  float64: "float64",
  int64: "int64",
  int32: "int32",
  bool: "bool",
  uint8: "uint8",
};

export function toOrtTensor(tensor: Tensor): ort.Tensor {
  const type = ORT_TYPES[tensor.dataType];
  if (!type) throw new Error(`no ONNX Runtime tensor type for ${tensor.dataType}`);
  return new ort.Tensor(type, tensor.data as ort.Tensor.DataType, tensor.dims);
}

export function fromOrtTensor(value: ort.Tensor): Tensor {
  const dataType = (Object.keys(ORT_TYPES) as DataType[]).find((k) => ORT_TYPES[k] === value.type);
  if (!dataType) throw new Error(`unexpected ONNX Runtime tensor type ${value.type}`);
  return { dataType, dims: [...value.dims], data: value.data as TensorValues };
}

/** A session over a graph, with one thread: tests run two files at once on two cores. */
export async function createSession(graph: Graph, opset = 17): Promise<ort.InferenceSession> {
  const bytes = encodeModel(createModel(graph, opset));
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

export async function runSession(session: ort.InferenceSession, feeds: ReadonlyMap<string, Tensor>, outputs: readonly string[]): Promise<Map<string, Tensor>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, tensor] of feeds) ortFeeds[name] = toOrtTensor(tensor);
  const result = await session.run(ortFeeds, [...outputs]);
  const values = new Map<string, Tensor>();
  for (const name of outputs) {
    const value = result[name];
    if (!value) throw new Error(`session produced no output '${name}'`);
    values.set(name, fromOrtTensor(value));
  }
  return values;
}
