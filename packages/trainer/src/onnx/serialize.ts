/**
 * Reading and writing ONNX protobuf (ModelProto) to and from the IR in ir.ts.
 * Tensors are always written as raw little-endian bytes, which ONNX Runtime reads fastest.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import onnxProto from "onnx-proto";
import type { Attribute, DataType, Dim, Graph, Model, Node, Tensor, TensorValues, ValueInfo } from "./ir.ts";
import { elementCount, typedArrayFor } from "./ir.ts";

const { onnx } = onnxProto;
type Long = { toNumber(): number };
const TensorDataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

const PROTO_TO_DATA_TYPE: Partial<Record<number, DataType>> = {
  [TensorDataType.FLOAT]: "float32",
  [TensorDataType.FLOAT16]: "float16",
  [TensorDataType.DOUBLE]: "float64",
  [TensorDataType.INT64]: "int64",
  [TensorDataType.INT32]: "int32",
  [TensorDataType.INT8]: "int8",
  [TensorDataType.UINT8]: "uint8",
  [TensorDataType.BOOL]: "bool",
};

const DATA_TYPE_TO_PROTO: Record<DataType, number> = {
  float32: TensorDataType.FLOAT,
  float16: TensorDataType.FLOAT16,
  float64: TensorDataType.DOUBLE,
  int64: TensorDataType.INT64,
  int32: TensorDataType.INT32,
  int8: TensorDataType.INT8,
  uint8: TensorDataType.UINT8,
  bool: TensorDataType.BOOL,
};

function toNumber(value: number | Long | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : value.toNumber();
}

function dataTypeFromProto(code: number | null | undefined, where: string): DataType {
  const dataType = PROTO_TO_DATA_TYPE[code ?? 0];
  if (!dataType) throw new Error(`${where}: unsupported tensor element type ${code} (supported: ${Object.keys(DATA_TYPE_TO_PROTO).join(", ")})`);
  return dataType;
}

export interface LoadOptions {
  /** Folder that external-data file locations are relative to (the model file's folder). */
  externalDataDir?: string;
}

function tensorFromProto(proto: onnxProto.onnx.ITensorProto, options: LoadOptions): Tensor {
  const name = proto.name ?? "";
  const dataType = dataTypeFromProto(proto.dataType, `tensor '${name}'`);
  const dims = (proto.dims ?? []).map(toNumber);
  const count = elementCount(dims);
  const data = typedArrayFor(dataType, count);
  let raw = proto.rawData && proto.rawData.length > 0 ? proto.rawData : undefined;
  if (proto.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    raw = readExternalData(proto, options);
  }
  if (raw) {
    const bytes = data.byteLength;
    if (raw.length !== bytes) throw new Error(`tensor '${name}': raw data has ${raw.length} bytes, its shape [${dims}] needs ${bytes}`);
    new Uint8Array(data.buffer, data.byteOffset, bytes).set(raw);
    return { dataType, dims, data };
  }
  const source: ArrayLike<number | Long> =
    dataType === "float32"
      ? (proto.floatData ?? [])
      : dataType === "float64"
        ? (proto.doubleData ?? [])
        : dataType === "int64"
          ? (proto.int64Data ?? [])
          : (proto.int32Data ?? []);
  if (source.length !== count && !(source.length === 0 && count === 0)) {
    throw new Error(`tensor '${name}': has ${source.length} values, its shape [${dims}] needs ${count}`);
  }
  if (data instanceof BigInt64Array) {
    for (let i = 0; i < count; i++) data[i] = BigInt(toNumber(source[i]));
  } else {
    for (let i = 0; i < count; i++) data[i] = toNumber(source[i]);
  }
  return { dataType, dims, data };
}

function readExternalData(proto: onnxProto.onnx.ITensorProto, options: LoadOptions): Uint8Array {
  const entries = new Map((proto.externalData ?? []).map((e) => [e.key ?? "", e.value ?? ""]));
  const location = entries.get("location");
  if (!location || options.externalDataDir === undefined) {
    throw new Error(`tensor '${proto.name}': stored as external data; load the model from its file so the data file can be found`);
  }
  if (location.includes("..") || location.startsWith("/")) {
    throw new Error(`tensor '${proto.name}': external data location '${location}' must be a plain file name next to the model`);
  }
  const file = readFileSync(join(options.externalDataDir, location));
  const offset = Number(entries.get("offset") ?? 0);
  const length = entries.has("length") ? Number(entries.get("length")) : file.length - offset;
  return file.subarray(offset, offset + length);
}

function tensorToProto(name: string, tensor: Tensor): onnxProto.onnx.ITensorProto {
  const data: TensorValues = tensor.data;
  return {
    name,
    dataType: DATA_TYPE_TO_PROTO[tensor.dataType],
    dims: tensor.dims,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  };
}

function valueInfoFromProto(proto: onnxProto.onnx.IValueInfoProto): ValueInfo {
  const name = proto.name ?? "";
  const tensorType = proto.type?.tensorType;
  if (!tensorType) throw new Error(`value '${name}': only tensor types are supported`);
  const dataType = dataTypeFromProto(tensorType.elemType, `value '${name}'`);
  if (!tensorType.shape) return { name, dataType };
  const shape: Dim[] = (tensorType.shape.dim ?? []).map((d) =>
    d.dimValue !== null && d.dimValue !== undefined && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : d.dimParam ? d.dimParam : null,
  );
  return { name, dataType, shape };
}

function valueInfoToProto(info: ValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: info.name,
    type: {
      tensorType: {
        elemType: DATA_TYPE_TO_PROTO[info.dataType],
        shape: info.shape
          ? { dim: info.shape.map((d) => (typeof d === "number" ? { dimValue: d } : typeof d === "string" ? { dimParam: d } : {})) }
          : undefined,
      },
    },
  };
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

