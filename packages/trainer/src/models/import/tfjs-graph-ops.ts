/**
 * One converter per TensorFlow op of TF.js graph models (frozen graphs with fused ops, as the
 * TF.js converter writes them), emitting float32 ONNX nodes on NCHW tensors.
 */
import type { NchwEmitter, Value } from "./nchw-emitter.ts";
import { transpose4 } from "./tflite-tensors.ts";
import type { Weight } from "./tfjs-weights.ts";

export interface TfNode {
  name: string;
  op: string;
  inputs: string[];
  attr: Record<string, Record<string, unknown>>;
}

/** An op's input: a runtime value or a constant from the weights. */
export type Operand = { kind: "value"; value: Value } | { kind: "const"; weight: Weight; name: string };

type OpConverter = (emitter: NchwEmitter, node: TfNode, inputs: Operand[]) => Value;

export function attrInts(node: TfNode, key: string): number[] | undefined {
  const list = node.attr[key]?.list as { i?: unknown[] } | undefined;
  return list?.i?.map(Number);
}

/** String attributes are base64 in model.json ("U0FNRQ==" is "SAME"). */
export function attrStrings(node: TfNode, key: string): string[] {
  const a = node.attr[key];
  const raw = a?.s !== undefined ? [a.s] : ((a?.list as { s?: unknown[] } | undefined)?.s ?? []);
  return raw.map((s) => Buffer.from(String(s), "base64").toString("utf8"));
}

function value(operand: Operand | undefined, node: TfNode, index: number): Value {
  if (operand?.kind !== "value") throw new Error(`${node.op} node '${node.name}': input ${index} must be a computed tensor, not a constant`);
  return operand.value;
}

function constant(operand: Operand | undefined, node: TfNode, index: number): Float32Array {
  if (operand?.kind !== "const" || !(operand.weight.values instanceof Float32Array)) {
    throw new Error(`${node.op} node '${node.name}': input ${index} must be a float constant`);
  }
  return operand.weight.values;
}

function constInts(operand: Operand | undefined, node: TfNode, index: number): number[] {
  if (operand?.kind !== "const") throw new Error(`${node.op} node '${node.name}': input ${index} must be a constant`);
  return Array.from(operand.weight.values, Number);
}

function window(node: TfNode, kernel: [number, number]) {
  const strides = attrInts(node, "strides") ?? [1, 1, 1, 1];
  const dilations = attrInts(node, "dilations") ?? [1, 1, 1, 1];
  const [padding] = attrStrings(node, "padding");
  const format = attrStrings(node, "data_format")[0] ?? "NHWC";
  if (format !== "NHWC") throw new Error(`${node.op} node '${node.name}': data_format ${format} is not supported (NHWC is)`);
  let pads: "same" | "valid" | number[];
  if (padding === "SAME" || padding === "VALID") pads = padding === "SAME" ? "same" : "valid";
  else if (padding === "EXPLICIT") {
    const e = attrInts(node, "explicit_paddings") ?? [];
    pads = [e[2] ?? 0, e[4] ?? 0, e[3] ?? 0, e[5] ?? 0];
  } else throw new Error(`${node.op} node '${node.name}': padding '${padding}' is not SAME, VALID or EXPLICIT`);
  return {
    kernel,
    padding: pads,
    strides: [strides[1] ?? 1, strides[2] ?? 1] as [number, number],
    dilations: [dilations[1] ?? 1, dilations[2] ?? 1] as [number, number],
  };
}

/** Conv2D / DepthwiseConv2dNative, with the fused BiasAdd and activation of their _Fused forms. */
function convolution(depthwise: boolean): OpConverter {
  return (emitter, node, inputs) => {
    const x = value(inputs[0], node, 0);
    const filter = inputs[1];
    if (filter?.kind !== "const") throw new Error(`${node.op} node '${node.name}': the filter must be a constant`);
    const [kh, kw, channelsIn, last] = filter.weight.shape as [number, number, number, number];
    // TF filters are [kh, kw, in, out] (depthwise: [kh, kw, in, multiplier], out = in·M contiguous).
    const oihw = depthwise
      ? transpose4(constant(filter, node, 1), [kh, kw, channelsIn * last, 1], [2, 3, 0, 1])
      : transpose4(constant(filter, node, 1), [kh, kw, channelsIn, last], [3, 2, 0, 1]);
    const fused = attrStrings(node, "fused_ops");
    const bias = fused[0] === "BiasAdd" ? constant(inputs[2], node, 2) : undefined;
    if (fused.length > 0 && fused[0] !== "BiasAdd")
      throw new Error(`${node.op} node '${node.name}': fused ops [${fused}] are not supported (BiasAdd then Relu/Relu6 are)`);
    const y = emitter.conv(x, oihw, bias, window(node, [kh, kw]), depthwise ? channelsIn : 1, node.name);
    return fusedActivation(emitter, node, y, fused[1]);
  };
}

