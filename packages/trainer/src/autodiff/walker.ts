/**
 * Reverse-mode differentiation over the graph IR. The walker finds the nodes on a path from a
 * `wrt` tensor to the loss, visits them in reverse topological order, sums fan-in gradients and
 * reduces broadcast gradients; each op's derivative is a rule from the registry.
 */
import type { Graph, Node } from "../onnx/ir.ts";
import { BackwardBuilder, type DepthwiseWeightGradient } from "./builder.ts";
import { reduceToShape } from "./broadcast.ts";
import { RuleContext } from "./context.ts";
import { GraphInfo } from "./graph-info.ts";
import { NO_GRADIENT, type InputGradient, type RuleEntry, UnsupportedOpError } from "./rule.ts";
import { gradientRules } from "./rules/registry.ts";

export interface BackwardOptions {
  /** Name of a scalar float tensor produced in the graph. */
  loss: string;
  /** Initializers or graph inputs whose gradients are wanted. */
  wrt: readonly string[];
  /** Default-domain opset of the model the graph belongs to (13 or later); default 17. */
  opset?: number;
  /**
   * How depthwise Conv weight gradients are built: one grouped Conv with dY as the kernel
   * ("grouped-conv", the general formula), or k·k shifted slices of X multiplied by dY and
   * summed ("shifted-slices"), or, on ONNX Runtime's CPU provider, one grouped convolution per
   * (image, channel) in its blocked NCHWc layout ("nchwc", with nchwcBlockSize). See
   * docs/performance.md for the measured trade-offs.
   */
  depthwiseWeightGradient?: DepthwiseWeightGradient;
  /** ONNX Runtime's NCHWc channel block size on this CPU (runtime/nchwc.ts), for "nchwc". */
  nchwcBlockSize?: number;
}

export interface BackwardResult {
  /** wrt name -> gradient tensor name. */
  gradients: Map<string, string>;
}

// Measured with bench-depthwise.ts (ORT 1.30 CPU, 2 threads, MobileNetV2 layers, batch 16): the grouped
// Conv took 0.5–1x the time of the slices on every layer (e.g. C144 56² 682 ms vs 944 ms).
const DEFAULT_DEPTHWISE: DepthwiseWeightGradient = "grouped-conv";

function ruleFor(node: Node): RuleEntry | undefined {
  if (node.domain !== "" && node.domain !== "ai.onnx") return undefined;
  return gradientRules[node.opType];
}

function differentiableInputs(node: Node): number[] {
  const entry = ruleFor(node);
  if (entry === NO_GRADIENT) return [];
  const skip = entry?.nonDifferentiable ?? [];
  return node.inputs.flatMap((name, i) => (name && !skip.includes(i) ? [i] : []));
}

/** Tensors that depend differentiably on some wrt tensor. */
function dependents(nodes: readonly Node[], wrt: readonly string[]): Set<string> {
  const found = new Set(wrt);
  for (const node of nodes) {
    if (differentiableInputs(node).some((i) => found.has(node.inputs[i]!))) {
      for (const output of node.outputs) if (output) found.add(output);
    }
  }
  return found;
}

/** Tensors the loss is computed from (including itself). */
function ancestors(info: GraphInfo, loss: string): Set<string> {
  const found = new Set([loss]);
  const stack = [loss];
  while (stack.length > 0) {
    const node = info.producer(stack.pop()!);
    for (const input of node?.inputs ?? []) {
      if (input && !found.has(input)) {
        found.add(input);
        stack.push(input);
      }
    }
  }
  return found;
}

