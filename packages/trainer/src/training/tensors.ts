/** Moving float32 values between ONNX Runtime tensors and IR tensors without copying. */
import * as ort from "onnxruntime-node";
import type { Tensor } from "../onnx/ir.ts";

/** An IR tensor viewing the same memory as a float32 ORT tensor. */
export function irTensorOf(tensor: ort.Tensor, name: string): Tensor {
  if (tensor.type !== "float32") throw new Error(`tensor '${name}': expected float32, got ${tensor.type}`);
  return { dataType: "float32", dims: [...tensor.dims], data: tensor.data as Float32Array };
}

/** An ORT tensor with a copy of an IR float32 tensor's values (the model's arrays stay untouched). */
export function ortTensorOf(tensor: Tensor, name: string): ort.Tensor {
  if (tensor.dataType !== "float32") throw new Error(`tensor '${name}': expected float32, got ${tensor.dataType}`);
  return new ort.Tensor("float32", Float32Array.from(tensor.data as Float32Array), [...tensor.dims]);
}

export function zeros(dims: readonly number[]): ort.Tensor {
  return new ort.Tensor("float32", new Float32Array(dims.reduce((a, d) => a * d, 1)), [...dims]);
}

export function scalar(value: number): ort.Tensor {
  return new ort.Tensor("float32", Float32Array.of(value), []);
}
