/**
 * A small in-memory graph IR for ONNX models. Plain data, no behaviour: graph tools, shape
 * inference, autodiff and the training-graph builders all read and write these objects.
 * Tensor names are the edges (as in ONNX); a node refers to its inputs and outputs by name.
 */

export type DataType = "float32" | "float16" | "float64" | "int64" | "int32" | "int8" | "uint8" | "bool";

export type TensorValues = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

/** A constant tensor (an initializer, or the value of a Constant node or tensor attribute). */
export interface Tensor {
  dataType: DataType;
  dims: number[];
  /** Row-major values; float16 is kept as raw Uint16Array bits, bool as Uint8Array. */
  data: TensorValues;
}

/** A dimension is a fixed size, a symbolic name ("batch"), or unknown (null). */
export type Dim = number | string | null;

export interface ValueInfo {
  name: string;
  dataType: DataType;
  /** undefined when the rank is unknown. */
  shape?: Dim[];
}

export type Attribute =
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string }
  | { kind: "ints"; value: number[] }
  | { kind: "floats"; value: number[] }
  | { kind: "strings"; value: string[] }
  | { kind: "tensor"; value: Tensor }
  | { kind: "graph"; value: Graph };

export interface Node {
  name: string;
  opType: string;
  /** "" (or "ai.onnx") is the default domain. */
  domain: string;
  /** Input tensor names; "" marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attributes: Record<string, Attribute>;
}

export interface Graph {
  name: string;
  nodes: Node[];
  /** Graph inputs that are not initializers (the feeds). */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Map<string, Tensor>;
  /** Known types and shapes of intermediate tensors. */
  valueInfo: Map<string, ValueInfo>;
}

export interface OpsetImport {
  domain: string;
  version: number;
}

export interface Model {
  irVersion: number;
  producerName: string;
  opsetImports: OpsetImport[];
  graph: Graph;
  metadata: Record<string, string>;
}

/** The opset our builders emit and our gradient rules target. */
export const DEFAULT_OPSET = 17;
export const DEFAULT_IR_VERSION = 8;

export function emptyGraph(name = "graph"): Graph {
  return { name, nodes: [], inputs: [], outputs: [], initializers: new Map(), valueInfo: new Map() };
}

/** A model of the graph: the default domain at `opset`, and version 1 of any other domain its nodes use. */
export function createModel(graph: Graph, opset = DEFAULT_OPSET): Model {
  const domains = new Set(graph.nodes.map((n) => n.domain).filter((d) => d !== "" && d !== "ai.onnx"));
  return {
    irVersion: DEFAULT_IR_VERSION,
    producerName: "runboard",
    opsetImports: [{ domain: "", version: opset }, ...[...domains].map((domain) => ({ domain, version: 1 }))],
    graph,
    metadata: {},
  };
}

/** The default-domain opset version a model declares. */
export function defaultOpset(model: Model): number {
  const entry = model.opsetImports.find((o) => o.domain === "" || o.domain === "ai.onnx");
  return entry?.version ?? DEFAULT_OPSET;
}

export function elementCount(dims: readonly number[]): number {
  let count = 1;
  for (const d of dims) count *= d;
  return count;
}

export function typedArrayFor(dataType: DataType, length: number): TensorValues {
  switch (dataType) {
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
    case "float16":
      return new Uint16Array(length);
    case "int64":
      return new BigInt64Array(length);
    case "int32":
      return new Int32Array(length);
    case "int8":
      return new Int8Array(length);
    case "uint8":
    case "bool":
      return new Uint8Array(length);
  }
}

export function floatTensor(dims: number[], values?: ArrayLike<number>): Tensor {
  const data = new Float32Array(elementCount(dims));
  if (values) data.set(values);
  return { dataType: "float32", dims, data };
}

export function int64Tensor(dims: number[], values: ArrayLike<number | bigint>): Tensor {
  const data = new BigInt64Array(elementCount(dims));
  for (let i = 0; i < data.length; i++) data[i] = BigInt(values[i] ?? 0);
  return { dataType: "int64", dims, data };
}

/** Attribute constructors, so call sites read `attr.ints([1, 1])`. */
export const attr = {
  int: (value: number): Attribute => ({ kind: "int", value }),
  float: (value: number): Attribute => ({ kind: "float", value }),
  string: (value: string): Attribute => ({ kind: "string", value }),
  ints: (value: number[]): Attribute => ({ kind: "ints", value }),
  floats: (value: number[]): Attribute => ({ kind: "floats", value }),
  tensor: (value: Tensor): Attribute => ({ kind: "tensor", value }),
};

export function getInt(node: Node, name: string, fallback: number): number {
  const a = node.attributes[name];
  if (a === undefined) return fallback;
  if (a.kind !== "int") throw new Error(`${node.opType} node '${node.name}': attribute '${name}' must be an int`);
  return a.value;
}

export function getFloat(node: Node, name: string, fallback: number): number {
  const a = node.attributes[name];
  if (a === undefined) return fallback;
  if (a.kind !== "float" && a.kind !== "int") throw new Error(`${node.opType} node '${node.name}': attribute '${name}' must be a float`);
  return a.value;
}

export function getInts(node: Node, name: string): number[] | undefined {
  const a = node.attributes[name];
  if (a === undefined) return undefined;
  if (a.kind !== "ints") throw new Error(`${node.opType} node '${node.name}': attribute '${name}' must be a list of ints`);
  return a.value;
}

export function getString(node: Node, name: string, fallback: string): string {
  const a = node.attributes[name];
  if (a === undefined) return fallback;
  if (a.kind !== "string") throw new Error(`${node.opType} node '${node.name}': attribute '${name}' must be a string`);
  return a.value;
}