function validate(graph: Graph, options: BackwardOptions, info: GraphInfo): void {
  if (!info.producer(options.loss)) throw new Error(`options.loss: '${options.loss}' is not produced by any node of the graph`);
  const shape = info.info(options.loss)?.shape;
  if (shape && !shape.every((d) => d === 1)) throw new Error(`options.loss: '${options.loss}' must be a scalar, its shape is [${shape}]`);
  if (options.wrt.length === 0) throw new Error("options.wrt: name at least one tensor");
  for (const name of options.wrt) {
    if (!graph.initializers.has(name) && !graph.inputs.some((v) => v.name === name)) {
      throw new Error(`options.wrt: '${name}' is neither an initializer nor a graph input`);
    }
  }
  if ((options.opset ?? 17) < 13) throw new Error(`options.opset: gradients are emitted in opset 13+ forms, got ${options.opset}`);
  const position = new Map<string, number>();
  graph.nodes.forEach((node, index) => node.outputs.forEach((o) => position.set(o, index)));
  graph.nodes.forEach((node, index) => {
    for (const input of node.inputs) {
      if ((position.get(input) ?? -1) >= index)
        throw new Error(`graph: node '${node.name}' reads '${input}' before it is produced (nodes must be in topological order)`);
    }
  });
}

export function buildBackward(graph: Graph, options: BackwardOptions): BackwardResult {
  const info = new GraphInfo(graph);
  validate(graph, options, info);
  const forward = [...graph.nodes];
  const needed = dependents(forward, options.wrt);
  const feedsLoss = ancestors(info, options.loss);
  for (const name of options.wrt) {
    if (!feedsLoss.has(name) || !needed.has(options.loss)) throw new Error(`options.wrt: the loss '${options.loss}' does not depend on '${name}'`);
  }
  const builder = new BackwardBuilder(graph, info, options.opset ?? 17, options.depthwiseWeightGradient ?? DEFAULT_DEPTHWISE, options.nchwcBlockSize);
  const gradients = new GradientSums(builder);
  const lossType = info.dataType(options.loss);
  gradients.add(options.loss, builder.filled(`${options.loss}_grad/seed`, 1, lossType, info.staticShape(options.loss) ?? []));

  for (const node of forward.reverse()) {
    if (!node.outputs.some((o) => gradients.has(o))) continue;
    const wants = node.inputs.map(() => false);
    for (const i of differentiableInputs(node)) wants[i] = needed.has(node.inputs[i]!) && feedsLoss.has(node.inputs[i]!);
    if (!wants.some(Boolean)) continue;
    const entry = ruleFor(node);
    if (entry === undefined || entry === NO_GRADIENT) throw new UnsupportedOpError(node.opType, node.name);
    const context = new RuleContext(
      node,
      builder,
      node.outputs.map((o) => gradients.total(o)),
      wants,
    );
    const inputGradients = entry.backward(context);
    wants.forEach((want, i) => {
      if (want) gradients.add(node.inputs[i]!, toInputShape(builder, node, i, inputGradients[i]));
    });
  }
  return { gradients: new Map(options.wrt.map((name) => [name, gradients.total(name)!])) };
}

function toInputShape(builder: BackwardBuilder, node: Node, i: number, gradient: InputGradient): string {
  if (gradient === undefined) throw new UnsupportedOpError(node.opType, node.name, `its rule gives no gradient for input ${i}`);
  if (typeof gradient === "string") return gradient;
  return reduceToShape(builder, `${node.name}_grad/d${i}`, gradient.name, gradient.shape, node.inputs[i]!);
}

/** Gradient contributions per tensor, summed once when the tensor's producer is reached. */
class GradientSums {
  private readonly parts = new Map<string, string[]>();
  private readonly totals = new Map<string, string>();

  constructor(private readonly builder: BackwardBuilder) {}

  has(name: string): boolean {
    return this.parts.has(name);
  }

  add(name: string, gradient: string): void {
    if (this.totals.has(name)) throw new Error(`internal: gradient of '${name}' was summed before all its consumers were visited`);
    this.parts.set(name, [...(this.parts.get(name) ?? []), gradient]);
  }

  total(name: string): string | undefined {
    const done = this.totals.get(name);
    if (done) return done;
    const parts = this.parts.get(name);
    if (!parts) return undefined;
    // dX = Σ over consumers of X
    const total = parts.length === 1 ? parts[0]! : this.builder.addNode("Sum", parts, [`${name}_grad`])[0]!;
    this.totals.set(name, total);
    const info = this.builder.info.info(name);
    if (info && !this.builder.info.info(total)) this.builder.graph.valueInfo.set(total, { dataType: info.dataType, shape: info.shape, name: total });
    return total;
  }
}
