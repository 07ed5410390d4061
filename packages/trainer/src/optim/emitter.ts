/**
 * A tiny node emitter for optimizer updates: every node and temporary gets a readable,
 * deterministic name under one prefix (`optim/conv1.weight/exp_avg`), so update graphs are
 * easy to follow in Netron. Scalar constants become float initializers, shared by value.
 */
import type { Attribute, Graph } from "../onnx/ir.ts";
import { floatTensor } from "../onnx/ir.ts";

export class UpdateEmitter {
  private readonly scalars = new Map<number, string>();
  private readonly used = new Set<string>();

  constructor(
    readonly graph: Graph,
    readonly prefix = "optim",
  ) {}

  /** Appends one node with a single output named `<prefix>/<label>` and returns that name. */
  op(opType: string, inputs: string[], label: string, attributes: Record<string, Attribute> = {}): string {
    const output = this.uniqueName(`${this.prefix}/${label}`);
    this.graph.nodes.push({ name: output, opType, domain: "", inputs, outputs: [output], attributes });
    return output;
  }

  /** Like op(), but writes to a name the caller chose (a graph output such as a new parameter). */
  opTo(opType: string, inputs: string[], output: string, attributes: Record<string, Attribute> = {}): string {
    this.graph.nodes.push({ name: `${this.prefix}/${output}`, opType, domain: "", inputs, outputs: [output], attributes });
    return output;
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    const existing = this.scalars.get(value);
    if (existing !== undefined) return existing;
    const name = this.uniqueName(`${this.prefix}/const_${this.scalars.size}`);
    this.graph.initializers.set(name, floatTensor([], [value]));
    this.scalars.set(value, name);
    return name;
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