function attributeFromProto(proto: onnxProto.onnx.IAttributeProto, node: string, options: LoadOptions): Attribute {
  switch (proto.type) {
    case AttributeType.INT:
      return { kind: "int", value: toNumber(proto.i) };
    case AttributeType.FLOAT:
      return { kind: "float", value: proto.f ?? 0 };
    case AttributeType.STRING:
      return { kind: "string", value: textDecoder.decode(proto.s ?? new Uint8Array()) };
    case AttributeType.INTS:
      return { kind: "ints", value: (proto.ints ?? []).map(toNumber) };
    case AttributeType.FLOATS:
      return { kind: "floats", value: [...(proto.floats ?? [])] };
    case AttributeType.STRINGS:
      return { kind: "strings", value: (proto.strings ?? []).map((s) => textDecoder.decode(s)) };
    case AttributeType.TENSOR:
      return { kind: "tensor", value: tensorFromProto(proto.t ?? {}, options) };
    case AttributeType.GRAPH:
      return { kind: "graph", value: graphFromProto(proto.g ?? {}, options) };
    default:
      throw new Error(`node '${node}': attribute '${proto.name}' has unsupported type ${proto.type}`);
  }
}

function attributeToProto(name: string, attribute: Attribute): onnxProto.onnx.IAttributeProto {
  switch (attribute.kind) {
    case "int":
      return { name, type: AttributeType.INT, i: attribute.value };
    case "float":
      return { name, type: AttributeType.FLOAT, f: attribute.value };
    case "string":
      return { name, type: AttributeType.STRING, s: textEncoder.encode(attribute.value) };
    case "ints":
      return { name, type: AttributeType.INTS, ints: attribute.value };
    case "floats":
      return { name, type: AttributeType.FLOATS, floats: attribute.value };
    case "strings":
      return { name, type: AttributeType.STRINGS, strings: attribute.value.map((s) => textEncoder.encode(s)) };
    case "tensor":
      return { name, type: AttributeType.TENSOR, t: tensorToProto("", attribute.value) };
    case "graph":
      return { name, type: AttributeType.GRAPH, g: graphToProto(attribute.value) };
  }
}

function nodeFromProto(proto: onnxProto.onnx.INodeProto, index: number, options: LoadOptions): Node {
  const name = proto.name || `${proto.opType}_${index}`;
  const attributes: Record<string, Attribute> = {};
  for (const a of proto.attribute ?? []) attributes[a.name ?? ""] = attributeFromProto(a, name, options);
  return {
    name,
    opType: proto.opType ?? "",
    domain: proto.domain === "ai.onnx" ? "" : (proto.domain ?? ""),
    inputs: [...(proto.input ?? [])],
    outputs: [...(proto.output ?? [])],
    attributes,
  };
}

function graphFromProto(proto: onnxProto.onnx.IGraphProto, options: LoadOptions): Graph {
  const initializers = new Map<string, Tensor>();
  for (const t of proto.initializer ?? []) initializers.set(t.name ?? "", tensorFromProto(t, options));
  const valueInfo = new Map<string, ValueInfo>();
  for (const v of proto.valueInfo ?? []) {
    const info = valueInfoFromProto(v);
    valueInfo.set(info.name, info);
  }
  return {
    name: proto.name ?? "graph",
    nodes: (proto.node ?? []).map((n, i) => nodeFromProto(n, i, options)),
    // Older exporters list initializers among the inputs too; those are not feeds.
    inputs: (proto.input ?? []).filter((i) => !initializers.has(i.name ?? "")).map(valueInfoFromProto),
    outputs: (proto.output ?? []).map(valueInfoFromProto),
    initializers,
    valueInfo,
  };
}

function graphToProto(graph: Graph): onnxProto.onnx.IGraphProto {
  return {
    name: graph.name,
    node: graph.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      input: n.inputs,
      output: n.outputs,
      attribute: Object.entries(n.attributes).map(([name, a]) => attributeToProto(name, a)),
    })),
    input: graph.inputs.map(valueInfoToProto),
    output: graph.outputs.map(valueInfoToProto),
    initializer: [...graph.initializers].map(([name, t]) => tensorToProto(name, t)),
    valueInfo: [...graph.valueInfo.values()].map(valueInfoToProto),
  };
}

/** Decodes ONNX protobuf bytes. Throws with the offending tensor or node named. */
export function decodeModel(bytes: Uint8Array, options: LoadOptions = {}): Model {
  let proto: onnxProto.onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new Error(`not an ONNX model: ${(error as Error).message}`);
  }
  if (!proto.graph) throw new Error("not an ONNX model: it has no graph");
  const metadata: Record<string, string> = {};
  for (const entry of proto.metadataProps ?? []) metadata[entry.key ?? ""] = entry.value ?? "";
  return {
    irVersion: toNumber(proto.irVersion),
    producerName: proto.producerName ?? "",
    opsetImports: (proto.opsetImport ?? []).map((o) => ({ domain: o.domain === "ai.onnx" ? "" : (o.domain ?? ""), version: toNumber(o.version) })),
    graph: graphFromProto(proto.graph, options),
    metadata,
  };
}

export function encodeModel(model: Model): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: model.irVersion,
    producerName: model.producerName,
    opsetImport: model.opsetImports,
    graph: graphToProto(model.graph),
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  }).finish();
}

export function loadModel(path: string): Model {
  return decodeModel(readFileSync(path), { externalDataDir: dirname(path) });
}

export function saveModel(model: Model, path: string): void {
  writeFileSync(path, encodeModel(model));
}
