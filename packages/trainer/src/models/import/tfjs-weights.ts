/**
 * Decodes TF.js weight data by its manifest: tensors follow one another in manifest order;
 * quantized ones store uint8/uint16 codes with float = q · scale + min (per tensor) or float16.
 */
import { elementCount } from "../../onnx/ir.ts";
import { halfToFloat } from "./tflite-tensors.ts";

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface Weight {
  shape: number[];
  /** float32 for float tensors (dequantized), int32 for integer ones. */
  values: Float32Array | Int32Array;
}

const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

export function decodeWeights(groups: WeightGroup[], data: Uint8Array): Map<string, Weight> {
  const weights = new Map<string, Weight>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const spec of groups.flatMap((g) => g.weights)) {
    const count = elementCount(spec.shape);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const size = STORED_BYTES[stored];
    if (size === undefined) throw new Error(`weight '${spec.name}': stored dtype '${stored}' is not supported`);
    if (offset + count * size > data.length) {
      throw new Error(`weight '${spec.name}': needs bytes ${offset}..${offset + count * size}, the weight data has ${data.length}`);
    }
    weights.set(spec.name, { shape: spec.shape, values: readValues(view, offset, count, spec) });
    offset += count * size;
  }
  if (offset !== data.length) throw new Error(`weight data has ${data.length} bytes, the manifest describes ${offset}`);
  return weights;
}

function readValues(view: DataView, offset: number, count: number, spec: WeightSpec): Float32Array | Int32Array {
  const q = spec.quantization;
  if (spec.dtype === "int32" && !q) return Int32Array.from({ length: count }, (_, i) => view.getInt32(offset + i * 4, true));
  const out = new Float32Array(count);
  if (!q) {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + i * 4, true);
  } else if (q.dtype === "uint8" || q.dtype === "uint16") {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < count; i++) out[i] = (q.dtype === "uint8" ? view.getUint8(offset + i) : view.getUint16(offset + i * 2, true)) * scale + min;
  } else if (q.dtype === "float16") {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(offset + i * 2, true));
  } else {
    throw new Error(`weight '${spec.name}': quantization dtype '${q.dtype}' is not supported`);
  }
  return out;
}
