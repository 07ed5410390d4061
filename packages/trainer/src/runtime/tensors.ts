/** Zero-copy conversion between IR tensors (onnx/ir.ts) and ort.Tensor: both wrap the same typed array. */
import * as ort from "onnxruntime-node";
import type { DataType, Tensor, TensorValues } from "../onnx/ir.ts";

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

export function fromOrtTensor(tensor: ort.Tensor, where = "tensor"): Tensor {
  const entry = Object.entries(ORT_TYPES).find(([, type]) => type === tensor.type);
  if (!entry) throw new Error(`${where}: element type '${tensor.type}' is not supported (supported: ${Object.values(ORT_TYPES).join(", ")})`);
  return { dataType: entry[0] as DataType, dims: [...tensor.dims], data: tensor.data as TensorValues };
}
