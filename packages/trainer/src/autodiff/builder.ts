/** Appends the backward pass's nodes and constants to the graph, with unique, readable names. */
import type { Attribute, DataType, Graph, Node, Tensor } from "../onnx/ir.ts";
import { typedArrayFor } from "../onnx/ir.ts";
import type { GraphInfo } from "./graph-info.ts";

/** "nchwc" needs the CPU's NCHWc block size (runtime/nchwc.ts); it falls back to "grouped-conv" where it does not apply. */
export type DepthwiseWeightGradient = "grouped-conv" | "shifted-slices" | "nchwc";

export class BackwardBuilder {
  private readonly taken = new Set<string>();

  constructor(
    readonly graph: Graph,
    readonly info: GraphInfo,
    readonly opset: number,
    readonly depthwiseWeightGradient: DepthwiseWeightGradient = "grouped-conv",
    readonly nchwcBlockSize = 1,
  ) {
    if (depthwiseWeightGradient === "nchwc" && !(nchwcBlockSize > 1))
      throw new Error(`depthwiseWeightGradient "nchwc" needs an NCHWc block size above 1, got ${nchwcBlockSize}`);
    for (const node of graph.nodes) for (const name of [node.name, ...node.outputs]) this.taken.add(name);
    for (const name of graph.initializers.keys()) this.taken.add(name);
    for (const value of graph.inputs) this.taken.add(value.name);
  }

  /** `name`, or `name_2`, `name_3`... if the graph already uses it. */
  uniqueName(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${name}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }

  /** Appends a node named after its first output; returns the output names. */
  addNode(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Record<string, Attribute> = {}, domain = ""): string[] {
    const names = outputs.map((o) => this.uniqueName(o));
    const node: Node = { name: names[0] ?? this.uniqueName(opType), opType, domain, inputs: [...inputs], outputs: names, attributes };
    this.graph.nodes.push(node);
    this.info.addProducer(node);
    return names;
  }

  addInitializer(name: string, tensor: Tensor): string {
    const unique = this.uniqueName(name);
    this.graph.initializers.set(unique, tensor);
    return unique;
  }

  int64s(name: string, values: readonly number[]): string {
    return this.addInitializer(name, { dataType: "int64", dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
  }

  /** A constant filled with `value` (a scalar when dims is []), of a float type. */
  filled(name: string, value: number, dataType: DataType, dims: number[] = []): string {
    const count = dims.reduce((a, b) => a * b, 1);
    const data = typedArrayFor(dataType, count);
    if (data instanceof BigInt64Array) data.fill(BigInt(value));
    else data.fill(value);
    return this.addInitializer(name, { dataType, dims, data });
  }
}
