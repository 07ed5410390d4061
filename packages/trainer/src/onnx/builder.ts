/**
 * GraphBuilder: appends inputs, initializers, nodes and outputs to an IR graph with unique,
 * deterministic names. Names live under a "/"-separated scope (like PyTorch exports:
 * "layer1/0/conv1/Conv"), so generated graphs read well in Netron and the same build
 * always yields the same names.
 */
import type { Attribute, DataType, Dim, Graph, Tensor } from "./ir.ts";
import { emptyGraph, floatTensor, int64Tensor, typedArrayFor } from "./ir.ts";

export interface NodeOptions {
  /** Number of outputs to create (default 1). Ignored when outputNames is given. */
  outputs?: number;
  /** Base name of the node; made unique within the current scope. Defaults to the op type. */
  name?: string;
  /** Exact output tensor names to use (each must be unused). */
  outputNames?: string[];
  /** Operator domain; "" is the default ONNX domain. */
  domain?: string;
}

export class GraphBuilder {
  private readonly graph: Graph;
  private readonly tensorNames = new Set<string>();
  private readonly nodeNames = new Set<string>();
  private readonly scopes: string[] = [];

  /** Starts an empty graph, or continues an existing one (its names are reserved). */
  constructor(graphOrName: Graph | string = "graph") {
    this.graph = typeof graphOrName === "string" ? emptyGraph(graphOrName) : graphOrName;
    for (const input of this.graph.inputs) this.tensorNames.add(input.name);
    for (const name of this.graph.initializers.keys()) this.tensorNames.add(name);
    for (const node of this.graph.nodes) {
      this.nodeNames.add(node.name);
      for (const output of node.outputs) this.tensorNames.add(output);
    }
  }

  /** Runs `body` with `prefix` appended to the name scope. */
  scope<T>(prefix: string, body: () => T): T {
    this.scopes.push(prefix);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  /** The current scope path ("" at the top level). */
  currentScope(): string {
    return this.scopes.join("/");
  }

  /** The current scope joined with `base`, made unique among tensor names and reserved. */
  uniqueTensorName(base: string): string {
    const name = makeUnique(this.scoped(base), this.tensorNames);
    this.tensorNames.add(name);
    return name;
  }

  /** A graph input (a feed). The name is used as given, unscoped: callers feed it by name. */
  input(name: string, dataType: DataType, shape: Dim[]): string {
    this.reserveExact(name, "input");
    this.graph.inputs.push({ name, dataType, shape });
    return name;
  }

  /** A named constant tensor (typically a parameter). The name is scoped and made unique. */
  initializer(name: string, tensor: Tensor): string {
    const unique = this.uniqueTensorName(name);
    this.graph.initializers.set(unique, tensor);
    return unique;
  }

  /** Appends a node; returns its output tensor names. "" in inputs marks an omitted optional input. */
  node(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, options: NodeOptions = {}): string[] {
    for (const [index, input] of inputs.entries()) {
      if (input !== "" && !this.tensorNames.has(input)) {
        throw new Error(`${opType} node: input ${index} '${input}' is not a tensor of this graph`);
      }
    }
    const nodeName = makeUnique(this.scoped(options.name ?? opType), this.nodeNames);
    this.nodeNames.add(nodeName);
    let outputs: string[];
    if (options.outputNames) {
      outputs = [...options.outputNames];
      for (const output of outputs) this.reserveExact(output, `${opType} node '${nodeName}' output`);
    } else {
      outputs = outputBaseNames(nodeName, options.outputs ?? 1).map((base) => makeUnique(base, this.tensorNames));
      for (const output of outputs) this.tensorNames.add(output);
    }
    this.graph.nodes.push({ name: nodeName, opType, domain: options.domain ?? "", inputs: [...inputs], outputs, attributes });
    return outputs;
  }

  /** A node with exactly one output; returns that output's name. */
  op(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, options: Omit<NodeOptions, "outputs"> = {}): string {
    const [output] = this.node(opType, inputs, attributes, { ...options, outputs: 1 });
    return output as string;
  }

  /**
   * Declares a graph output. When `tensor` differs from `name`, an Identity node
   * gives the output its public name ("logits", "loss").
   */
  output(name: string, dataType: DataType, shape?: Dim[], tensor: string = name): string {
    if (tensor !== name) {
      if (!this.tensorNames.has(tensor)) throw new Error(`output '${name}': tensor '${tensor}' is not a tensor of this graph`);
      this.node("Identity", [tensor], {}, { name: `${name}_identity`, outputNames: [name] });
    } else if (!this.tensorNames.has(name)) {
      throw new Error(`output '${name}': no tensor of that name in this graph`);
    }
    this.graph.outputs.push(shape ? { name, dataType, shape } : { name, dataType });
    return name;
  }

  /** Records a known type and shape of an intermediate tensor. */
  valueInfo(name: string, dataType: DataType, shape?: Dim[]): void {
    this.graph.valueInfo.set(name, shape ? { name, dataType, shape } : { name, dataType });
  }

  /** A Constant node holding `tensor`; returns its output name. */
  constant(tensor: Tensor, name = "const"): string {
    return this.op("Constant", [], { value: { kind: "tensor", value: tensor } }, { name });
  }

  /** A 1-D int64 constant (shapes, axes, pads). */
  int64s(values: readonly number[], name = "ints"): string {
    return this.constant(int64Tensor([values.length], values), name);
  }

  /** A rank-0 int64 constant. */
  int64Scalar(value: number, name = "int"): string {
    return this.constant(int64Tensor([], [value]), name);
  }

  /** A rank-0 constant of a floating type (float32 by default). */
  scalar(value: number, dataType: DataType = "float32", name = "scalar"): string {
    if (dataType === "float32") return this.constant(floatTensor([], [value]), name);
    if (dataType !== "float64") throw new Error(`scalar '${name}': dataType must be float32 or float64, got ${dataType}`);
    const data = typedArrayFor("float64", 1);
    data[0] = value;
    return this.constant({ dataType, dims: [], data }, name);
  }

  /** True when `name` is already a tensor of the graph. */
  has(name: string): boolean {
    return this.tensorNames.has(name);
  }

  /** The graph built so far (the same object; the builder keeps appending to it). */
  build(): Graph {
    return this.graph;
  }

  private scoped(base: string): string {
    return this.scopes.length === 0 ? base : `${this.scopes.join("/")}/${base}`;
  }

  private reserveExact(name: string, what: string): void {
    if (name === "") throw new Error(`${what}: name must not be empty`);
    if (this.tensorNames.has(name)) throw new Error(`${what}: tensor name '${name}' is already used`);
    this.tensorNames.add(name);
  }
}

function outputBaseNames(nodeName: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`node '${nodeName}': outputs must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => `${nodeName}_output_${i}`);
}

/** `base`, or `base_1`, `base_2`, ... : the first not in `taken`. */
function makeUnique(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  let suffix = 1;
  while (taken.has(`${base}_${suffix}`)) suffix++;
  return `${base}_${suffix}`;
}
