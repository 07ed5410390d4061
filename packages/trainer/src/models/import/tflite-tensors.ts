/**
 * Constant TFLite tensors as float32 or integer arrays: dequantization of uint8/int8/int32
 * weights (per tensor or per channel: real = scale[c] * (q - zeroPoint[c])), and the
 * layout changes from TFLite's NHWC/OHWI to ONNX's NCHW/OIHW.
 */
import { elementCount } from "../../onnx/ir.ts";
import type { Quantization, TfliteModel, TfliteTensor } from "./tflite-schema.ts";
import { TensorType } from "./tflite-schema.ts";

const BYTES_PER_ELEMENT: Partial<Record<number, number>> = {
  [TensorType.FLOAT32]: 4,
  [TensorType.FLOAT16]: 2,
  [TensorType.INT32]: 4,
  [TensorType.UINT8]: 1,
  [TensorType.INT64]: 8,
  [TensorType.INT16]: 2,
  [TensorType.INT8]: 1,
};

/** The raw bytes of a constant tensor, checked against its shape and type. */
export function constantBytes(model: TfliteModel, tensor: TfliteTensor): Uint8Array {
  const bytes = model.buffers[tensor.buffer];
  if (bytes === undefined || bytes.length === 0)
    throw new Error(`tensor ${tensor.index} '${tensor.name}': expected constant data, its buffer ${tensor.buffer} is empty`);
  const size = BYTES_PER_ELEMENT[tensor.type];
  if (size === undefined) throw new Error(`tensor ${tensor.index} '${tensor.name}': element type ${tensor.type} is not supported`);
  const needed = elementCount(tensor.shape) * size;
  if (bytes.length !== needed)
    throw new Error(`tensor ${tensor.index} '${tensor.name}': buffer has ${bytes.length} bytes, shape [${tensor.shape}] needs ${needed}`);
  return bytes;
}

export function isConstant(model: TfliteModel, tensor: TfliteTensor): boolean {
  const bytes = model.buffers[tensor.buffer];
  return bytes !== undefined && bytes.length > 0;
}

/** A constant tensor's values as float32, dequantized when it is an integer type with scales. */
export function dequantize(model: TfliteModel, tensor: TfliteTensor): Float32Array {
  const bytes = constantBytes(model, tensor);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = elementCount(tensor.shape);
  const raw = new Float32Array(count);
  const read = elementReader(view, tensor);
  for (let i = 0; i < count; i++) raw[i] = read(i);
  if (tensor.type === TensorType.FLOAT32 || tensor.type === TensorType.FLOAT16) return raw;
  if (!tensor.quantization) throw new Error(`tensor ${tensor.index} '${tensor.name}': integer weights without quantization parameters`);
  return applyScales(raw, tensor.shape, tensor.quantization, `tensor ${tensor.index} '${tensor.name}'`);
}

/** A constant integer tensor (shapes, axes, paddings) as plain numbers. */
export function constantInts(model: TfliteModel, tensor: TfliteTensor): number[] {
  if (tensor.type !== TensorType.INT32 && tensor.type !== TensorType.INT64) {
    throw new Error(`tensor ${tensor.index} '${tensor.name}': expected int32 or int64 values, got type ${tensor.type}`);
  }
  const bytes = constantBytes(model, tensor);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = elementReader(view, tensor);
  return Array.from({ length: elementCount(tensor.shape) }, (_, i) => read(i));
}

function elementReader(view: DataView, tensor: TfliteTensor): (i: number) => number {
  switch (tensor.type) {
    case TensorType.FLOAT32:
      return (i) => view.getFloat32(i * 4, true);
    case TensorType.FLOAT16:
      return (i) => halfToFloat(view.getUint16(i * 2, true));
    case TensorType.INT32:
      return (i) => view.getInt32(i * 4, true);
    case TensorType.INT64:
      return (i) => Number(view.getBigInt64(i * 8, true));
    case TensorType.INT16:
      return (i) => view.getInt16(i * 2, true);
    case TensorType.UINT8:
      return (i) => view.getUint8(i);
    case TensorType.INT8:
      return (i) => view.getInt8(i);
    default:
      throw new Error(`tensor ${tensor.index} '${tensor.name}': element type ${tensor.type} is not supported`);
  }
}

function applyScales(raw: Float32Array, shape: number[], q: Quantization, where: string): Float32Array {
  const channels = q.scale.length;
  if (channels === 1) {
    const scale = q.scale[0] ?? 1;
    const zero = q.zeroPoint[0] ?? 0;
    return raw.map((v) => scale * (v - zero));
  }
  const axisSize = shape[q.quantizedDimension];
  if (axisSize !== channels) throw new Error(`${where}: ${channels} per-channel scales, but dimension ${q.quantizedDimension} has size ${axisSize}`);
  // Elements of one channel repeat every `inner` values along the quantized axis.
  const inner = elementCount(shape.slice(q.quantizedDimension + 1));
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const channel = Math.floor(i / inner) % channels;
    out[i] = (q.scale[channel] ?? 1) * ((raw[i] ?? 0) - (q.zeroPoint[channel] ?? 0));
  }
  return out;
}

/** IEEE 754 half precision bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Reorders a rank-4 array from dims order [a,b,c,d] by `perm` (output dim i = input dim perm[i]). */
export function transpose4(data: Float32Array, dims: number[], perm: [number, number, number, number]): { data: Float32Array; dims: number[] } {
  const [d0, d1, d2, d3] = dims as [number, number, number, number];
  const strides = [d1 * d2 * d3, d2 * d3, d3, 1];
  const outDims = perm.map((p) => dims[p] ?? 1);
  const [o0, o1, o2, o3] = outDims as [number, number, number, number];
  const s = perm.map((p) => strides[p] ?? 0) as [number, number, number, number];
  const out = new Float32Array(data.length);
  let k = 0;
  for (let a = 0; a < o0; a++) {
    for (let b = 0; b < o1; b++) {
      for (let c = 0; c < o2; c++) {
        const base = a * s[0] + b * s[1] + c * s[2];
        for (let d = 0; d < o3; d++) out[k++] = data[base + d * s[3]] ?? 0;
      }
    }
  }
  return { data: out, dims: outDims };
}

/** NHWC axis → NCHW axis (negative axes counted from the end first). */
export function nchwAxis(axis: number, rank: number): number {
  const positive = axis < 0 ? axis + rank : axis;
  return rank === 4 ? ([0, 2, 3, 1][positive] ?? positive) : positive;
}

/** TensorFlow's SAME padding: output ceil(in/stride), the odd pixel of padding goes after. */
export function samePadding(inputSize: number, kernel: number, stride: number, dilation: number): [number, number] {
  const outputSize = Math.ceil(inputSize / stride);
  const effectiveKernel = (kernel - 1) * dilation + 1;
  const total = Math.max((outputSize - 1) * stride + effectiveKernel - inputSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
