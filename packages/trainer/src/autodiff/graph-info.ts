/** Read-only questions about a forward graph: types, static shapes and constant values of tensors. */
import type { DataType, Dim, Graph, Node, Tensor } from "../onnx/ir.ts";

export interface TensorInfo {
  dataType: DataType;
  /** undefined when the rank is unknown. */
  shape?: Dim[];
}

export class GraphInfo {
  private readonly producers = new Map<string, Node>();

  constructor(readonly graph: Graph) {
    for (const node of graph.nodes) for (const output of node.outputs) if (output) this.producers.set(output, node);
  }

  producer(name: string): Node | undefined {
    return this.producers.get(name);
  }

  /** Registers a tensor the backward pass created, so later rules can ask about it. */
  addProducer(node: Node): void {
    for (const output of node.outputs) if (output) this.producers.set(output, node);
  }

  info(name: string): TensorInfo | undefined {
    const initializer = this.graph.initializers.get(name);
    if (initializer) return { dataType: initializer.dataType, shape: initializer.dims };
    return this.graph.valueInfo.get(name) ?? this.graph.inputs.find((v) => v.name === name) ?? this.graph.outputs.find((v) => v.name === name);
  }

  dataType(name: string): DataType {
    const info = this.info(name);
    if (!info) throw new Error(`tensor '${name}': its type is unknown (run shape inference on the graph first)`);
    return info.dataType;
  }

  shape(name: string): Dim[] {
    const shape = this.info(name)?.shape;
    if (!shape) throw new Error(`tensor '${name}': its rank is unknown (run shape inference on the graph first)`);
    return shape;
  }

  /** The shape with every dimension a number, or undefined. */
  staticShape(name: string): number[] | undefined {
    const shape = this.info(name)?.shape;
    if (!shape || !shape.every((d): d is number => typeof d === "number")) return undefined;
    return shape;
  }

  /** The value of an initializer or Constant node output, if the tensor is constant. */
  constant(name: string): Tensor | undefined {
    const initializer = this.graph.initializers.get(name);
    if (initializer) return initializer;
    const node = this.producers.get(name);
    if (node?.opType !== "Constant") return undefined;
    const value = node.attributes.value;
    if (value?.kind === "tensor") return value.value;
    const ints = node.attributes.value_ints ?? node.attributes.value_int;
    if (ints?.kind === "ints") return { dataType: "int64", dims: [ints.value.length], data: BigInt64Array.from(ints.value.map(BigInt)) };
    if (ints?.kind === "int") return { dataType: "int64", dims: [], data: BigInt64Array.from([BigInt(ints.value)]) };
    const floats = node.attributes.value_floats ?? node.attributes.value_float;
    if (floats?.kind === "floats") return { dataType: "float32", dims: [floats.value.length], data: Float32Array.from(floats.value) };
    if (floats?.kind === "float") return { dataType: "float32", dims: [], data: Float32Array.from([floats.value]) };
    return undefined;
  }

  /** A constant's values as plain numbers (int64 converted), or undefined. */
  constantNumbers(name: string): number[] | undefined {
    if (!name) return undefined;
    const tensor = this.constant(name);
    if (!tensor) return undefined;
    return Array.from(tensor.data as ArrayLike<number | bigint>, (v) => Number(v));
  }
}
