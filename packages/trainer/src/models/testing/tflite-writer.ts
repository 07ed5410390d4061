/**
 * Writes small TFLite flatbuffers for tests, with the `flatbuffers` Builder: tensors with
 * buffers and quantization, builtin operators with their options tables.
 */
import { Builder } from "flatbuffers";

export interface TensorSpec {
  name: string;
  shape: number[];
  type: number;
  data?: Uint8Array;
  quantization?: { scale: number[]; zeroPoint: number[]; dimension?: number };
}

export interface OptionField {
  slot: number;
  kind: "int8" | "int32" | "float32";
  value: number;
}

export interface OperatorSpec {
  opcode: number;
  inputs: number[];
  outputs: number[];
  options?: OptionField[];
}

export interface TfliteSpec {
  tensors: TensorSpec[];
  inputs: number[];
  outputs: number[];
  operators: OperatorSpec[];
}

export function writeTflite(spec: TfliteSpec): Uint8Array {
  const b = new Builder(4096);
  const opcodes = [...new Set(spec.operators.map((op) => op.opcode))];
  // Buffer 0 is the empty sentinel, as TFLite writers do.
  const bufferOffsets = [table(b, [])];
  const tensorOffsets = spec.tensors.map((tensor) => {
    let bufferIndex = 0;
    if (tensor.data) {
      const data = b.createByteVector(tensor.data);
      bufferOffsets.push(table(b, [(bb) => bb.addFieldOffset(0, data, 0)]));
      bufferIndex = bufferOffsets.length - 1;
    }
    return writeTensor(b, tensor, bufferIndex);
  });
  const operatorOffsets = spec.operators.map((op) => writeOperator(b, op, opcodes.indexOf(op.opcode)));
  const tensors = offsets(b, tensorOffsets);
  const inputs = int32s(b, spec.inputs);
  const outputs = int32s(b, spec.outputs);
  const operators = offsets(b, operatorOffsets);
  const subgraph = table(b, [
    (bb) => bb.addFieldOffset(0, tensors, 0),
    (bb) => bb.addFieldOffset(1, inputs, 0),
    (bb) => bb.addFieldOffset(2, outputs, 0),
    (bb) => bb.addFieldOffset(3, operators, 0),
  ]);
  const codes = offsets(
    b,
    opcodes.map((code) => table(b, [(bb) => bb.addFieldInt8(0, Math.min(code, 127), 0), (bb) => bb.addFieldInt32(3, code, 0)])),
  );
  const subgraphs = offsets(b, [subgraph]);
  const buffers = offsets(b, bufferOffsets);
  const model = table(b, [
    (bb) => bb.addFieldInt32(0, 3, 0),
    (bb) => bb.addFieldOffset(1, codes, 0),
    (bb) => bb.addFieldOffset(2, subgraphs, 0),
    (bb) => bb.addFieldOffset(4, buffers, 0),
  ]);
  b.finish(model, "TFL3");
  return b.asUint8Array();
}

function writeTensor(b: Builder, tensor: TensorSpec, bufferIndex: number): number {
  const name = b.createString(tensor.name);
  const shape = int32s(b, tensor.shape);
  let quantization = 0;
  if (tensor.quantization) {
    const q = tensor.quantization;
    const scale = vector(b, 4, q.scale, (v) => b.addFloat32(v));
    const zero = vector(b, 8, q.zeroPoint, (v) => b.addInt64(BigInt(v)));
    quantization = table(b, [(bb) => bb.addFieldOffset(2, scale, 0), (bb) => bb.addFieldOffset(3, zero, 0), (bb) => bb.addFieldInt32(6, q.dimension ?? 0, 0)]);
  }
  return table(b, [
    (bb) => bb.addFieldOffset(0, shape, 0),
    (bb) => bb.addFieldInt8(1, tensor.type, 0),
    (bb) => bb.addFieldInt32(2, bufferIndex, 0),
    (bb) => bb.addFieldOffset(3, name, 0),
    (bb) => bb.addFieldOffset(4, quantization, 0),
  ]);
}

function writeOperator(b: Builder, op: OperatorSpec, opcodeIndex: number): number {
  const options = op.options
    ? table(
        b,
        op.options.map((field) => (bb: Builder) => addOption(bb, field)),
      )
    : 0;
  const inputs = int32s(b, op.inputs);
  const outputs = int32s(b, op.outputs);
  return table(b, [
    (bb) => bb.addFieldInt32(0, opcodeIndex, -1),
    (bb) => bb.addFieldOffset(1, inputs, 0),
    (bb) => bb.addFieldOffset(2, outputs, 0),
    (bb) => bb.addFieldInt8(3, options ? 1 : 0, 0),
    (bb) => bb.addFieldOffset(4, options, 0),
  ]);
}

function addOption(b: Builder, field: OptionField): void {
  // A default that can never match, so every given field is written.
  if (field.kind === "int8") b.addFieldInt8(field.slot, field.value, 127);
  else if (field.kind === "int32") b.addFieldInt32(field.slot, field.value, 0x7fffffff);
  else b.addFieldFloat32(field.slot, field.value, NaN);
}

function table(b: Builder, fields: ((b: Builder) => void)[]): number {
  b.startObject(8);
  for (const add of fields) add(b);
  return b.endObject();
}

function vector(b: Builder, size: number, values: number[], add: (v: number) => void): number {
  b.startVector(size, values.length, size);
  for (let i = values.length - 1; i >= 0; i--) add(values[i] ?? 0);
  return b.endVector();
}

function int32s(b: Builder, values: number[]): number {
  return vector(b, 4, values, (v) => b.addInt32(v));
}

function offsets(b: Builder, values: number[]): number {
  return vector(b, 4, values, (v) => b.addOffset(v));
}
