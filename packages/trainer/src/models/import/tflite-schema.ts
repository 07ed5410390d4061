/**
 * Reads the parts of the TensorFlow Lite schema (schema.fbs, "TFL3") that model import needs
 * into plain objects. Slot numbers are the field order of the schema's tables.
 */
import { FlatTable } from "./flatbuffer-table.ts";

export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, INT16: 7, INT8: 9 } as const;

export const BuiltinOperator = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  PAD: 34,
  MEAN: 40,
  SQUEEZE: 43,
  QUANTIZE: 114,
} as const;

export interface Quantization {
  scale: number[];
  zeroPoint: number[];
  /** Axis that per-channel scales run along. */
  quantizedDimension: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: number;
  buffer: number;
  quantization?: Quantization;
}

export interface TfliteOperator {
  index: number;
  opcode: number;
  inputs: number[];
  outputs: number[];
  /** The builtin options table, read by the op converter that knows its layout. */
  options?: FlatTable;
}

export interface TfliteSubgraph {
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteModel {
  version: number;
  description: string;
  subgraphs: TfliteSubgraph[];
  /** Constant data by buffer index; undefined (or empty) for activations. */
  buffers: (Uint8Array | undefined)[];
}

export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  const model = FlatTable.root(bytes, "TFL3", "TFLite model");
  const opcodes = model.tables(1, "operator_codes").map(readOperatorCode);
  const buffers = model.tables(4, "buffers").map((buffer) => readBuffer(buffer, bytes));
  const subgraphs = model.tables(2, "subgraphs").map((subgraph) => readSubgraph(subgraph, opcodes));
  if (subgraphs.length === 0) throw new Error("TFLite model: it has no subgraphs");
  return { version: model.uint(0, 0), description: model.string(3) ?? "", subgraphs, buffers };
}

/** builtin_code (int32) superseded deprecated_builtin_code (int8); the larger one is valid. */
function readOperatorCode(table: FlatTable): number {
  return Math.max(table.byte(0, 0), table.int(3, 0));
}

/** Small models keep data inline; models over 2 GB use offset/size relative to the file start. */
function readBuffer(table: FlatTable, file: Uint8Array): Uint8Array | undefined {
  const inline = table.bytes(0, "data");
  if (inline !== undefined && inline.length > 0) return inline;
  const offset = table.ulong(1, 0);
  const size = table.ulong(2, 0);
  if (offset <= 1) return undefined;
  if (offset + size > file.length) throw new Error(`${table.path}: data at offset ${offset} + ${size} bytes is outside the file`);
  return file.subarray(offset, offset + size);
}

function readSubgraph(table: FlatTable, opcodes: number[]): TfliteSubgraph {
  const tensors = table.tables(0, "tensors").map(readTensor);
  const operators = table.tables(3, "operators").map((op, index) => {
    const opcodeIndex = op.uint(0, 0);
    const opcode = opcodes[opcodeIndex];
    if (opcode === undefined) throw new Error(`${op.path}: opcode_index ${opcodeIndex} is not one of the ${opcodes.length} operator codes`);
    return { index, opcode, inputs: op.int32s(1, "inputs"), outputs: op.int32s(2, "outputs"), options: op.table(4, "builtin_options") };
  });
  const subgraph = { tensors, inputs: table.int32s(1, "inputs"), outputs: table.int32s(2, "outputs"), operators };
  checkTensorIndices(subgraph, table.path);
  return subgraph;
}

function readTensor(table: FlatTable, index: number): TfliteTensor {
  const quantizationTable = table.table(4, "quantization");
  const quantization = quantizationTable ? readQuantization(quantizationTable) : undefined;
  return {
    index,
    name: table.string(3) ?? `tensor_${index}`,
    shape: table.int32s(0, "shape"),
    type: table.byte(1, TensorType.FLOAT32),
    buffer: table.uint(2, 0),
    ...(quantization ? { quantization } : {}),
  };
}

function readQuantization(table: FlatTable): Quantization | undefined {
  const scale = table.float32s(2, "scale");
  if (scale.length === 0) return undefined;
  const zeroPoint = table.int64s(3, "zero_point");
  return { scale, zeroPoint: zeroPoint.length > 0 ? zeroPoint : scale.map(() => 0), quantizedDimension: table.int(6, 0) };
}

function checkTensorIndices(subgraph: TfliteSubgraph, path: string): void {
  const count = subgraph.tensors.length;
  const check = (indices: number[], where: string): void => {
    for (const index of indices) {
      // -1 marks an omitted optional input (e.g. a convolution without bias).
      if (index !== -1 && (index < 0 || index >= count)) throw new Error(`${path}.${where}: tensor index ${index} is outside 0..${count - 1}`);
    }
  };
  check(subgraph.inputs, "inputs");
  check(subgraph.outputs, "outputs");
  for (const op of subgraph.operators) {
    check(op.inputs, `operators[${op.index}].inputs`);
    check(op.outputs, `operators[${op.index}].outputs`);
  }
}

/** The name of a builtin operator code, for error messages. */
export function operatorName(code: number): string {
  const entry = Object.entries(BuiltinOperator).find(([, value]) => value === code);
  return entry ? entry[0] : `builtin operator ${code}`;
}