function fusedActivation(emitter: NchwEmitter, node: TfNode, y: Value, activation: string | undefined): Value {
  if (activation === undefined) return y;
  if (activation === "Relu") return emitter.activation(y, "relu", node.name);
  if (activation === "Relu6") return emitter.activation(y, "relu6", node.name);
  throw new Error(`${node.op} node '${node.name}': fused activation ${activation} is not supported (Relu, Relu6 are)`);
}

const matMul: OpConverter = (emitter, node, inputs) => {
  if (node.attr.transpose_a?.b === true) throw new Error(`${node.op} node '${node.name}': transpose_a is not supported`);
  const x = value(inputs[0], node, 0);
  const w = inputs[1];
  if (w?.kind !== "const") throw new Error(`${node.op} node '${node.name}': the weight must be a constant`);
  let [rows, columns] = w.weight.shape as [number, number];
  let kernel = constant(w, node, 1);
  if (node.attr.transpose_b?.b === true) {
    kernel = transpose4(kernel, [1, 1, rows, columns], [0, 1, 3, 2]).data;
    [rows, columns] = [columns, rows];
  }
  const fused = attrStrings(node, "fused_ops");
  const bias = fused[0] === "BiasAdd" ? constant(inputs[2], node, 2) : undefined;
  const y = emitter.dense(x, kernel, [rows, columns], bias, node.name);
  return fusedActivation(emitter, node, y, fused[1]);
};

function binary(opType: "Add" | "Sub" | "Mul" | "Div"): OpConverter {
  return (emitter, node, inputs) => {
    const values = inputs.filter((i): i is Extract<Operand, { kind: "value" }> => i.kind === "value").map((i) => i.value);
    const like = values[0];
    if (!like || inputs.length !== 2) throw new Error(`${node.op} node '${node.name}': needs two inputs, at least one computed`);
    const names = inputs.map((operand, i) =>
      operand.kind === "value"
        ? operand.value.name
        : emitter.constant(constant(operand, node, i), operand.weight.shape, like, `${node.name}/${operand.name.split("/").pop() ?? "const"}`),
    );
    const shape = values.reduce((a, b) => (b.shape.length > a.length ? b.shape : a), like.shape);
    return { name: emitter.builder.op(opType, names, {}, { name: node.name }), shape };
  };
}

function pool(kind: "AveragePool" | "MaxPool"): OpConverter {
  return (emitter, node, inputs) => {
    const ksize = attrInts(node, "ksize") ?? [1, 1, 1, 1];
    const { kernel, strides, padding } = window(node, [ksize[1] ?? 1, ksize[2] ?? 1]);
    return emitter.pool(value(inputs[0], node, 0), kind, { kernel, strides, padding }, node.name);
  };
}

const squeeze: OpConverter = (emitter, node, inputs) => {
  const x = value(inputs[0], node, 0);
  const dims = (attrInts(node, "squeeze_dims") ?? []).map((d) => (d < 0 ? d + x.shape.length : d));
  const shape = x.shape.filter((d, axis) => (dims.length === 0 ? d !== 1 || axis === 0 : !dims.includes(axis)));
  return emitter.reshape(x, shape, node.name);
};

const reshape: OpConverter = (emitter, node, inputs) => {
  const x = value(inputs[0], node, 0);
  const target = constInts(inputs[1], node, 1);
  const total = x.shape.reduce((a, b) => a * b, 1);
  const known = target.reduce((a, b) => (b === -1 ? a : a * b), 1);
  // The batch of the static shapes is 1, so a -1 (usually the batch) resolves here.
  return emitter.reshape(
    x,
    target.map((d) => (d === -1 ? total / known : d)),
    node.name,
  );
};

const mean: OpConverter = (emitter, node, inputs) =>
  emitter.mean(value(inputs[0], node, 0), constInts(inputs[1], node, 1), node.attr.keep_dims?.b === true, node.name);

export const TFJS_GRAPH_OPS: Readonly<Record<string, OpConverter>> = {
  Conv2D: convolution(false),
  _FusedConv2D: convolution(false),
  DepthwiseConv2dNative: convolution(true),
  FusedDepthwiseConv2dNative: convolution(true),
  MatMul: matMul,
  _FusedMatMul: matMul,
  BiasAdd: binary("Add"),
  Add: binary("Add"),
  AddV2: binary("Add"),
  Sub: binary("Sub"),
  Mul: binary("Mul"),
  RealDiv: binary("Div"),
  Relu: (emitter, node, inputs) => emitter.activation(value(inputs[0], node, 0), "relu", node.name),
  Relu6: (emitter, node, inputs) => emitter.activation(value(inputs[0], node, 0), "relu6", node.name),
  Softmax: (emitter, node, inputs) => emitter.activation(value(inputs[0], node, 0), "softmax", node.name),
  AvgPool: pool("AveragePool"),
  MaxPool: pool("MaxPool"),
  Mean: mean,
  Squeeze: squeeze,
  Reshape: reshape,
  Identity: (_emitter, node, inputs) => value(inputs[0], node, 0),
};
