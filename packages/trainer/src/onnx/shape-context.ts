/**
 * What a shape rule sees of its node: input types, shapes and known values, and a way to
 * record output types and shapes. Known values are small integer tensors (rank 0 or 1) whose
 * contents are known, possibly symbolically: they come from initializers, Constant nodes and
 * Shape→Gather→Concat chains, and let Reshape, Expand and friends infer exact shapes.
 */
import type { DataType, Dim, Graph, Node, Tensor, ValueInfo } from "./ir.ts";

export interface ShapeContext {
  readonly node: Node;
  readonly opset: number;
  /** Where messages name the node: "Conv node 'conv1'". */
  readonly where: string;
  hasInput(index: number): boolean;
  inputType(index: number): DataType | undefined;
  inputShape(index: number): Dim[] | undefined;
  /** Values of an integer input of rank ≤ 1, fixed or symbolic; undefined when not known. */
  inputValues(index: number): Dim[] | undefined;
  /** Values of an integer input when all of them are fixed numbers. */
  inputInts(index: number): number[] | undefined;
  /** Values of a constant input of any numeric type (initializer or Constant output). */
  inputConstant(index: number): number[] | undefined;
  setOutput(index: number, dataType: DataType, shape?: Dim[]): void;
  /** Records the values of an integer output of rank ≤ 1 (data propagation). */
  setOutputValues(index: number, values: Dim[]): void;
  /** Records a constant output (Constant node): type, shape and values. */
  setOutputConstant(index: number, tensor: Tensor): void;
}

export type ShapeRule = (ctx: ShapeContext) => void;

/** Per-run state shared by the contexts of all nodes of one graph. */
export interface InferenceState {
  graph: Graph;
  opset: number;
  infos: Map<string, ValueInfo>;
  constants: Map<string, Tensor>;
  values: Map<string, Dim[]>;
}

/** Largest integer tensor whose values are tracked; shapes and axes lists are tiny. */
const MAX_TRACKED_VALUES = 64;

export function valuesOfTensor(tensor: Tensor): Dim[] | undefined {
  if (tensor.dataType !== "int64" && tensor.dataType !== "int32") return undefined;
  if (tensor.dims.length > 1 || tensor.data.length > MAX_TRACKED_VALUES) return undefined;
  return Array.from(tensor.data as ArrayLike<number | bigint>, (v) => Number(v));
}

export function numbersOfTensor(tensor: Tensor): number[] | undefined {
  if (tensor.dataType === "float16") return undefined;
  return Array.from(tensor.data as ArrayLike<number | bigint>, (v) => Number(v));
}

export function createShapeContext(state: InferenceState, node: Node): ShapeContext {
  const inputName = (i: number): string => node.inputs[i] ?? "";
  const outputName = (i: number): string | undefined => {
    const name = node.outputs[i];
    return name === undefined || name === "" ? undefined : name;
  };
  const inputInfo = (i: number): ValueInfo | undefined => state.infos.get(inputName(i));
  const inputValues = (i: number): Dim[] | undefined => state.values.get(inputName(i));
  const setOutput = (i: number, dataType: DataType, shape?: Dim[]): void => {
    const name = outputName(i);
    if (name !== undefined) state.infos.set(name, shape ? { name, dataType, shape } : { name, dataType });
  };
  return {
    node,
    opset: state.opset,
    where: `${node.opType} node '${node.name}'`,
    hasInput: (i) => inputName(i) !== "",
    inputType: (i) => inputInfo(i)?.dataType,
    inputShape: (i) => inputInfo(i)?.shape,
    inputValues,
    inputInts: (i) => {
      const values = inputValues(i);
      return values?.every((v) => typeof v === "number") ? (values as number[]) : undefined;
    },
    inputConstant: (i) => {
      const tensor = state.constants.get(inputName(i));
      return tensor ? numbersOfTensor(tensor) : undefined;
    },
    setOutput,
    setOutputValues: (i, values) => {
      const name = outputName(i);
      if (name !== undefined) state.values.set(name, values);
    },
    setOutputConstant: (i, tensor) => {
      const name = outputName(i);
      if (name === undefined) return;
      setOutput(i, tensor.dataType, [...tensor.dims]);
      state.constants.set(name, tensor);
      const values = valuesOfTensor(tensor);
      if (values) state.values.set(name, values);
    },
  };
}
